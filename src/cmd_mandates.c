/* cmd_mandates.c: `mandat mandates` (what does this resolution ask, and of whom?)
 * and `mandat classify` (label paragraphs that are already split). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clauses.h"
#include "clean.h"
#include "cli.h"
#include "export.h"
#include "lexmatch.h"
#include "mandat.h"
#include "query.h"
#include "render.h"
#include "store.h"
#include "text.h"

/* ------------------------------------------------------------- table cells */

/* Display width of UTF-8 text: one column per code point (the scripts mandat
 * prints are Latin; wide CJK would need wcwidth). */
static size_t width(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
  return w;
}

/* Print s in a cell of `cols` columns: cut with « … » when longer, padded. */
static void cell(FILE *f, const char *s, size_t cols, bool last) {
  if (!s) s = "";
  size_t n = strlen(s), w = width(s, n);
  if (w > cols) {
    size_t keep = 0, seen = 0;
    while (keep < n && seen < cols - 1) {
      keep++;
      while (keep < n && ((unsigned char)s[keep] & 0xC0) == 0x80) keep++;
      seen++;
    }
    fwrite(s, 1, keep, f);
    fputs("…", f);
    w = cols;
  } else {
    fputs(s, f);
  }
  if (!last)
    for (size_t i = w; i < cols + 2; i++) fputc(' ', f);
}

/* ------------------------------------------------------------- mandates */

typedef struct {
  const char *addressee; /* id or name, case-insensitive on ASCII */
  int force;             /* -1: any */
  enum { OUT_TABLE, OUT_CSV, OUT_JSON } out;
  int rows;
  bool header_done;
} mandates_opts;

static int strcasecmp_ascii(const char *a, const char *b) {
  for (;; a++, b++) {
    int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a, y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;
    if (x != y || !x) return x - y;
  }
}

static bool addressee_matches(const mandat_clause *c, const char *want) {
  for (size_t i = 0; i < c->n_addressees; i++) {
    const mandat_addressee *a = &c->addressees[i];
    if ((a->id && strcasecmp_ascii(a->id, want) == 0) || (a->name && strcasecmp_ascii(a->name, want) == 0))
      return true;
  }
  return false;
}

/* One mandate row, from a parsed file (clause set) or from the registry. */
typedef struct {
  const char *symbol, *ref, *verb, *force, *addressees, *action, *conditions;
  const char *report_to, *report_session, *report_date, *file;
  bool reporting;
  int line;
  const mandat_clause *clause; /* file mode: for the addressees' names and words */
} mrow;

