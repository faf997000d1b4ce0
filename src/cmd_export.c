/* cmd_export.c: `mandat export --format json|csv|akn [--symbol S] [--db PATH]
 * [--out DIR] [FILE...]`.  Without files, exports the current documents of the
 * registry; with files, renders them straight from the parse (no registry).
 * docs/export.md describes the formats. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "export.h"
#include "render.h"

typedef enum { FMT_JSON, FMT_CSV, FMT_AKN } format;

typedef struct {
  format fmt;
  const char *symbol;
  const char *out_dir; /* AKN: one file per document; NULL: stdout */
  mandat_buf buf;      /* output of the current document */
  mandat_buf pending;  /* AKN to stdout: the one document, written at the end */
  size_t entities;     /* entities selected so far */
  size_t akn_docs;     /* AKN documents rendered so far */
  char **names;        /* AKN file names written, for collisions */
  size_t n_names, cap_names;
  bool failed;
} job;

static bool write_all(FILE *f, const mandat_buf *b) {
  return b->len == 0 || fwrite(b->data, 1, b->len, f) == b->len;
}

/* DIR/<number>.xml, or DIR/<number>-2.xml … when this run already wrote that name. */
static bool write_akn_file(job *j, const mandat_entity *e) {
  char num[128], path[4096];
  akn_number(e, num, sizeof num);
  for (int k = 1;; k++) {
    char name[160];
    if (k == 1)
      snprintf(name, sizeof name, "%s.xml", num);
    else
      snprintf(name, sizeof name, "%s-%d.xml", num, k);
    bool taken = false;
    for (size_t i = 0; i < j->n_names && !taken; i++)
      taken = strcmp(j->names[i], name) == 0;
    if (taken)
      continue;
    VEC_GROW(j->names, j->n_names, j->cap_names);
    j->names[j->n_names++] = xstrdup(name);
    snprintf(path, sizeof path, "%s/%s", j->out_dir, name);
    break;
  }
  FILE *f = fopen(path, "wb");
  bool ok = f && write_all(f, &j->buf);
  if (f && fclose(f) != 0)
    ok = false;
  if (!ok)
    fprintf(stderr, "mandat: %s: cannot write: %s\n", path, strerror(errno));
  return ok;
}

/* Export one document (parsed or rebuilt): returns false to stop. */
static bool export_doc(const mandat_doc *doc, void *ctx) {
  job *j = ctx;
  struct mandat_doc view;
  size_t n = export_view(doc, j->symbol, &view);
  bool ok = true;
  j->entities += n;
  if (n == 0)
    goto done;
  buf_clear(&j->buf);
  if (j->fmt == FMT_JSON) {
    render_json(&view, &j->buf);
    buf_putc(&j->buf, '\n');
    ok = write_all(stdout, &j->buf);
  } else if (j->fmt == FMT_CSV) {
    render_csv(&view, &j->buf);
    ok = write_all(stdout, &j->buf);
  } else {
    for (size_t i = 0; i < view.n_ents && ok; i++) {
      if (view.ents[i].parent >= 0)
        continue; /* rendered inside its parent */
      buf_clear(&j->buf);
      if (!render_akn(&view, i, &j->buf)) {
        fprintf(stderr, "mandat: %s: cannot render Akoma Ntoso (out of memory)\n",
                mandat_doc_file(doc));
        ok = false;
        break;
      }
      j->akn_docs++;
      if (j->out_dir) {
        ok = write_akn_file(j, &view.ents[i]);
      } else if (j->akn_docs > 1) {
        fprintf(stderr, "mandat: export: several Akoma Ntoso documents: give --out DIR "
                        "(one file each) or --symbol S\n");
        ok = false;
      } else {
        mandat_buf t = j->pending; /* keep it: a second document would be an error */
        j->pending = j->buf;
        j->buf = t;
      }
    }
  }
done:
  export_view_free(&view);
  if (!ok)
    j->failed = true;
  return ok;
}

static void report(const mandat_error *err) {
  if (err->line > 0)
    fprintf(stderr, "mandat: %s:%d: %s\n", err->file, err->line, err->reason);
  else
    fprintf(stderr, "mandat: %s: %s\n", err->file, err->reason);
}

int cmd_export(int argc, char **argv) {
  job j = {0};
  const char *fmt = NULL, *db = NULL;
  bool bad = false, dashes = false;
  int nfiles = 0, failed_files = 0, status = 0;
  for (int i = 1; i < argc && !bad; i++) {
    const char *v;
    if (!dashes && strcmp(argv[i], "--") == 0)
      dashes = true;
    else if (dashes || argv[i][0] != '-' || !argv[i][1])
      nfiles++;
    else if ((v = cli_value(argc, argv, &i, "--format", &bad)))
      fmt = v;
    else if ((v = cli_value(argc, argv, &i, "--symbol", &bad)))
      j.symbol = v;
    else if ((v = cli_value(argc, argv, &i, "--db", &bad)))
      db = v;
    else if ((v = cli_value(argc, argv, &i, "--out", &bad)))
      j.out_dir = v;
    else if (!bad)
      return cli_usage("export: unknown option '%s'", argv[i]);
  }
  if (bad)
    return 2;
  if (!fmt)
    return cli_usage("export: --format json|csv|akn is required");
  if (strcmp(fmt, "json") == 0)
    j.fmt = FMT_JSON;
  else if (strcmp(fmt, "csv") == 0)
    j.fmt = FMT_CSV;
  else if (strcmp(fmt, "akn") == 0)
    j.fmt = FMT_AKN;
  else
    return cli_usage("export: unknown format '%s' (json, csv or akn)", fmt);
  if (j.out_dir && j.fmt != FMT_AKN)
    return cli_usage("export: --out is for --format akn");
  if (j.out_dir && mkdir(j.out_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "mandat: %s: cannot create directory: %s\n", j.out_dir, strerror(errno));
    return 1;
  }

  if (j.fmt == FMT_CSV) {
    render_csv_header(&j.buf);
    write_all(stdout, &j.buf);
  }
  if (nfiles) {
    dashes = false;
    for (int i = 1; i < argc && !j.failed; i++) {
      if (!dashes && strcmp(argv[i], "--") == 0) {
        dashes = true;
        continue;
      }
      if (!dashes && argv[i][0] == '-' && argv[i][1]) {
        if (strchr(argv[i], '=') == NULL)
          i++; /* an option and its value */
        continue;
      }
      mandat_doc *doc = NULL;
      mandat_error err = {0};
      if (mandat_parse_file(argv[i], &doc, &err) != MANDAT_OK) {
        report(&err);
        failed_files++;
        continue;
      }
      export_doc(doc, &j);
      mandat_doc_free(doc);
    }
  } else {
    mandat_error err = {0};
    size_t n_docs = 0;
    if (export_registry(cli_db_path(db), j.symbol, export_doc, &j, &n_docs, &err) != MANDAT_OK) {
      report(&err);
      status = 1;
    }
  }
  if (j.failed || failed_files)
    status = 1;
  if (!j.failed && j.pending.len && !write_all(stdout, &j.pending))
    status = 1;
  if (!status && j.symbol && j.entities == 0) {
    fprintf(stderr, "mandat: export: no entity with symbol %s\n", j.symbol);
    status = 1;
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "mandat: cannot write output\n");
    status = 1;
  }
  buf_free(&j.buf);
  buf_free(&j.pending);
  for (size_t i = 0; i < j.n_names; i++)
    free(j.names[i]);
  free(j.names);
  return status;
}
