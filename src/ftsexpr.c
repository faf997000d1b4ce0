/* ftsexpr.c: the FTS5 expressions search.c writes, as a tree (ftsexpr.h). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ftsexpr.h"

#define MAX_DEPTH 100 /* search_translate's nest at most 32 deep */

typedef struct {
  ftsexpr *x;
  const char *s;
  int depth, capnode, capphrase;
  bool bad;
} parser;

static int add_node(parser *p, int kind, int left, int right, int phrase) {
  ftsexpr *x = p->x;
  VEC_GROW(x->node, x->nnode, p->capnode);
  x->node[x->nnode] = (ftsexpr_node){kind, left, right, -1, phrase};
  if (left >= 0)
    x->node[left].parent = x->nnode;
  if (right >= 0)
    x->node[right].parent = x->nnode;
  return x->nnode++;
}

static void skip_blanks(parser *p) {
  while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
    p->s++;
}

/* An operator keyword at p->s (FTS5's are upper case, whole words). */
static bool keyword(parser *p, const char *k) {
  size_t n = strlen(k);
  if (strncmp(p->s, k, n) != 0)
    return false;
  char c = p->s[n];
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
      (unsigned char)c >= 0x80)
    return false;
  p->s += n;
  return true;
}

static int parse_level(parser *p, int level);

/* primary: "phrase" [*] | ( or ) */
static int parse_primary(parser *p) {
  skip_blanks(p);
  int r = -1;
  if (p->bad || ++p->depth > MAX_DEPTH) {
    p->bad = true;
    return r;
  }
  if (*p->s == '(') {
    p->s++;
    r = parse_level(p, 0);
    skip_blanks(p);
    if (*p->s != ')')
      p->bad = true;
    else
      p->s++;
  } else if (*p->s == '"') {
    const char *text = p->s + 1, *q = strchr(text, '"');
    if (!q || q[1] == '"') { /* FTS5's "" inside a phrase: not search.c's */
      p->bad = true;
      return r;
    }
    p->s = q + 1;
    skip_blanks(p);
    bool prefix = *p->s == '*';
    if (prefix)
      p->s++;
    ftsexpr *x = p->x;
    VEC_GROW(x->phrase, x->nphrase, p->capphrase);
    x->phrase[x->nphrase] = (ftsexpr_phrase){text, (size_t)(q - text), prefix};
    r = add_node(p, FTSEXPR_PHRASE, -1, -1, x->nphrase++);
  } else {
    p->bad = true;
  }
  p->depth--;
  return r;
}

/* Operators of this level and above: 0 OR, 1 AND (or two operands side by side),
 * 2 NOT. */
static int parse_level(parser *p, int level) {
  static const char *const op[] = {"OR", "AND", "NOT"};
  static const int kind[] = {FTSEXPR_OR, FTSEXPR_AND, FTSEXPR_NOT};
  int left = level < 2 ? parse_level(p, level + 1) : parse_primary(p);
  while (!p->bad) {
    skip_blanks(p);
    if (!keyword(p, op[level]) && !(kind[level] == FTSEXPR_AND && (*p->s == '"' || *p->s == '(')))
      break;
    int right = level < 2 ? parse_level(p, level + 1) : parse_primary(p);
    if (!p->bad)
      left = add_node(p, kind[level], left, right, -1);
  }
  return left;
}

bool ftsexpr_parse(const char *expr, ftsexpr *x) {
  memset(x, 0, sizeof *x);
  parser p = {x, expr ? expr : "", 0, 0, 0, false};
  x->root = parse_level(&p, 0);
  skip_blanks(&p);
  if (p.bad || *p.s || x->root < 0) {
    ftsexpr_free(x);
    return false;
  }
  return true;
}

void ftsexpr_free(ftsexpr *x) {
  free(x->node);
  free(x->phrase);
  memset(x, 0, sizeof *x);
  x->root = -1;
}