static void mandate_row(const mrow *r, mandates_opts *o) {
  mandat_buf line = {0};
  if (o->out == OUT_TABLE) {
    if (!o->header_done) {
      printf("%-18s%-8s%-24s%-16s%-30s%-44s%-28s%s\n", "SYMBOL", "PARA", "VERB", "FORCE", "ADDRESSEES",
             "ACTION", "CONDITIONS", "REPORTING");
      o->header_done = true;
    }
    mandat_buf rep = {0};
    if (r->reporting) {
      buf_puts(&rep, r->report_to ? r->report_to : "?");
      if (r->report_session) buf_printf(&rep, " s.%s", r->report_session);
      if (r->report_date) buf_printf(&rep, " %s", r->report_date);
    }
    cell(stdout, r->symbol, 16, false);
    cell(stdout, r->ref, 6, false);
    cell(stdout, r->verb, 22, false);
    cell(stdout, r->force, 14, false);
    cell(stdout, r->addressees, 28, false);
    cell(stdout, r->action, 42, false);
    cell(stdout, r->conditions, 26, false);
    cell(stdout, buf_cstr(&rep), 20, true);
    putchar('\n');
    buf_free(&rep);
  } else if (o->out == OUT_CSV) {
    if (!o->header_done) {
      render_csv_header(&line);
      o->header_done = true;
    }
    const char *cells[] = {r->symbol, r->ref, r->verb, r->force, r->addressees, r->action, r->conditions,
                           r->reporting ? r->report_to : NULL, r->reporting ? r->report_session : NULL,
                           r->reporting ? r->report_date : NULL, r->file};
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
      csv_field(&line, cells[i]);
      buf_putc(&line, ',');
    }
    buf_printf(&line, "%d\r\n", r->line);
  } else {
    buf_puts(&line, o->rows ? ",\n" : "");
    buf_puts(&line, "{\"symbol\":"), json_str(&line, r->symbol);
    buf_puts(&line, ",\"paragraph\":"), json_str(&line, r->ref);
    buf_puts(&line, ",\"file\":"), json_str(&line, r->file);
    buf_printf(&line, ",\"line\":%d,\"verb\":", r->line);
    json_str(&line, r->verb);
    buf_puts(&line, ",\"force\":"), json_str(&line, r->force);
    buf_puts(&line, ",\"addressees\":[");
    if (r->clause) {
      for (size_t i = 0; i < r->clause->n_addressees; i++) {
        const mandat_addressee *a = &r->clause->addressees[i];
        buf_puts(&line, i ? ",{\"id\":" : "{\"id\":"), json_str(&line, a->id);
        buf_puts(&line, ",\"name\":"), json_str(&line, a->name);
        buf_puts(&line, ",\"text\":"), json_str(&line, a->text), buf_putc(&line, '}');
      }
    } else if (r->addressees && *r->addressees) {
      /* the registry gives ids (or names) separated by ", " */
      const char *p = r->addressees;
      for (int i = 0; *p; i++) {
        const char *e = strstr(p, ", ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *one = xstrndup(p, n);
        buf_puts(&line, i ? ",{\"id\":" : "{\"id\":"), json_str(&line, one), buf_putc(&line, '}');
        free(one);
        p += n + (e ? 2 : 0);
      }
    }
    buf_puts(&line, "],\"action\":"), json_str(&line, r->action);
    buf_puts(&line, ",\"conditions\":[");
    if (r->conditions && *r->conditions) {
      const char *p = r->conditions;
      for (int i = 0; *p; i++) {
        const char *e = strstr(p, "; ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *one = xstrndup(p, n);
        if (i) buf_putc(&line, ',');
        json_str(&line, one);
        free(one);
        p += n + (e ? 2 : 0);
      }
    }
    buf_puts(&line, "],\"reporting\":");
    if (r->reporting) {
      buf_puts(&line, "{\"to\":"), json_str(&line, r->report_to);
      buf_puts(&line, ",\"session\":"), json_str(&line, r->report_session);
      buf_puts(&line, ",\"date\":"), json_str(&line, r->report_date), buf_putc(&line, '}');
    } else {
      buf_puts(&line, "null");
    }
    buf_putc(&line, '}');
  }
  fwrite(line.data ? line.data : "", 1, line.len, stdout);
  o->rows++;
  buf_free(&line);
}

static void clause_row(const mandat_doc *d, const mandat_entity *e, const mandat_paragraph *p,
                       const mandat_clause *c, mandates_opts *o) {
  char ref[32];
  if (p->number) snprintf(ref, sizeof ref, "OP%.20s", p->number);
  else snprintf(ref, sizeof ref, "OP(%d)", p->n);
  mandat_buf addr = {0}, cond = {0};
  csv_join_addressees(&addr, c);
  csv_join_conditions(&cond, c);
  mrow r = {e->symbol ? e->symbol : e->id, ref, c->verb, mandat_force_name(c->force), buf_cstr(&addr),
            c->action, buf_cstr(&cond), c->report_to, c->report_session, c->report_date,
            mandat_doc_file(d), c->has_reporting, p->lines.first, c};
  mandate_row(&r, o);
  buf_free(&addr), buf_free(&cond);
}

static int registry_row(const query_mandate *m, void *ctx) {
  mrow r = {m->symbol ? m->symbol : m->entity, m->ref, m->verb, m->force, m->addressees, m->action,
            m->conditions, m->report_to, m->report_session, m->report_date, m->file, m->reporting,
            m->line_first, NULL};
  mandate_row(&r, ctx);
  return 0;
}

static void mandates_of(const mandat_doc *d, mandates_opts *o) {
  for (size_t i = 0; i < mandat_doc_entity_count(d); i++) {
    const mandat_entity *e = mandat_doc_entity(d, i);
    for (size_t k = 0; k < e->n_operative; k++) {
      const mandat_paragraph *p = &e->operative[k];
      for (size_t c = 0; c < p->n_clauses; c++) {
        const mandat_clause *cl = &p->clauses[c];
        if (!mandat_clause_is_mandate(cl)) continue;
        if (o->force >= 0 && (int)cl->force != o->force) continue;
        if (o->addressee && !addressee_matches(cl, o->addressee)) continue;
        clause_row(d, e, p, cl, o);
      }
    }
  }
}

static int force_by_name(const char *name) {
  for (int f = MANDAT_FORCE_DECISION; f <= MANDAT_FORCE_OTHER; f++)
    if (strcmp(mandat_force_name((mandat_force)f), name) == 0) return f;
  return -1;
}

/* Mandates of the registry: the filters of query_filter (query.h). */
static int registry_mandates(const char *db_path, const query_filter *f, mandates_opts *o) {
  sqlite3 *db = NULL;
  char err[300];
  if (store_open(db_path, false, &db, err, sizeof err) != 0) {
    fprintf(stderr, "mandat: %s\n", err);
    return 1;
  }
  if (o->out == OUT_JSON) fputs("{\"mandates\":[\n", stdout);
  query_status st = query_mandates(db, f, registry_row, o, err, sizeof err);
  if (o->out == OUT_JSON) fputs("\n]}\n", stdout);
  store_close(db);
  if (st == QUERY_DB_ERROR || st == QUERY_BAD) {
    fprintf(stderr, "mandat: mandates: %s\n", err);
    return 1;
  }
  if (o->out == OUT_TABLE) fprintf(stderr, "%d mandate%s\n", o->rows, o->rows == 1 ? "" : "s");
  return 0;
}

int cmd_mandates(int argc, char **argv) {
  mandates_opts o = {NULL, -1, OUT_TABLE, 0, false};
  query_filter f = {0};
  const char *db = NULL, *v;
  char **files = xcalloc((size_t)argc, sizeof *files);
  int nfiles = 0, failed = 0, rc = 0;
  bool bad = false, registry_only = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--csv") == 0) o.out = OUT_CSV;
    else if (strcmp(argv[i], "--json") == 0) o.out = OUT_JSON;
    else if (strcmp(argv[i], "--no-reporting") == 0) f.no_reporting = registry_only = true;
    else if (strcmp(argv[i], "--conditions") == 0) f.conditions = registry_only = true;
    else if (strcmp(argv[i], "--all-versions") == 0) f.all_versions = registry_only = true;
    else if ((v = cli_value(argc, argv, &i, "--db", &bad))) db = v;
    else if ((v = cli_value(argc, argv, &i, "--addressee", &bad))) o.addressee = f.addressee = v;
    else if ((v = cli_value(argc, argv, &i, "--symbol", &bad))) f.symbol = v, registry_only = true;
    else if ((v = cli_value(argc, argv, &i, "--organ", &bad))) f.organ = v, registry_only = true;
    else if ((v = cli_value(argc, argv, &i, "--year", &bad))) {
      registry_only = true;
      if (!query_parse_years(v, &f.year_from, &f.year_to)) {
        rc = cli_usage("mandates: --year wants YEAR or FROM-TO, not '%s'", v);
        goto done;
      }
    } else if ((v = cli_value(argc, argv, &i, "--since", &bad))) {
      registry_only = true;
      if (!query_valid_date(v)) {
        rc = cli_usage("mandates: --since wants a date such as 2016-12-19, not '%s'", v);
        goto done;
      }
      f.since = v;
    } else if ((v = cli_value(argc, argv, &i, "--force", &bad))) {
      o.force = force_by_name(v);
      f.force = v;
      if (o.force < 0) {
        rc = cli_usage("mandates: unknown force '%s' (decision, request, urge, invitation, "
                       "recommendation, endorsement, acknowledgement, affirmation, other)", v);
        goto done;
      }
    } else if (argv[i][0] == '-' && argv[i][1] && !bad) {
      rc = cli_usage("mandates: unknown option '%s'", argv[i]);
      goto done;
    } else if (!bad) {
      files[nfiles++] = argv[i];
    }
  }
  if (bad) {
    rc = 2;
    goto done;
  }
  if (nfiles && (db || registry_only)) {
    rc = cli_usage("mandates: give files or query the registry (--db and its filters), not both");
    goto done;
  }
  if (!nfiles) {
    /* no file: the registry (--db, $MANDAT_DB or ./mandat.db) */
    rc = registry_mandates(cli_db_path(db), &f, &o);
    goto done;
  }
  if (o.out == OUT_JSON) fputs("{\"mandates\":[\n", stdout);
  for (int i = 0; i < nfiles; i++) {
    mandat_doc *doc = NULL;
    mandat_error err = {0};
    if (mandat_parse_file(files[i], &doc, &err) != MANDAT_OK) {
      fprintf(stderr, "mandat: %s: %s\n", err.file, err.reason);
      failed++;
      continue;
    }
    mandates_of(doc, &o);
    mandat_doc_free(doc);
  }
  if (o.out == OUT_JSON) fputs("\n]}\n", stdout);
  else if (o.out == OUT_TABLE) fprintf(stderr, "%d mandate%s\n", o.rows, o.rows == 1 ? "" : "s");
  rc = failed ? 1 : 0;
done:
  free(files);
  return rc;
}

