/* snippet_check.c: the snippets of src/snippet.c against FTS5's snippet(), byte for
 * byte, on a registry (opened read-only).  For each query, the expression of
 * search_translate(), hits from the index (from a random rowid on), and for each hit,
 * three times with marks and lengths drawn from those below, FTS5's snippet (by the
 * statement MATCH ?1 AND rowid = ?2) against snippet_make() on the row's text.
 *
 * The queries: the 58 of bench/search_bench.c (their words; the filters do not change a
 * snippet), then random ones made from the registry's own text: words as written
 * (accents, capitals, French, English, Spanish), prefixes of them, phrases of 2 to 4
 * consecutive words, symbols and their numbers, and nested AND/OR/NOT of those; and a
 * few written to hit FTS5's corner cases (the top of snippet.c).  The lengths: 24 (the
 * command line), 32 (the API), 1, 2, 3, 5, 64 and random ones; marks [..], \2..\3,
 * <b>..</b>, none.
 *
 * usage: snippet_check DB [QUERIES [HITS [SEED]]]
 *   QUERIES random queries (default 400), HITS hits per query at most (default 8).
 * Prints the mismatches (at most 20 in full) and a last line
 * "snippets: Q queries, H hits, C compared, M mismatches, F left to FTS5 (R queries)"
 * (C and F count snippets, three a hit; R queries whose snippets are all FTS5's);
 * exit status 1 when a snippet differs or a query fails.  tests/search.sh runs it on
 * the fixtures and the corpus; on the large registry:
 *   make build/snippet_check && build/snippet_check /var/tmp/scale40k/registry.db 2000 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fts.h"
#include "search.h"
#include "snippet.h"

static const char *const fixed[] = {
    /* bench/search_bench.c */
    "ressources", "extrabudgetary", "corruption", "cybercriminalité", "terrorism", "prisons",
    "victims", "jeunes", "trafficking", "migrants", "Requests", "prie", "firearms", "drogue",
    "women", "enfants", "Kyoto", "cooperation", "justice", "développement",
    "ressource extrabudgetaire", "request report implementation", "coopération internationale",
    "organized crime", "climate change adaptation", "\"ressources extrabudgétaires\"",
    "\"Secretary-General\"", "\"transnational organized crime\"",
    "\"Office des Nations Unies contre la drogue et le crime\"", "\"Member States\"",
    "\"human rights\"", "\"justice pénale\"", "\"sustainable development\"",
    "\"technical assistance\"", "\"États Membres\"", "extrabud*", "cyber*", "corrupt*", "traffick*",
    "préven*", "corruption AND assets", "prisons OR detention", "terrorism NOT financing",
    "(women OR girls) AND violence", "drogue AND (trafic OR traite)", "A/RES/70/1", "70/1",
    "79/243", "46/152", "A/CONF.234/16", "corruption", "prie", "victims", "Requests", "ressources",
    "crime", "justice", "\"Member States\"",
    /* corner cases: phrases of several forms, a prefix phrase, operators nested, the
     * AND of snippet.c's top comment (hits with an instance under its OR are FTS5's) */
    "\"Member States\" OR prie", "(\"Member States\" AND (urges OR requests)) OR prie",
    "(\"États Membres\" AND (prie OR invite)) OR décide", "\"Member Sta\"*",
    "\"ressources extra\"*", "(prie NOT (Office OR \"Nations Unies\")) OR décide",
    "((a OR b) AND (c OR \"d e\")) OR (f NOT g)", "S/RES/2341", "quokka", "pangolin",
    "ornitorrinco", "zygomorph*", "\"zygomorphic pang\"*", "pidió", "Pide", "E/CN.15*", "80/229",
    "2341", "\"the quokka and extrabudgetary\"", "quokka NOT coopération",
    "(pangolin OR quokka) AND zygomorphic",
    "AbcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijXYZ", NULL};

typedef struct {
  const char *open, *close;
} marks;
static const marks mark_sets[] = {{"[", "]"}, {"\x02", "\x03"}, {"<b>", "</b>"}, {"", ""}};
static const int lengths[] = {24, 32, 1, 2, 3, 5, 64};

static uint64_t rng = 88172645463325252u;
static uint64_t next_rand(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return rng;
}
static int below(int n) { return n > 0 ? (int)(next_rand() % (uint64_t)n) : 0; }

typedef struct {
  sqlite3 *db;
  sqlite3_stmt *hits, *text, *fts5;
  sqlite3_int64 max_id;
  mandat_fts_tokenizer *tok;
  long queries, nhits, compared, mismatches, asked, asked_queries, failed;
} checker;

/* ---- random queries from the registry's text ---------------------------------- */

typedef struct {
  int start[512], end[512];
  int n;
} spans;

static int add_span(void *ctx, const mandat_fts_token *t) {
  spans *s = ctx;
  if (s->n == 512)
    return SQLITE_DONE;
  s->start[s->n] = t->start, s->end[s->n++] = t->end;
  return SQLITE_OK;
}

