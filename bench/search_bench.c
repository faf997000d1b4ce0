/* search_bench.c: search latency on a registry, mandat against raw SQLite in the
 * same run.  Each of a fixed set of queries (words, phrases, prefixes, boolean,
 * symbols, filters) runs through search_run() — what `mandat search` and the
 * server do: parse, filters, joins, snippets, total — and its FTS5 expression runs
 * through the bare sqlite3 API (the FTS5 table alone, top 20 by bm25, no filter,
 * join or snippet), alternately, ROUNDS times each after one warm-up.  Prints the
 * p50 and p95 over the queries of each one's median time, and the ratio; then the
 * same for the search with its facets (search_opts.facets, as the web page asks).
 * The raw query is FTS5's own: bm25(), the expression as search_translate writes it;
 * search_run gives the same scores (tests/rank_check.c checks it), ranking in C
 * with mandat_search() (src/rank.c) over each word's forms as separate terms
 * (fts.h).  No result is kept from one run to the next: what search_run keeps on
 * its connection, once that has searched enough, is the registry's row lengths,
 * filter properties (rank.c, search.c) and the memory of its lists, as any
 * long-lived connection.
 *
 * usage: search_bench DB [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fts.h"
#include "search.h"
#include "store.h"

typedef struct {
  const char *q; /* the rest: filters, NULL when unset */
  const char *lang, *kind, *organ, *force, *addressee, *symbol, *years;
} bench_query;

static const bench_query queries[] = {
    /* single words, French and English, some with accents or inflections */
    {"ressources"},
    {"extrabudgetary"},
    {"corruption"},
    {"cybercriminalité"},
    {"terrorism"},
    {"prisons"},
    {"victims"},
    {"jeunes"},
    {"trafficking"},
    {"migrants"},
    {"Requests"},
    {"prie"},
    {"firearms"},
    {"drogue"},
    {"women"},
    {"enfants"},
    {"Kyoto"},
    {"cooperation"},
    {"justice"},
    {"développement"},
    /* words together */
    {"ressource extrabudgetaire"},
    {"request report implementation"},
    {"coopération internationale"},
    {"organized crime"},
    {"climate change adaptation"},
    /* phrases */
    {"\"ressources extrabudgétaires\""},
    {"\"Secretary-General\""},
    {"\"transnational organized crime\""},
    {"\"Office des Nations Unies contre la drogue et le crime\""},
    {"\"Member States\""},
    {"\"human rights\""},
    {"\"justice pénale\""},
    {"\"sustainable development\""},
    {"\"technical assistance\""},
    {"\"États Membres\""},
    /* prefixes */
    {"extrabud*"},
    {"cyber*"},
    {"corrupt*"},
    {"traffick*"},
    {"préven*"},
    /* boolean */
    {"corruption AND assets"},
    {"prisons OR detention"},
    {"terrorism NOT financing"},
    {"(women OR girls) AND violence"},
    {"drogue AND (trafic OR traite)"},
    /* symbols and resolution numbers */
    {"A/RES/70/1"},
    {"70/1"},
    {"79/243"},
    {"46/152"},
    {"A/CONF.234/16"},
    /* filters */
    {"corruption", .lang = "en"},
    {"prie", .kind = "operative", .years = "2000-2010"},
    {"victims", .organ = "GA", .years = "2015"},
    {"Requests", .force = "request"},
    {"ressources", .addressee = "member-states"},
    {"crime", .symbol = "A/RES/70/*"},
    {"justice", .kind = "preamble", .lang = "fr"},
    {"\"Member States\"", .years = "1990-1999", .kind = "operative"},
};
#define NQ (sizeof queries / sizeof queries[0])

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p) {
  qsort(v, n, sizeof *v, cmp);
  size_t i = (size_t)(p * (double)(n - 1) + 0.5);
  return v[i];
}

