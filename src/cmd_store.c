/* cmd_store.c: the registry's subcommands: ingest (files and directories into
 * the SQLite registry, with a progress bar on a terminal), show, cites and stats
 * (read-only queries of query.c, as text or JSON). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "mandat.h"
#include "links.h"
#include "query.h"
#include "store.h"

/* Directory depth of a walk: far deeper than any archive of documents, and it
 * stops a loop of symbolic links. */
#define WALK_MAX_DEPTH 64
/* Redraws of the progress bar per second, at most: smooth to read, and cheap
 * with 40,000 small files. */
#define PROGRESS_HZ 10
/* Width of the bar itself, so that the whole line fits in 80 columns. */
#define BAR_WIDTH 24

typedef struct {
  char *path;
  double bytes;
  bool from_dir; /* found by walking a directory, not named on the command line */
} input;

typedef struct {
  input *v;
  size_t n, cap;
} inputs;

static void add_input(inputs *in, const char *path, double bytes, bool from_dir) {
  VEC_GROW(in->v, in->n, in->cap);
  in->v[in->n++] = (input){xstrdup(path), bytes, from_dir};
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const input *)a)->path, ((const input *)b)->path);
}

/* Formats mandat reads, by name: a directory walk takes only these, so that a
 * registry file or a stray binary beside the documents is left alone. */
static bool readable_name(const char *name) {
  static const char *const ext[] = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx", NULL};
  const char *dot = strrchr(name, '.');
  if (!dot) return false;
  for (const char *const *e = ext; *e; e++)
    if (strcasecmp(dot, *e) == 0) return true;
  return false;
}

/* Collect the readable files under dir, hidden entries skipped.  Returns the
 * number of errors reported. */