/* The text of a random paragraph and its tokens; NULL when none is found. */
static char *random_text(checker *c, spans *s) {
  for (int tries = 0; tries < 20; tries++) {
    sqlite3_reset(c->text);
    sqlite3_bind_int64(c->text, 1, 1 + (sqlite3_int64)(next_rand() % (uint64_t)c->max_id));
    if (sqlite3_step(c->text) != SQLITE_ROW || sqlite3_column_type(c->text, 0) == SQLITE_NULL)
      continue;
    char *t = xstrdup((const char *)sqlite3_column_text(c->text, 0));
    s->n = 0;
    mandat_fts_tokens(c->tok, FTS5_TOKENIZE_DOCUMENT, t, strlen(t), add_span, s);
    if (s->n > 0)
      return t;
    free(t);
  }
  return NULL;
}

/* One operand: a word, a prefix, a phrase or a symbol's number, as a user writes it. */
static void operand(checker *c, mandat_buf *q) {
  spans s;
  char *t = random_text(c, &s);
  if (!t) {
    buf_puts(q, "resolution");
    return;
  }
  int i = below(s.n), kind = below(10);
  const char *w = t + s.start[i];
  int len = s.end[i] - s.start[i];
  if (kind <= 1 && s.n > 1) { /* a phrase of 2 to 4 words */
    int k = 2 + below(3);
    if (k > s.n)
      k = s.n;
    if (i + k > s.n)
      i = s.n - k;
    const char *a = t + s.start[i];
    size_t n = (size_t)(s.end[i + k - 1] - s.start[i]);
    if (!memchr(a, '"', n)) {
      buf_putc(q, '"'), buf_put(q, a, n), buf_putc(q, '"');
      if (below(6) == 0)
        buf_putc(q, '*');
      free(t);
      return;
    }
  }
  if (kind == 2 && len > 3) { /* a prefix of 2 to 6 bytes, on a character boundary */
    int k = 2 + below(5);
    if (k > len - 1)
      k = len - 1;
    while (k > 2 && ((unsigned char)w[k] & 0xC0) == 0x80)
      k--;
    if (((unsigned char)w[k] & 0xC0) != 0x80) {
      buf_put(q, w, (size_t)k), buf_putc(q, '*');
      free(t);
      return;
    }
  }
  const char *slash = memchr(w, '/', (size_t)len);
  if (kind == 3 && slash) { /* a symbol's number: the tail from its first digit part */
    const char *d = w;
    while (d < w + len && !(*d >= '0' && *d <= '9' && (d == w || d[-1] == '/')))
      d++;
    if (d < w + len) {
      buf_put(q, d, (size_t)(w + len - d));
      free(t);
      return;
    }
  }
  /* the word as written; an operator word would be taken for an operator */
  if ((len == 2 && !memcmp(w, "OR", 2)) ||
      (len == 3 && (!memcmp(w, "AND", 3) || !memcmp(w, "NOT", 3))))
    buf_puts(q, "resolution");
  else
    buf_put(q, w, (size_t)len);
  free(t);
}

/* A query of depth levels of operators at most. */
static void random_query(checker *c, mandat_buf *q, int depth) {
  if (depth == 0 || below(3) == 0) {
    operand(c, q);
    return;
  }
  static const char *const ops[] = {" AND ", " OR ", " NOT ", " "};
  int paren = below(2);
  if (paren)
    buf_putc(q, '(');
  random_query(c, q, depth - 1);
  buf_puts(q, ops[below(4)]);
  random_query(c, q, depth - 1);
  if (paren)
    buf_putc(q, ')');
}

/* ---- the comparison --------------------------------------------------------------- */

static void compare(checker *c, const char *query, const char *expr, snippet_query *sq,
                    sqlite3_int64 rowid) {
  sqlite3_reset(c->text);
  sqlite3_bind_int64(c->text, 1, rowid);
  if (sqlite3_step(c->text) != SQLITE_ROW)
    return;
  const char *text = (const char *)sqlite3_column_text(c->text, 0);
  size_t n = (size_t)sqlite3_column_bytes(c->text, 0);
  c->nhits++;
  for (int k = 0; k < 3; k++) {
    const marks *m = &mark_sets[below(4)];
    int tokens = below(3) ? lengths[below(7)] : 1 + below(64);
    char *mine = NULL;
    snippet_status st =
        sq ? snippet_make(sq, text, n, m->open, m->close, "…", tokens, &mine) : SNIPPET_ASK_FTS5;
    sqlite3_reset(c->fts5);
    sqlite3_bind_text(c->fts5, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->fts5, 2, rowid);
    sqlite3_bind_text(c->fts5, 3, m->open, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->fts5, 4, m->close, -1, SQLITE_STATIC);
    sqlite3_bind_int(c->fts5, 5, tokens);
    if (sqlite3_step(c->fts5) != SQLITE_ROW) {
      printf("FTS5 gives no row: %s (rowid %lld): %s\n", query, (long long)rowid,
             sqlite3_errmsg(c->db));
      c->failed++;
    } else if (st != SNIPPET_OK) {
      c->asked++;
    } else {
      const char *fts5 = (const char *)sqlite3_column_text(c->fts5, 0);
      c->compared++;
      if (!fts5 || strcmp(fts5, mine) != 0) {
        if (c->mismatches++ < 20)
          printf("MISMATCH query %s | expr %s | rowid %lld | tokens %d marks %s%s\n  fts5: %s\n  "
                 "mine: %s\n  text: %s\n",
                 query, expr, (long long)rowid, tokens, m->open, m->close, fts5 ? fts5 : "(null)",
                 mine, text);
      }
    }
    free(mine);
  }
}

