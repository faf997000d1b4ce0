/* ftsexpr.h: the FTS5 expressions that search.c writes (search_translate's, and a
 * word's forms as an OR of terms), read back as a tree: rank.c ranks a search with
 * it, snippet.c finds a hit's instances with it.
 *
 * Grammar: "phrase" (no '"' inside), with " *" after it for a prefix; AND, OR, NOT;
 * parentheses; two operands side by side are an AND.  NOT binds closest, then AND,
 * then OR, all from the left, as in FTS5, and phrases are numbered in the order of
 * the text, as FTS5 numbers them (xPhraseCount, xQueryPhrase, xInst).
 *
 * Ownership: ftsexpr_parse fills x with arrays freed by ftsexpr_free; the phrases'
 * text points into the expression, which must outlive x. */
#ifndef MANDAT_FTSEXPR_H
#define MANDAT_FTSEXPR_H

#include <stdbool.h>
#include <stddef.h>

enum { FTSEXPR_PHRASE, FTSEXPR_AND, FTSEXPR_OR, FTSEXPR_NOT };

typedef struct {
  int kind;
  int left, right; /* AND, OR, NOT (right: what NOT excludes); -1 for a phrase */
  int parent;      /* -1 for the root */
  int phrase;      /* FTSEXPR_PHRASE: its number; -1 otherwise */
} ftsexpr_node;

typedef struct {
  const char *text; /* inside the quotes */
  size_t len;
  bool prefix;
} ftsexpr_phrase;

typedef struct {
  ftsexpr_node *node;
  int nnode, root;
  ftsexpr_phrase *phrase;
  int nphrase;
} ftsexpr;

/* Parse expr into x; false (x empty) when expr is not such an expression or nests
 * deeper than 100. */
bool ftsexpr_parse(const char *expr, ftsexpr *x);
void ftsexpr_free(ftsexpr *x);

#endif