/* ------------------------------------------------------------- classify */

typedef enum { CL_PREAMBULAR, CL_OPERATIVE, CL_OTHER } para_type;

/* Classify one paragraph of cleaned text; *word gets the opening or verb (a
 * pointer into text) and its length. */
static para_type classify_one(const mandat_lexicon *lx, const char *t, size_t n, const char **word,
                              size_t *wlen) {
  size_t i = 0;
  /* a printed number or label: « 12. », « 1) », « (a) » */
  while (i < n && ((t[i] >= '0' && t[i] <= '9') || t[i] == '(')) i++;
  if (i > 0 && i < n && (t[i] == '.' || t[i] == ')' || t[i] == ',')) i++;
  else i = 0;
  while (i < n && t[i] == ' ') i++;
  const char *s = t + i;
  size_t m = n - i, k;
  *word = s;
  if (lex_is_upper(s, m) && (k = lex_opening(lx, s, m)) > 0) {
    *wlen = k;
    return CL_PREAMBULAR;
  }
  if (lex_is_upper(s, m) && clauses_opening_verb(lx, s, m, &k) != MANDAT_FORCE_NONE) {
    *wlen = k;
    return CL_OPERATIVE;
  }
  /* recommendation style: « La Conférence …, rappelant …, constate », "The
   * Conference recommends": a lower-case operative verb within the first words */
  size_t w = 0, words = 0;
  while (w < m && words < 12) {
    while (w < m && s[w] != ' ') w++;
    while (w < m && s[w] == ' ') w++;
    words++;
    if (w < m && lex_is_lower(s + w, m - w) && s[w - 1] == ' ' &&
        clauses_opening_verb(lx, s + w, m - w, &k) != MANDAT_FORCE_NONE) {
      *word = s + w;
      *wlen = k;
      return CL_OPERATIVE;
    }
  }
  *wlen = 0;
  return CL_OTHER;
}

