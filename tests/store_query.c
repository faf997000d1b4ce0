/* store_query.c: checks of query_mandates and of the full-text index against a
 * registry made by `mandat ingest` of the corpus (tests/store.sh builds and runs
 * it): every filter with SQL injection attempts gives no row and leaves the tables
 * alone; plain filters give rows; the FTS index passes FTS5's integrity-check and
 * stays in step when a document is deleted.  Usage: store_query DB.  Prints
 * "ok"/"not ok" lines and "N passed, N failed". */
#include <stdio.h>

#include "query.h"
#include "store.h"

static int pass, fail;

static void check(bool cond, const char *what) {
  if (cond) pass++, printf("ok - %s\n", what);
  else fail++, printf("not ok - %s\n", what);
}

static int count_row(const query_mandate *m, void *ctx) {
  (void)m;
  ++*(long *)ctx;
  return 0;
}

static long mandates(sqlite3 *db, const query_filter *f, query_status *qs) {
  long n = 0;
  char err[256];
  *qs = query_mandates(db, f, count_row, &n, err, sizeof err);
  return n;
}

static long scalar(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

int main(int argc, char **argv) {
  static const char *const evil[] = {"A/RES/80/229' OR 1=1 --", "'; DROP TABLE documents; --",
                                     "\" OR \"\"=\"", "x') UNION SELECT sql FROM sqlite_master --", "%", NULL};
  sqlite3 *db = NULL;
  char err[512], what[200];
  query_status qs;
  if (argc != 2) {
    fprintf(stderr, "usage: store_query DB\n");
    return 2;
  }
  if (store_open(argv[1], true, &db, err, sizeof err) != SQLITE_OK) {
    printf("not ok - open %s: %s\n0 passed, 1 failed\n", argv[1], err);
    return 1;
  }
  long docs = scalar(db, "SELECT count(*) FROM documents");
  query_filter all = {0};
  long everything = mandates(db, &all, &qs);
  check(qs == QUERY_OK && everything > 0, "mandates without filters give rows");
  query_filter f1 = {.addressee = "member-states", .force = "request", .organ = "GA"};
  long some = mandates(db, &f1, &qs);
  check(qs == QUERY_OK && some > 0 && some < everything, "addressee, force and organ filters narrow");
  query_filter f2 = {.year_from = 2016, .year_to = 2016, .conditions = true};
  check(mandates(db, &f2, &qs) > 0 && qs == QUERY_OK, "year and conditions filters");
  query_filter f3 = {.no_reporting = true, .since = "2020"};
  check(mandates(db, &f3, &qs) > 0 && qs == QUERY_OK, "no-reporting and since filters");
  query_filter f4 = {.symbol = "A/RES/80/229"};
  check(mandates(db, &f4, &qs) > 0, "symbol filter");
  for (const char *const *e = evil; *e; e++) {
    static const char *const names[] = {"symbol", "addressee", "force", "organ", "since"};
    for (int i = 0; i < 5; i++) {
      query_filter f = {0};
      switch (i) {
      case 0: f.symbol = *e; break;
      case 1: f.addressee = *e; break;
      case 2: f.force = *e; break;
      case 3: f.organ = *e; break;
      default: f.since = *e; break;
      }
      long n = mandates(db, &f, &qs);
      snprintf(what, sizeof what, "mandates --%s \"%s\": no rows, %s", names[i], *e,
               i == 4 ? "refused as not a date" : "no SQL error");
      check(n == 0 && qs == (i == 4 ? QUERY_BAD : QUERY_NONE), what);
    }
    mandat_buf out = {0};
    query_filter f = {.symbol = *e, .organ = *e};
    qs = query_stats(db, &f, true, &out, err, sizeof err);
    snprintf(what, sizeof what, "stats --symbol/--organ \"%s\": nothing matches", *e);
    check(qs == QUERY_NONE && out.len == 0, what);
    buf_free(&out);
  }
  check(scalar(db, "SELECT count(*) FROM documents") == docs && docs > 0, "documents table intact");
  /* the full-text index */
  check(sqlite3_exec(db, "INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('integrity-check')", NULL, NULL,
                     NULL) == SQLITE_OK,
        "FTS index in step with paragraphs after ingest");
  long hits = scalar(db, "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'penale'");
  check(hits > 0, "FTS finds an accent-folded word");
  sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
  int rc = sqlite3_exec(db, "DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)", NULL, NULL, NULL);
  check(rc == SQLITE_OK && scalar(db, "SELECT count(*) FROM paragraphs p LEFT JOIN entities e ON e.id = "
                                      "p.entity_id WHERE e.id IS NULL") == 0,
        "deleting a document cascades to its rows");
  check(sqlite3_exec(db, "INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('integrity-check')", NULL, NULL,
                     NULL) == SQLITE_OK &&
            scalar(db, "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'penale'") < hits,
        "FTS index in step after a delete");
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  store_close(db);
  printf("%d passed, %d failed\n", pass, fail);
  return fail ? 1 : 0;
}