static int walk(const char *dir, int depth, inputs *in) {
  DIR *d = NULL;
  struct dirent *de;
  int errors = 0;
  mandat_buf path = {0};
  if (depth > WALK_MAX_DEPTH) {
    fprintf(stderr, "mandat: %s: more than %d directories deep, not walked\n", dir, WALK_MAX_DEPTH);
    errors++;
    goto done;
  }
  d = opendir(dir);
  if (!d) {
    fprintf(stderr, "mandat: %s: cannot open directory\n", dir);
    errors++;
    goto done;
  }
  while ((de = readdir(d)) != NULL) {
    struct stat sb;
    if (de->d_name[0] == '.') continue;
    buf_clear(&path);
    buf_printf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
    if (stat(buf_cstr(&path), &sb) != 0) continue; /* a dangling link */
    if (S_ISDIR(sb.st_mode)) errors += walk(buf_cstr(&path), depth + 1, in);
    else if (S_ISREG(sb.st_mode) && readable_name(de->d_name))
      add_input(in, buf_cstr(&path), (double)sb.st_size, true);
  }
done:
  if (d) closedir(d);
  buf_free(&path);
  return errors;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress line on stderr: files, a bar by bytes, MB/s and ETA.  Redrawn at
 * most PROGRESS_HZ times a second unless forced. */
typedef struct {
  bool on;
  double start, last, total_bytes;
  size_t total_files;
} progress;

static void progress_draw(progress *p, size_t files, double bytes, bool force) {
  double t = now_s();
  if (!p->on || (!force && t - p->last < 1.0 / PROGRESS_HZ)) return;
  p->last = t;
  double frac = p->total_bytes > 0 ? bytes / p->total_bytes : 1.0, el = t - p->start;
  double rate = el > 0 ? bytes / el : 0;
  int fill = (int)(frac * BAR_WIDTH + 0.5);
  char bar[BAR_WIDTH + 1];
  for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  fprintf(stderr, "\r%zu/%zu files [%s] %3.0f%% %6.2f MB/s", files, p->total_files, bar, frac * 100,
          rate / 1e6);
  if (rate > 0 && bytes < p->total_bytes) {
    long eta = (long)((p->total_bytes - bytes) / rate + 0.5);
    fprintf(stderr, "  ETA %ld:%02ld ", eta / 60, eta % 60);
  } else {
    fputs("            ", stderr);
  }
  fflush(stderr);
}

static void progress_clear(progress *p) {
  if (p->on) fputs("\r\033[K", stderr);
}

int cmd_ingest(int argc, char **argv) {
  const char *db_opt = NULL;
  bool quiet = false, bad = false, after_dashes = false;
  inputs in = {0};
  sqlite3 *db = NULL;
  store_writer *w = NULL;
  store_counts c = {0};
  progress pg = {0};
  char err[512];
  int status = 0, errors = 0, ret = 1;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (after_dashes || argv[i][0] != '-' || !argv[i][1]) continue;
    if (strcmp(argv[i], "--") == 0) after_dashes = true;
    else if ((v = cli_value(argc, argv, &i, "--db", &bad))) db_opt = v;
    else if (bad) return 2;
    else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) quiet = true;
    else return cli_usage("ingest: unknown option '%s'", argv[i]);
  }
  const char *dbpath = cli_db_path(db_opt);
  after_dashes = false;
  for (int i = 1; i < argc; i++) {
    struct stat sb;
    if (!after_dashes && strcmp(argv[i], "--") == 0) {
      after_dashes = true;
      continue;
    }
    if (!after_dashes && strcmp(argv[i], "--db") == 0) {
      i++;
      continue;
    }
    if (!after_dashes && argv[i][0] == '-' && argv[i][1]) continue;
    if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
      size_t from = in.n;
      errors += walk(argv[i], 0, &in);
      qsort(in.v + from, in.n - from, sizeof *in.v, by_path);
    } else {
      add_input(&in, argv[i], stat(argv[i], &sb) == 0 ? (double)sb.st_size : 0, false);
    }
  }
  if (!in.n && !errors) {
    ret = cli_usage("ingest: no file or directory given");
    goto done;
  }
  if (store_open(dbpath, true, &db, err, sizeof err) != SQLITE_OK ||
      !(w = store_writer_new(db, err, sizeof err))) {
    fprintf(stderr, "mandat: %s: %s\n", dbpath, err);
    goto done;
  }
  pg.on = !quiet && isatty(STDERR_FILENO);
  pg.start = now_s();
  pg.total_files = in.n;
  for (size_t i = 0; i < in.n; i++) pg.total_bytes += in.v[i].bytes;
  double done_bytes = 0;
  for (size_t i = 0; i < in.n; i++) {
    const input *f = &in.v[i];
    store_outcome out = store_put_file(w, f->path, &c, &status, err, sizeof err);
    done_bytes += f->bytes;
    if (out == STORE_DB_ERROR) {
      progress_clear(&pg);
      fprintf(stderr, "mandat: %s: %s (storing %s; nothing of it was written)\n", dbpath, err, f->path);
      errors++;
      break; /* the registry refuses writes: the next file would fail the same way */
    }
    if (out == STORE_BAD_FILE) {
      bool skip = f->from_dir && (status == MANDAT_ERR_NO_RESOLUTION || status == MANDAT_ERR_EMPTY);
      progress_clear(&pg);
      if (skip) {
        c.failed--, c.skipped++;
        if (!quiet) fprintf(stderr, "mandat: %s: skipped: %s\n", f->path, err);
      } else {
        fprintf(stderr, "mandat: %s: %s\n", f->path, err);
        errors++;
      }
      progress_draw(&pg, i + 1, done_bytes, true);
    } else {
      progress_draw(&pg, i + 1, done_bytes, i + 1 == in.n);
    }
  }
  progress_clear(&pg);
  double el = now_s() - pg.start;
  if (!quiet) {
    printf("%s: %ld files, %ld added, %ld new versions, %ld unchanged, %ld failed", dbpath, c.files, c.added,
           c.versions, c.unchanged, c.failed);
    if (c.reverted) printf(", %ld reverted", c.reverted);
    if (c.skipped) printf(", %ld skipped", c.skipped);
    printf(", %ld entities, %ld paragraphs, %ld clauses, %ld mandates, %d errors (%.2f s, %.1f MB/s)\n",
           c.entities, c.paragraphs, c.clauses, c.mandates, errors, el, el > 0 ? c.bytes / el / 1e6 : 0.0);
  }
  ret = errors ? 1 : 0;
done:
  store_writer_free(w);
  store_close(db);
  for (size_t i = 0; i < in.n; i++) free(in.v[i].path);
  free(in.v);
  if (fflush(stdout) != 0) ret = 1;
  return ret;
}

/* Options shared by the read commands; positional arguments are collected in pos. */
typedef struct {
  const char *db;
  bool json, all_versions, history;
  query_filter f;
  const char *pos[3];
  int npos;
} read_opts;

/* Parse the read commands' options; filters only where `filters` is true.
 * Returns 0, or the exit status of a usage error. */