static void check_query(checker *c, const char *query, int max_hits) {
  char *expr = NULL, err[300];
  if (search_translate(query, &expr, err, sizeof err) != SEARCH_OK)
    return; /* a random query can be malformed: "x NOT NOT y" */
  c->queries++;
  snippet_query *sq = snippet_query_new(expr);
  if (!sq)
    c->asked_queries++;
  sqlite3_int64 from = (sqlite3_int64)(next_rand() % (uint64_t)(c->max_id + 1));
  sqlite3_int64 ids[64];
  int n = 0;
  for (int pass = 0; pass < 2 && n < max_hits; pass++) { /* from a random row, then from 0 */
    sqlite3_reset(c->hits);
    sqlite3_bind_text(c->hits, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->hits, 2, pass ? 0 : from);
    sqlite3_bind_int(c->hits, 3, max_hits - n);
    int rc;
    while ((rc = sqlite3_step(c->hits)) == SQLITE_ROW) {
      sqlite3_int64 id = sqlite3_column_int64(c->hits, 0);
      bool dup = false;
      for (int i = 0; i < n; i++)
        dup |= ids[i] == id;
      if (!dup)
        ids[n++] = id;
    }
    if (rc != SQLITE_DONE) {
      printf("query fails: %s: %s\n", expr, sqlite3_errmsg(c->db));
      c->failed++;
      break;
    }
  }
  for (int i = 0; i < n; i++)
    compare(c, query, expr, sq, ids[i]);
  snippet_query_free(sq);
  free(expr);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: snippet_check DB [QUERIES [HITS [SEED]]]\n");
    return 2;
  }
  int nrandom = argc > 2 ? atoi(argv[2]) : 400, max_hits = argc > 3 ? atoi(argv[3]) : 8;
  if (argc > 4)
    rng ^= strtoull(argv[4], NULL, 10) * 0x9E3779B97F4A7C15u;
  if (max_hits < 1 || max_hits > 64)
    max_hits = 8;
  checker c = {0};
  if (sqlite3_open_v2(argv[1], &c.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      mandat_fts_register(c.db) != SQLITE_OK ||
      sqlite3_prepare_v2(c.db,
                         "SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ?1"
                         " AND rowid >= ?2 LIMIT ?3",
                         -1, &c.hits, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(c.db, "SELECT text FROM paragraphs WHERE id = ?1", -1, &c.text, NULL) !=
          SQLITE_OK ||
      sqlite3_prepare_v2(c.db,
                         "SELECT snippet(paragraphs_fts, 0, ?3, ?4, '…', ?5) FROM paragraphs_fts"
                         " WHERE paragraphs_fts MATCH ?1 AND paragraphs_fts.rowid = ?2",
                         -1, &c.fts5, NULL) != SQLITE_OK) {
    fprintf(stderr, "snippet_check: %s: %s\n", argv[1], sqlite3_errmsg(c.db));
    return 1;
  }
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(c.db, "SELECT max(id) FROM paragraphs", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    c.max_id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  c.tok = mandat_fts_tokenizer_new();
  if (c.max_id < 1 || !c.tok) {
    fprintf(stderr, "snippet_check: %s: no paragraph\n", argv[1]);
    return 1;
  }
  sqlite3_exec(c.db, "BEGIN", NULL, NULL, NULL); /* one read of the registry */
  for (int i = 0; fixed[i]; i++)
    check_query(&c, fixed[i], max_hits);
  for (int i = 0; i < nrandom; i++) {
    mandat_buf q = {0};
    random_query(&c, &q, i % 4);
    check_query(&c, buf_cstr(&q), max_hits);
    buf_free(&q);
  }
  sqlite3_exec(c.db, "COMMIT", NULL, NULL, NULL);
  printf("snippets: %ld queries, %ld hits, %ld compared, %ld mismatches, %ld left to FTS5 (%ld "
         "queries)\n",
         c.queries, c.nhits, c.compared, c.mismatches, c.asked, c.asked_queries);
  sqlite3_finalize(c.hits);
  sqlite3_finalize(c.text);
  sqlite3_finalize(c.fts5);
  mandat_fts_tokenizer_free(c.tok);
  sqlite3_close(c.db);
  return c.mismatches || c.failed ? 1 : 0;
}