/* The raw query: FTS5 alone, top 20 by bm25, rows read as a client would. */
static int run_raw(sqlite3_stmt *st, const char *expr, long *rows) {
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  int rc;
  *rows = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    (void)sqlite3_column_int64(st, 0);
    (void)sqlite3_column_double(st, 1);
    (*rows)++;
  }
  return rc == SQLITE_DONE ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: search_bench DB [ROUNDS]\n");
    return 2;
  }
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  if (rounds < 1)
    rounds = 1;
  char err[300];
  sqlite3 *db = NULL, *raw = NULL;
  if (store_open(argv[1], false, &db, err, sizeof err) != SQLITE_OK) {
    fprintf(stderr, "search_bench: %s: %s\n", argv[1], err);
    return 1;
  }
  /* raw: a plain read-only connection; the table needs the tokenizer to parse
   * the MATCH expression */
  if (sqlite3_open_v2(argv[1], &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      mandat_fts_register(raw) != SQLITE_OK) {
    fprintf(stderr, "search_bench: %s: %s\n", argv[1], sqlite3_errmsg(raw));
    return 1;
  }
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(
          raw,
          "SELECT rowid, bm25(paragraphs_fts) FROM paragraphs_fts WHERE paragraphs_fts MATCH ?1"
          " ORDER BY bm25(paragraphs_fts) LIMIT 20",
          -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "search_bench: %s\n", sqlite3_errmsg(raw));
    return 1;
  }
  double med_m[NQ], med_r[NQ], med_f[NQ], tm[64], tr[64], tf[64];
  if (rounds > 64)
    rounds = 64;
  int failed = 0;
  printf("%-58s %9s %9s %8s %8s %8s\n", "query", "hits", "raw rows", "mandat", "raw", "facets");
  for (size_t i = 0; i < NQ; i++) {
    const bench_query *b = &queries[i];
    search_opts o = {.query = b->q,
                     .lang = b->lang,
                     .kind = b->kind,
                     .organ = b->organ,
                     .force = b->force,
                     .addressee = b->addressee,
                     .symbol = b->symbol,
                     .limit = 20};
    if (b->years)
      search_parse_years(b->years, &o.year_from, &o.year_to);
    char *expr = NULL;
    if (search_translate(b->q, &expr, err, sizeof err) != SEARCH_OK) {
      fprintf(stderr, "search_bench: %s: %s\n", b->q, err);
      return 1;
    }
    long total = 0, rows = 0;
    for (int r = -1; r < rounds; r++) { /* r = -1: warm-up, not counted */
      search_result res;
      double t0 = now();
      if (search_run(db, &o, &res, err, sizeof err) != SEARCH_OK) {
        fprintf(stderr, "search_bench: %s: %s\n", b->q, err);
        failed = 1;
      }
      double t1 = now();
      total = res.total;
      search_result_free(&res);
      double t2 = now();
      if (run_raw(st, expr, &rows) != 0) {
        fprintf(stderr, "search_bench: raw %s: %s\n", expr, sqlite3_errmsg(raw));
        failed = 1;
      }
      double t3 = now();
      search_opts of = o; /* the same search with its facets, as the web page asks */
      of.facets = 1;
      if (search_run(db, &of, &res, err, sizeof err) != SEARCH_OK) {
        fprintf(stderr, "search_bench: facets %s: %s\n", b->q, err);
        failed = 1;
      }
      search_result_free(&res);
      double t4 = now();
      if (r >= 0)
        tm[r] = t1 - t0, tr[r] = t3 - t2, tf[r] = t4 - t3;
    }
    med_m[i] = pct(tm, (size_t)rounds, 0.5);
    med_r[i] = pct(tr, (size_t)rounds, 0.5);
    med_f[i] = pct(tf, (size_t)rounds, 0.5);
    char label[120];
    snprintf(label, sizeof label, "%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s", b->q, b->lang ? " --lang " : "",
             b->lang ? b->lang : "", b->kind ? " --kind " : "", b->kind ? b->kind : "",
             b->organ ? " --organ " : "", b->organ ? b->organ : "", b->force ? " --force " : "",
             b->force ? b->force : "", b->addressee ? " --addressee " : "",
             b->addressee ? b->addressee : "", b->symbol ? " --symbol " : "",
             b->symbol ? b->symbol : "", b->years ? " --year " : "", b->years ? b->years : "");
    printf("%-58.58s %9ld %9ld %6.2fms %6.2fms %6.2fms\n", label, total, rows, med_m[i] * 1e3,
           med_r[i] * 1e3, med_f[i] * 1e3);
    free(expr);
  }
  double m50 = pct(med_m, NQ, 0.5), m95 = pct(med_m, NQ, 0.95);
  double r50 = pct(med_r, NQ, 0.5), r95 = pct(med_r, NQ, 0.95);
  printf("%zu queries, median of %d runs each\n", NQ, rounds);
  printf("mandat search: p50 %6.2f ms  p95 %6.2f ms   (target p50 <= 5 ms: %s)\n", m50 * 1e3,
         m95 * 1e3, m50 <= 0.005 ? "met" : "NOT met");
  printf("raw sqlite3:   p50 %6.2f ms  p95 %6.2f ms\n", r50 * 1e3, r95 * 1e3);
  printf("ratio mandat / raw: p50 %.2f  p95 %.2f   (target <= 1.5: %s)\n", m50 / r50, m95 / r95,
         m50 / r50 <= 1.5 ? "met" : "NOT met");
  printf("with facets:   p50 %6.2f ms  p95 %6.2f ms   (the search and its six facets)\n",
         pct(med_f, NQ, 0.5) * 1e3, pct(med_f, NQ, 0.95) * 1e3);
  sqlite3_finalize(st);
  sqlite3_close(raw);
  store_close(db);
  return failed;
}