static int read_args(int argc, char **argv, const char *cmd, bool filters, read_opts *o) {
  bool bad = false, after_dashes = false;
  for (int i = 1; i < argc; i++) {
    const char *v = NULL;
    if (after_dashes || argv[i][0] != '-' || !argv[i][1]) {
      if (o->npos == 3) return cli_usage("%s: too many arguments", cmd);
      o->pos[o->npos++] = argv[i];
    } else if (strcmp(argv[i], "--") == 0) {
      after_dashes = true;
    } else if (strcmp(argv[i], "--json") == 0) {
      o->json = true;
    } else if (!filters && strcmp(argv[i], "--history") == 0 && strcmp(cmd, "show") == 0) {
      o->history = true;
    } else if (strcmp(argv[i], "--all-versions") == 0) {
      o->all_versions = o->f.all_versions = true;
    } else if ((v = cli_value(argc, argv, &i, "--db", &bad))) {
      o->db = v;
    } else if (filters && (v = cli_value(argc, argv, &i, "--symbol", &bad))) {
      o->f.symbol = v;
    } else if (filters && (v = cli_value(argc, argv, &i, "--organ", &bad))) {
      o->f.organ = v;
    } else if (filters && (v = cli_value(argc, argv, &i, "--year", &bad))) {
      if (!query_parse_years(v, &o->f.year_from, &o->f.year_to))
        return cli_usage("%s: --year takes YEAR or FROM-TO, not '%s'", cmd, v);
    } else if (filters && (v = cli_value(argc, argv, &i, "--since", &bad))) {
      if (!query_valid_date(v)) return cli_usage("%s: --since takes an ISO date (2016-12-19), not '%s'", cmd, v);
      o->f.since = v;
    } else if (bad) {
      return 2;
    } else {
      return cli_usage("%s: unknown option '%s'", cmd, argv[i]);
    }
    if (bad) return 2;
  }
  return 0;
}

/* Open the registry read-only, run one query and print what it wrote. */
static int run_query(const read_opts *o, const char *cmd) {
  const char *dbpath = cli_db_path(o->db);
  sqlite3 *db = NULL;
  mandat_buf out = {0};
  char err[512];
  query_status qs = QUERY_DB_ERROR;
  int ret = 1;
  if (store_open(dbpath, false, &db, err, sizeof err) != SQLITE_OK) {
    fprintf(stderr, "mandat: %s: %s\n", dbpath, err);
    goto done;
  }
  if (strcmp(cmd, "show") == 0 && o->history)
    qs = links_history(db, o->pos[0], o->pos[1], o->json, &out, err, sizeof err);
  else if (strcmp(cmd, "show") == 0)
    qs = query_show(db, o->pos[0], o->npos > 1 ? o->pos[1] : NULL, o->json, o->all_versions, &out, err, sizeof err);
  else if (strcmp(cmd, "cites") == 0)
    qs = query_cites(db, o->pos[0], o->json, o->all_versions, &out, err, sizeof err);
  else
    qs = query_stats(db, &o->f, o->json, &out, err, sizeof err);
  switch (qs) {
  case QUERY_OK:
    fwrite(out.data, 1, out.len, stdout);
    ret = fflush(stdout) == 0 ? 0 : 1;
    break;
  case QUERY_NONE: fprintf(stderr, "mandat: %s\n", err); break;
  case QUERY_BAD: ret = cli_usage("%s: %s", cmd, err); break;
  case QUERY_DB_ERROR: fprintf(stderr, "mandat: %s: %s\n", dbpath, err); break;
  }
done:
  buf_free(&out);
  store_close(db);
  return ret;
}

int cmd_show(int argc, char **argv) {
  read_opts o = {0};
  int rc = read_args(argc, argv, "show", false, &o);
  if (rc) return rc;
  if (o.npos < 1 || o.npos > 2) return cli_usage("show: give SYMBOL and optionally a paragraph (OP12, PP3)");
  if (o.history && o.npos != 2) return cli_usage("show: --history needs a paragraph (SYMBOL OP12)");
  return run_query(&o, "show");
}

int cmd_cites(int argc, char **argv) {
  read_opts o = {0};
  int rc = read_args(argc, argv, "cites", false, &o);
  if (rc) return rc;
  if (o.npos != 1) return cli_usage("cites: give one SYMBOL");
  return run_query(&o, "cites");
}

int cmd_stats(int argc, char **argv) {
  read_opts o = {0};
  int rc = read_args(argc, argv, "stats", true, &o);
  if (rc) return rc;
  if (o.npos) return cli_usage("stats: no argument expected ('%s')", o.pos[0]);
  return run_query(&o, "stats");
}
