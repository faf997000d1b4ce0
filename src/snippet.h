/* snippet.h: the snippet of a search hit computed from the paragraph's text, byte for
 * byte what FTS5's snippet(paragraphs_fts, 0, open, close, ellipsis, tokens) gives for
 * that row and that expression (SQLite 3.40), without a full-text statement per hit.
 * snippet.c says how, and when it leaves a hit to FTS5.
 *
 * Ownership: snippet_query_new returns a query freed by snippet_query_free (it holds
 * a tokenizer and its cache, and scratch reused from one hit to the next: one query
 * for the hits of a page, in one thread); snippet_make returns a malloc'd string. */
#ifndef MANDAT_SNIPPET_H
#define MANDAT_SNIPPET_H

#include <stddef.h>

typedef struct snippet_query snippet_query;

/* The phrases and operators of expr, an FTS5 expression as search_translate() writes
 * it (quoted phrases, " *" after a prefix, AND OR NOT, parentheses).  NULL when expr
 * is not one, holds a phrase without a word (a word the tokenizer folds to nothing),
 * or when the SQLite library is not the version reproduced: its snippets are then
 * FTS5's to give. */
snippet_query *snippet_query_new(const char *expr);
void snippet_query_free(snippet_query *q); /* NULL: no-op */

typedef enum {
  SNIPPET_OK,      /* *out is the snippet */
  SNIPPET_ASK_FTS5 /* this hit is one whose snippet FTS5 may give otherwise: ask it */
} snippet_status;

/* The snippet of a row whose column holds text[0..n) (NULL: none) and which the
 * expression matches, as snippet() with these arguments (tokens 1..64).  On
 * SNIPPET_OK, *out is malloc'd; otherwise *out is NULL. */
snippet_status snippet_make(snippet_query *q, const char *text, size_t n, const char *open,
                            const char *close, const char *ellipsis, int tokens, char **out);

#endif