static const char *const type_names[] = {"preambular", "operative", "other"};

int cmd_classify(int argc, char **argv) {
  bool json = false;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) json = true;
    else if (argv[i][0] == '-' && argv[i][1]) return cli_usage("classify: unknown option '%s'", argv[i]);
    else if (path) return cli_usage("classify: one input at a time");
    else path = argv[i];
  }
  FILE *f = path && strcmp(path, "-") != 0 ? fopen(path, "rb") : stdin;
  if (!f) {
    fprintf(stderr, "mandat: %s: cannot open\n", path);
    return 1;
  }
  mandat_buf in = {0};
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (in.len + k > MANDAT_MAX_INPUT) {
      fprintf(stderr, "mandat: %s: input too large (over %u MB)\n", path ? path : "stdin",
              MANDAT_MAX_INPUT >> 20);
      if (f != stdin) fclose(f);
      buf_free(&in);
      return 1;
    }
    buf_put(&in, chunk, k);
  }
  if (f != stdin) fclose(f);
  int bad_line = 0;
  mandat_status st = read_check_text(in.data ? in.data : "", in.len, &bad_line);
  if (st != MANDAT_OK) {
    fprintf(stderr, "mandat: %s:%d: %s\n", path ? path : "stdin", bad_line, mandat_strerror(st));
    buf_free(&in);
    return 1;
  }
  mandat_lines lines = {0};
  read_text(in.data ? in.data : "", in.len, &lines);
  const mandat_lexicon *lx = lex_detect(in.data ? in.data : "", in.len);
  mandat_buf raw = {0}, para = {0}, out = {0};
  int n = 0;
  if (json) buf_puts(&out, "{\"paragraphs\":[");
  for (size_t i = 0; i <= lines.n; i++) {
    bool blank = i == lines.n;
    if (!blank) {
      const mandat_line *l = &lines.v[i];
      size_t j = 0;
      while (j < l->len && (l->text[j] == ' ' || l->text[j] == '\t')) j++;
      blank = j == l->len;
      if (!blank) {
        mandat_buf one = {0};
        clean_inline(l->text + j, l->len - j, &one);
        text_join(&raw, one.data ? one.data : "", one.len);
        buf_free(&one);
        continue;
      }
    }
    if (!raw.len) continue;
    text_finish(&para, raw.data, raw.len);
    buf_clear(&raw);
    const char *word;
    size_t wlen;
    /* mixed input (a spreadsheet column in several languages): a paragraph with
     * enough function words of its own decides its language */
    const mandat_lexicon *plx = lex_detect(para.data, para.len);
    if (lex_stopwords(plx, para.data, para.len) <= lex_stopwords(lx, para.data, para.len)) plx = lx;
    para_type ty = classify_one(plx, para.data, para.len, &word, &wlen);
    n++;
    if (json) {
      buf_printf(&out, "%s{\"n\":%d,\"type\":\"%s\"", n > 1 ? "," : "", n, type_names[ty]);
      if (ty != CL_OTHER) {
        char *w = xstrndup(word, wlen);
        buf_puts(&out, ty == CL_PREAMBULAR ? ",\"opening\":" : ",\"verb\":");
        json_str(&out, w);
        free(w);
      }
      buf_putc(&out, '}');
    } else {
      buf_printf(&out, "%4d  %-11s %-34.*s ", n, type_names[ty], (int)wlen, word);
      buf_put_clipped(&out, para.data, 60);
      buf_putc(&out, '\n');
    }
  }
  if (json) buf_puts(&out, "]}\n");
  fwrite(out.data ? out.data : "", 1, out.len, stdout);
  buf_free(&raw), buf_free(&para), buf_free(&out), buf_free(&in);
  lines_free(&lines);
  return 0;
}
