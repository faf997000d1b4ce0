/* cmd_compare.c: `mandat diff`, `mandat lineage` and `mandat duplicates`: versions
 * from files (parsed here) or from the registry (by symbol). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "diff.h"
#include "dupes.h"

typedef enum { OUT_TEXT, OUT_JSON, OUT_HTML, OUT_CSV } out_kind;

typedef struct {
  out_kind out;
  render_diff_opts r;
  const char *db_path;
  int entity[2]; /* --old-entity / --new-entity (R7 → 6), -1 when not given */
  int timing;    /* --timing: milliseconds of loading and comparing on stderr */
  sqlite3 *db;   /* opened on first use */
} cmp_opts;

static int parse_color(const char *v, int *color) {
  if (!strcmp(v, "always")) *color = 1;
  else if (!strcmp(v, "never")) *color = 0;
  else if (!strcmp(v, "auto")) *color = isatty(1) && !getenv("NO_COLOR");
  else return 0;
  return 1;
}

static int entity_index(const char *v) {
  if ((v[0] == 'R' || v[0] == 'r') && v[1]) return atoi(v + 1) - 1;
  return atoi(v) - 1;
}

/* Common options; returns 1 when argv[*i] was one (and moves *i past it), -1 on a
 * usage error, 0 if not.  cli_value leaves *i on the value: one more step. */
static int common_opt(int argc, char **argv, int *i, cmp_opts *o) {
  bool bad = false;
  const char *v;
  const char *a = argv[*i];
  if (!strcmp(a, "--json")) o->out = OUT_JSON;
  else if (!strcmp(a, "--html")) o->out = OUT_HTML;
  else if (!strcmp(a, "--csv")) o->out = OUT_CSV;
  else if (!strcmp(a, "--side-by-side")) o->r.side_by_side = 1;
  else if (!strcmp(a, "--all")) o->r.all = 1;
  else if (!strcmp(a, "--timing")) o->timing = 1;
  else if ((v = cli_value(argc, argv, i, "--color", &bad))) {
    if (!parse_color(v, &o->r.color)) return cli_usage("--color must be auto, always or never"), -1;
  } else if ((v = cli_value(argc, argv, i, "--db", &bad))) {
    o->db_path = v;
  } else if ((v = cli_value(argc, argv, i, "--entity", &bad))) {
    o->entity[0] = o->entity[1] = entity_index(v);
  } else if ((v = cli_value(argc, argv, i, "--old-entity", &bad))) {
    o->entity[0] = entity_index(v);
  } else if ((v = cli_value(argc, argv, i, "--new-entity", &bad))) {
    o->entity[1] = entity_index(v);
  } else if ((v = cli_value(argc, argv, i, "--width", &bad))) {
    o->r.width = atoi(v);
  } else return bad ? -1 : 0;
  (*i)++;
  return 1;
}

/* CPU time of the process: the figure does not depend on the load of the machine. */
static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void opts_init(cmp_opts *o) {
  memset(o, 0, sizeof *o);
  o->entity[0] = o->entity[1] = -1;
  parse_color("auto", &o->r.color);
  const char *cols = getenv("COLUMNS");
  o->r.width = cols && atoi(cols) > 40 ? atoi(cols) : 160;
}

/* One side to compare: a parsed file (doc kept for its lifetime) or a registry version. */
typedef struct {
  const char *arg;
  mandat_doc *doc;
  const mandat_entity *e;
  cmp_version *v;
} side;

