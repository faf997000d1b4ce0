/* fts.h: the "mandat" FTS5 tokenizer of the registry's full-text index
 * (paragraphs_fts in docs/schema.sql): case and accent folding, French, English
 * and Spanish stems, UN symbols kept whole.  The top of fts.c says what it emits. */
#ifndef MANDAT_FTS_H
#define MANDAT_FTS_H

#include <sqlite3.h>
#include <stddef.h>

/* Register the tokenizer under the name "mandat" on db.  Call it right after
 * opening, before any statement touches a table declared with tokenize='mandat'.
 * Returns SQLITE_OK or an SQLite result code (SQLITE_ERROR when the library has no
 * FTS5).  The auxiliary function below keeps some state with db (row lengths,
 * the filter's slot), freed when db closes. */
int mandat_fts_register(sqlite3 *db);

/* An auxiliary function comes with the tokenizer, for paragraphs_fts (rank.c):
 *
 * mandat_search(paragraphs_fts, P), P a mandat_fts_search bound with
 * sqlite3_bind_pointer(..., MANDAT_FTS_SEARCH, NULL), run as
 *   SELECT mandat_search(paragraphs_fts, ?2) FROM paragraphs_fts
 *   WHERE paragraphs_fts MATCH ?1 LIMIT 1
 * with ?1 = P->expr, does the whole search on the first row the expression finds:
 * every row it matches, the filter, bm25 scores and the best P->offset + P->limit.
 * When the expression finds nothing the function does not run and P is left as it
 * was (nothing found).
 *
 * Scores are FTS5's bm25(paragraphs_fts) (higher is better here).  The expression's
 * nphrase phrases (in the order of the text) may fall in ngroups groups: the
 * phrases of a group are the forms of one query word written as separate terms
 * ("\1form" OR "\1form", MANDAT_FTS_EXACT below), scored as FTS5 scores that word as
 * one phrase whose term has the forms as synonyms (a place where any form is counts
 * once; the IDF counts the rows with any form).  FTS5 reads an OR of plain terms
 * several times as fast as a term with synonyms.
 *
 * The filter's test gets arg, the connection, a slot of its own kept with the
 * connection (NULL at first; what it puts there is freed with *slot_free when the
 * connection closes) and the rowid, in ascending rowid order, and returns 1 keep,
 * 0 drop, or minus an SQLite error code. */
typedef struct {
  int (*test)(void *arg, sqlite3 *db, void **slot, void (**slot_free)(void *),
              sqlite3_int64 rowid);
  void *arg;
} mandat_fts_row_filter;

typedef struct {
  /* in */
  const char *expr;                     /* the MATCH expression, as search.c writes it */
  const int *group;                     /* NULL, or group[i] of phrase i, 0..ngroups-1 */
  int nphrase, ngroups;
  const mandat_fts_row_filter *filter;  /* NULL: every row */
  long offset;
  int limit;
  /* out */
  sqlite3_int64 rows, kept;  /* rows the expression matches; of those, the filter's */
  sqlite3_int64 *id;         /* the page, best first (malloc'd: the caller frees) */
  double *score;
  int n, done;
} mandat_fts_search;
#define MANDAT_FTS_SEARCH "mandat_fts_search"

/* In a query, a phrase whose text starts with this byte is the rest of the text as
 * one term, not tokenized: "\1corrupt" asks for the index term "corrupt" alone. */
#define MANDAT_FTS_EXACT '\1'
#define MANDAT_FTS_TERM_MAX 200 /* bytes of a term, its NUL included */

/* The terms the tokenizer asks for when a query holds the word w[0..n) (its forms,
 * fts.c), into out[0..max); returns how many, or 0 when w[0..n) is not one word or
 * symbol (none, several) or a term does not fit. */
int mandat_fts_query_terms(const char *w, size_t n, char (*out)[MANDAT_FTS_TERM_MAX], int max);

/* The tokenizer outside FTS5, to compute what FTS5 computes from the tokens (search's
 * snippets, snippet.h) without a full-text query.  mandat_fts_tokens() tokenizes
 * text[0..n) as FTS5 does with these flags: FTS5_TOKENIZE_DOCUMENT, what the index
 * holds (every form of a word); FTS5_TOKENIZE_QUERY, what a phrase of a query asks
 * for (its words' stems), with FTS5_TOKENIZE_PREFIX for a phrase followed by '*' (its
 * last word a prefix).  fn gets each token in order, one call a position: its
 * position (0, 1, ...: FTS5's offsets), its bytes [start, end) in text (FTS5_TOKENIZE_AUX,
 * which snippet() and highlight() use, gives the same positions and bytes), and its
 * forms: the terms at that position (a query's synonyms), not NUL-terminated, valid
 * during the call (a query phrase that starts with MANDAT_FTS_EXACT: the rest, one
 * term).  A word that folds to nothing has no position, as in the index.
 * Returns SQLITE_OK or what fn returned (not SQLITE_OK: the end).  A tokenizer keeps
 * the forms of the words it has seen (fts.c), so one kept for many texts stems each
 * word once; it is one thread's at a time. */
#define MANDAT_FTS_MAX_FORMS 8
typedef struct mandat_fts_tokenizer mandat_fts_tokenizer;
typedef struct {
  int pos, start, end;
  int nform;
  const char *form[MANDAT_FTS_MAX_FORMS];
  int len[MANDAT_FTS_MAX_FORMS];
} mandat_fts_token;
mandat_fts_tokenizer *mandat_fts_tokenizer_new(void);    /* NULL when out of memory */
void mandat_fts_tokenizer_free(mandat_fts_tokenizer *t); /* NULL: no-op */
int mandat_fts_tokens(mandat_fts_tokenizer *t, int flags, const char *text, size_t n,
                      int (*fn)(void *ctx, const mandat_fts_token *tok), void *ctx);

/* 1 when the tokenizer finds at least one word or symbol in s[0..n) (any bytes). */
int mandat_fts_has_word(const char *s, size_t n);

/* Longest token kept, in bytes of input: longer runs are cut (fts.c says why). */
#define MANDAT_FTS_MAX_TOKEN 64

#endif
