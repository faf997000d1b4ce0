/* rank_check.c: mandat's ranking against FTS5's own.  search_run() ranks inside one
 * call of mandat_search() (src/rank.c): its own AND, OR and NOT over the rows of
 * each phrase, a word's forms as separate terms, bm25 computed in C.  FTS5 ranks the
 * same query with bm25() over the expression search_translate() writes, where a
 * word's forms are synonyms.  For each query below, on the registry DB (the bundled
 * corpus, ingested by tests/search.sh), this checks that both find the same number
 * of paragraphs, the same paragraphs in the same order (rows whose scores tie may
 * come in either order) and the same scores, for several pages, and that the query
 * finds something (a check on nothing proves nothing).
 *
 * usage: rank_check DB   Prints "ok"/"not ok" lines and "N passed, N failed".
 * tests/search.sh builds it with tests/build_test.sh and runs it. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "search.h"
#include "store.h"

static int pass, fail;

static void check(int ok, const char *what, const char *q, const char *why) {
  if (ok) {
    pass++;
    printf("ok - %s: %s\n", what, q);
  } else {
    fail++;
    printf("not ok - %s: %s (%s)\n", what, q, why);
  }
}

/* Words, forms, phrases, prefixes, and every way an operator can sit under another:
 * the cases where FTS5 leaves a phrase out of a row's score (the right side of a
 * NOT, an AND that does not match the row under an OR). */
static const char *const queries[] = {
    "ressources",
    "extrabudgétaires",
    "prie",
    "criminalité",
    "Office",
    "ressource extrabudgetaire",
    "\"États Membres\"",
    "\"Office des Nations Unies contre la drogue et le crime\"",
    "préven*",
    "coopér*",
    "drogue OR corruption",
    "prie AND rapport",
    "prie NOT rapport",
    "(prie AND rapport) OR drogue",
    "(prie NOT rapport) OR prévention",
    "prévention OR (prie NOT rapport)",
    "(drogue OR crime) AND (prie OR invite)",
    "((drogue AND trafic) OR (criminalité AND organisée)) NOT terrorisme",
    "\"justice pénale\" OR (réforme AND prisons)",
    "(\"justice pénale\" AND prisons) OR drogue",
    "(prie AND \"États Membres\") OR corruption",
    "Etats OR membres OR \"États Membres\"",
    "70/1",
    "69/196",
    "2030",
};

typedef struct {
  long long id;
  double score;
} row;

/* FTS5's ranking of expr: every current paragraph it matches, best first. */
static int oracle(sqlite3 *db, const char *expr, row **out, int *n) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(
      db,
      "SELECT f.rowid, -bm25(paragraphs_fts) FROM paragraphs_fts f"
      " CROSS JOIN paragraphs p ON p.id = f.rowid CROSS JOIN entities e ON e.id = p.entity_id"
      " CROSS JOIN documents d ON d.id = e.document_id"
      " WHERE paragraphs_fts MATCH ?1 AND d.current = 1 ORDER BY bm25(paragraphs_fts), f.rowid",
      -1, &st, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  int cap = 0;
  *n = 0;
  *out = NULL;
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap)
      cap = cap ? 2 * cap : 256, *out = realloc(*out, (size_t)cap * sizeof **out);
    (*out)[*n].id = sqlite3_column_int64(st, 0);
    (*out)[(*n)++].score = sqlite3_column_double(st, 1);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int same_score(double a, double b) { return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b)); }

/* One page of search_run against the oracle's rows from offset on. */
static void page(sqlite3 *db, const char *q, const row *want, int nwant, long offset, int limit) {
  char err[300], what[80], why[300];
  snprintf(what, sizeof what, "ranking, offset %ld limit %d", offset, limit);
  search_opts o = {.query = q, .offset = offset, .limit = limit};
  search_result r;
  if (search_run(db, &o, &r, err, sizeof err) != SEARCH_OK) {
    check(0, what, q, err);
    return;
  }
  int expect = nwant - offset < 0 ? 0 : nwant - offset < limit ? (int)(nwant - offset) : limit;
  int ok = r.total == nwant && r.n == expect;
  snprintf(why, sizeof why, "total %ld and %d hits, FTS5: %d and %d", r.total, r.n, nwant, expect);
  /* rowids are not in a hit; a paragraph is its file and line, and its score */
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2(db, "SELECT line_first FROM paragraphs WHERE id = ?1", -1, &st, NULL);
  for (int i = 0; ok && i < r.n; i++) {
    const row *w = &want[offset + i];
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, w->id);
    int line = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    bool tie = (offset + i > 0 && same_score(want[offset + i - 1].score, w->score)) ||
               (offset + i + 1 < nwant && same_score(want[offset + i + 1].score, w->score));
    if (!same_score(r.hits[i].score, w->score) || (!tie && r.hits[i].line != line)) {
      ok = 0;
      snprintf(why, sizeof why, "hit %ld: line %d score %.12g, FTS5: line %d score %.12g",
               offset + i + 1, r.hits[i].line, r.hits[i].score, line, w->score);
    }
  }
  sqlite3_finalize(st);
  check(ok, what, q, why);
  search_result_free(&r);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: rank_check DB\n");
    return 2;
  }
  sqlite3 *db = NULL;
  char err[300];
  if (store_open(argv[1], false, &db, err, sizeof err) != SQLITE_OK) {
    fprintf(stderr, "rank_check: %s: %s\n", argv[1], err);
    return 1;
  }
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
    const char *q = queries[i];
    char *expr = NULL;
    row *want = NULL;
    int nwant = 0;
    if (search_translate(q, &expr, err, sizeof err) != SEARCH_OK ||
        oracle(db, expr, &want, &nwant) != SQLITE_OK) {
      check(0, "FTS5 runs the query", q, expr ? sqlite3_errmsg(db) : err);
    } else {
      check(nwant > 0, "the corpus has matches", q, "none");
      page(db, q, want, nwant, 0, 1000);
      page(db, q, want, nwant, 0, 3);
      page(db, q, want, nwant, 7, 5);
      page(db, q, want, nwant, nwant > 2 ? nwant - 2 : 0, 10);
    }
    free(want);
    free(expr);
  }
  store_close(db);
  printf("%d passed, %d failed\n", pass, fail);
  return fail != 0;
}