static int open_db(cmp_opts *o) {
  if (o->db) return 1;
  const char *path = cli_db_path(o->db_path);
  if (access(path, R_OK) != 0 || sqlite3_open_v2(path, &o->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    fprintf(stderr, "mandat: cannot open the registry %s\n", path);
    if (o->db) sqlite3_close(o->db), o->db = NULL;
    return 0;
  }
  return 1;
}

/* Load the sides: files are parsed, anything else is a symbol in the registry.  The
 * entity of a multi-entity file is --*-entity, else the one whose title best matches
 * the title of another side (the first single-entity or registry side), else the
 * largest resolution or draft.  Returns 1 on success. */
static int load_sides(side *s, size_t n, cmp_opts *o) {
  const char *ref_title = NULL;
  for (size_t i = 0; i < n; i++) {
    mandat_error err;
    if (access(s[i].arg, R_OK) == 0) {
      if (mandat_parse_file(s[i].arg, &s[i].doc, &err) != MANDAT_OK) {
        fprintf(stderr, "mandat: %s: %s\n", s[i].arg, err.reason[0] ? err.reason : mandat_strerror(err.status));
        return 0;
      }
      if (mandat_doc_entity_count(s[i].doc) == 1 && !ref_title) ref_title = mandat_doc_entity(s[i].doc, 0)->title;
    } else {
      if (!open_db(o)) return 0;
      s[i].v = cmp_version_load(o->db, s[i].arg);
      if (!s[i].v) {
        fprintf(stderr, "mandat: %s: neither a readable file nor a symbol in the registry\n", s[i].arg);
        return 0;
      }
      if (!ref_title) ref_title = s[i].v->title;
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (!s[i].doc) continue;
    int want = n == 2 ? o->entity[i] : (i == n - 1 ? o->entity[1] : o->entity[0]);
    s[i].e = cmp_pick_entity(s[i].doc, want, ref_title);
    if (!s[i].e) {
      fprintf(stderr, "mandat: %s: no such entity\n", s[i].arg);
      return 0;
    }
    s[i].v = cmp_version_from_entity(s[i].e, s[i].arg);
  }
  return 1;
}

static void free_sides(side *s, size_t n, cmp_opts *o) {
  for (size_t i = 0; i < n; i++) {
    cmp_version_free(s[i].v);
    mandat_doc_free(s[i].doc);
  }
  if (o->db) sqlite3_close(o->db);
}

int cmd_diff(int argc, char **argv) {
  cmp_opts o;
  opts_init(&o);
  side s[2] = {{0}, {0}};
  int n = 0, rc = 1;
  for (int i = 1; i < argc;) {
    int r = common_opt(argc, argv, &i, &o);
    if (r < 0) return 2;
    if (r) continue;
    if (argv[i][0] == '-' && argv[i][1]) return cli_usage("diff: unknown option '%s'", argv[i]);
    if (n == 2) return cli_usage("diff: two versions, OLD and NEW");
    s[n++].arg = argv[i++];
  }
  if (n != 2) return cli_usage("diff: two versions, OLD and NEW");
  double t0 = now_ms();
  if (!load_sides(s, 2, &o)) goto done;
  double t1 = now_ms();
  cmp_diff d;
  cmp_diff_run(s[0].v, s[1].v, &d);
  double t2 = now_ms();
  if (o.out == OUT_JSON) render_diff_json(stdout, &d);
  else if (o.out == OUT_HTML) render_diff_html(stdout, &d);
  else render_diff_text(stdout, &d, &o.r);
  cmp_diff_free(&d);
  if (o.timing)
    fprintf(stderr, "timing: load %.1f ms, compare %.1f ms, render %.1f ms (CPU)\n", t1 - t0, t2 - t1, now_ms() - t2);
  rc = 0;
done:
  free_sides(s, 2, &o);
  return rc;
}

int cmd_lineage(int argc, char **argv) {
  cmp_opts o;
  opts_init(&o);
  side *s = xcalloc((size_t)argc + 1, sizeof *s);
  size_t n = 0;
  int rc = 2;
  for (int i = 1; i < argc;) {
    int r = common_opt(argc, argv, &i, &o);
    if (r < 0) goto done;
    if (r) continue;
    if (argv[i][0] == '-' && argv[i][1]) {
      rc = cli_usage("lineage: unknown option '%s'", argv[i]);
      goto done;
    }
    s[n++].arg = argv[i++];
  }
  if (n < 2 || n > LINEAGE_MAX_VERSIONS) {
    rc = cli_usage("lineage: between 2 and %d versions, oldest first", LINEAGE_MAX_VERSIONS);
    goto done;
  }
  rc = 1;
  double t0 = now_ms();
  if (!load_sides(s, n, &o)) goto done;
  double t1 = now_ms();
  const cmp_version **v = xmalloc(n * sizeof *v);
  for (size_t i = 0; i < n; i++) v[i] = s[i].v;
  for (size_t i = 1; i < n; i++) /* the series is taken as given: say when dates disagree */
    for (size_t j = 0; j < i; j++)
      if (v[i]->date && v[j]->date && strcmp(v[j]->date, v[i]->date) > 0)
        fprintf(stderr, "mandat: lineage: %s (%s) is given after %s (%s): versions go oldest first\n",
                v[i]->name, v[i]->date, v[j]->name, v[j]->date);
  cmp_lineage l;
  cmp_lineage_run(v, n, &l);
  double t2 = now_ms();
  if (o.out == OUT_JSON) render_lineage_json(stdout, &l);
  else if (o.out == OUT_HTML) render_lineage_html(stdout, &l);
  else render_lineage_text(stdout, &l, &o.r);
  cmp_lineage_free(&l);
  if (o.timing)
    fprintf(stderr, "timing: load %.1f ms, compare %.1f ms, render %.1f ms (CPU)\n", t1 - t0, t2 - t1, now_ms() - t2);
  free(v);
  rc = 0;
done:
  free_sides(s, n, &o);
  free(s);
  return rc;
}

int cmd_duplicates(int argc, char **argv) {
  cmp_opts o;
  opts_init(&o);
  dupes_opts d = {DUPES_THRESHOLD, 0, 0, 0};
  for (int i = 1; i < argc;) {
    bool bad = false;
    const char *v;
    int r = common_opt(argc, argv, &i, &o);
    if (r < 0) return 2;
    if (r) continue;
    if (!strcmp(argv[i], "--series")) d.series = 1;
    else if (!strcmp(argv[i], "--mandates")) d.mandates_only = 1;
    else if ((v = cli_value(argc, argv, &i, "--threshold", &bad))) {
      d.threshold = atof(v);
      if (d.threshold <= 0 || d.threshold > 1) return cli_usage("duplicates: --threshold in (0, 1]");
    } else if ((v = cli_value(argc, argv, &i, "--limit", &bad))) d.limit = atoi(v);
    else return bad ? 2 : cli_usage("duplicates: unknown argument '%s'", argv[i]);
    i++;
  }
  if (!open_db(&o)) return 1;
  dupes_result res;
  int rc = 0;
  double t0 = now_ms();
  if (dupes_find(o.db, &d, &res) != 0) rc = 1;
  else {
    if (o.out == OUT_JSON) dupes_render_json(stdout, &res);
    else if (o.out == OUT_CSV) dupes_render_csv(stdout, &res);
    else dupes_render_text(stdout, &res);
    fprintf(stderr,
            "%zu paragraphs, %zu distinct texts, %zu found word for word in several entities, "
            "%zu candidate pairs from LSH buckets, %zu rows at or above %.2f",
            res.n_paras, res.n_texts, res.n_groups, res.n_candidates, res.n, d.threshold);
    if (o.timing) fprintf(stderr, " (%.1f ms)", now_ms() - t0);
    fputc('\n', stderr);
  }
  dupes_free(&res);
  sqlite3_close(o.db);
  return rc;
}
