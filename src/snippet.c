/* snippet.c: FTS5's snippet() for a search hit, computed from the paragraph's text.
 *
 * Why: search_run() took each hit's snippet from a statement of its own
 * (... WHERE paragraphs_fts MATCH ?1 AND rowid = ?2), and FTS5 starts the whole
 * expression for each, seeking the list of rows of every term and synonym, before it
 * tokenizes the row again: 2.2 ms for the 20 hits of "prie", 3.2 ms for "Member
 * States" over 700,000 paragraphs, against 0.03 ms to read the same rows by id.  Here
 * the row is read by id, its text tokenized as the index holds it (mandat_fts_tokens
 * in fts.h, the tokenizer itself), the expression's phrases found in it, and FTS5's
 * snippet algorithm run on those.  The result is FTS5's byte for byte:
 * tests/snippet_check.c compares the two over the bundled corpus in `make check`, and
 * over any registry on demand.
 *
 * What FTS5 does (SQLite 3.40.1: fts5_aux.c, fts5_expr.c), and this file with it:
 *
 * - The instances (xInst): where each phrase of the expression starts in the row.
 *   Phrases are numbered in the order of the expression's text; a phrase is its
 *   words' terms at consecutive positions, a word's term any of its forms (the
 *   synonyms the tokenizer gives a query word), the last word of a phrase followed by
 *   '*' any form that starts with it.  A phrase has instances only where FTS5's
 *   evaluation of the expression stands on the row: everything under an AND that
 *   matches, under an OR only the branches that match the row themselves, under a
 *   NOT its left side only.  Instances are listed by position, those at one position
 *   by phrase number.
 *
 * - The window (fts5SnippetScore): for each instance, the N tokens (N = tokens) from
 *   it score 1000 for each phrase with an instance there and 1 for each further
 *   instance, and the window is then centred on those instances (moved back inside
 *   the text); and, when the text is longer than N, the N tokens from the start of the
 *   instance's sentence score the same plus 100 (120 for the first sentence) and stay
 *   where they are.  A sentence starts at the first token and at each token after '.'
 *   or ':' and at least one blank.  The first best score wins.
 *
 * - The text (fts5HighlightCb as 3.40 has it): the window's text from its first token
 *   (from the start of the text for a window at 0) to its last; each run of instances
 *   that overlap, counted from those that start inside the window, between the marks
 *   (a run that goes past the window is closed at its end); the ellipsis before a
 *   window that is not at 0, after one that does not reach the last token (else the
 *   text's tail, its final punctuation).  One quirk kept: a window of one token at 0
 *   (tokens = 1) is taken for no window at all, and the text is marked up to the end of
 *   its last instance, then the ellipsis.  Pieces of text are copied up to a NUL byte,
 *   as sqlite3_mprintf's "%.*s" copies them.
 *
 * Where FTS5's answer depends on more than the row: FTS5 empties the instances of every
 * phrase under an AND that is not the whole expression when it stands on a row where
 * one of its phrases of several words has its words but not in order
 * (fts5ExprNodeZeroPoslist), including phrases under an OR inside that AND whose lists
 * have already moved on to a later row; when that later row is a hit, those phrases
 * have lost their instances there, and which rows FTS5 stood on before depends on the
 * table and the statement, not on the row.  So a hit where such a phrase has an
 * instance (an expression like ("member states" AND (a OR b)) OR c: a or b in the
 * row) is left to FTS5, and so is a row the expression does not match as tokenized
 * here (the index says it does: text or tokenizer changed since it was indexed).
 *
 * The SQLite reproduced is 3.40 (Debian 12's): under another version of the library
 * every snippet is FTS5's (snippet_query_new returns NULL), until snippet_check has
 * shown that version's fts5_aux.c to give the same and the test below is widened
 * (SQLite's current fts5_aux.c, for one, closes a mark at the end of an instance only
 * before a gap of text, and takes a window of one token at 0 for one). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "fts.h"
#include "ftsexpr.h"
#include "snippet.h"

/* the expression's nodes are ftsexpr.h's */
typedef ftsexpr_node node;
enum { N_PHRASE = FTSEXPR_PHRASE, N_AND = FTSEXPR_AND, N_OR = FTSEXPR_OR, N_NOT = FTSEXPR_NOT };

typedef struct {
  int term, nterm; /* its words: terms[term .. term + nterm) */
  bool risky;      /* FTS5 may empty its instances (top comment) */
} phrase;

typedef struct {
  int form, nform; /* forms[form .. form + nform): any of them at the position */
  bool prefix;     /* a form that starts with one of them */
} term;

typedef struct {
  size_t off; /* in pool */
  int len;
} form;

typedef struct {
  int phrase, pos;
} inst;

struct snippet_query {
  mandat_fts_tokenizer *tok;
  ftsexpr x;   /* the expression */
  node *node;  /* x.node */
  int nnode, root;
  phrase *phrase;
  int nphrase, capphrase;
  term *term;
  int nterm, capterm;
  form *form;
  int nform, capform;
  mandat_buf pool; /* the forms' bytes */
  /* one hit's, kept for the next */
  int *start, *end; /* each position's bytes */
  int npos, cappos;
  int *hit; /* (term, position) pairs where a term is */
  int nhit, caphit;
  uint64_t *bits; /* each term's positions, then each phrase's starts */
  size_t capbits;
  bool *match, *counted; /* by node, by phrase */
  inst *inst;
  int ninst, capinst;
  int *sentence;
  int nsentence, capsentence;
  unsigned char *seen; /* by phrase */
};

/* ---- the expression ------------------------------------------------------------- */

/* One word of a phrase, as FTS5's parser takes it from the tokenizer: a term whose
 * synonyms are the forms at its position. */
static int add_term(void *ctx, const mandat_fts_token *t) {
  snippet_query *q = ctx;
  VEC_GROW(q->term, q->nterm, q->capterm);
  q->term[q->nterm++] = (term){q->nform, t->nform, false};
  for (int i = 0; i < t->nform; i++) {
    VEC_GROW(q->form, q->nform, q->capform);
    q->form[q->nform++] = (form){q->pool.len, t->len[i]};
    buf_put(&q->pool, t->form[i], (size_t)t->len[i]);
  }
  return SQLITE_OK;
}

/* Does the subtree of n hold a phrase of several words? */
static bool has_long_phrase(const snippet_query *q, int n) {
  const node *x = &q->node[n];
  if (x->kind == N_PHRASE)
    return q->phrase[x->phrase].nterm > 1;
  return has_long_phrase(q, x->left) || has_long_phrase(q, x->right);
}

/* Mark the phrases of n's subtree that are under an OR inside it. */
static void mark_risky(snippet_query *q, int n, bool under_or) {
  const node *x = &q->node[n];
  if (x->kind == N_PHRASE) {
    q->phrase[x->phrase].risky |= under_or;
    return;
  }
  mark_risky(q, x->left, under_or || x->kind == N_OR);
  mark_risky(q, x->right, under_or || x->kind == N_OR);
}

snippet_query *snippet_query_new(const char *expr) {
  if (sqlite3_libversion_number() / 1000 != 3040)
    return NULL; /* another fts5_aux.c than the one reproduced (top comment) */
  snippet_query *q = xcalloc(1, sizeof *q);
  q->tok = mandat_fts_tokenizer_new();
  bool ok = q->tok && ftsexpr_parse(expr, &q->x);
  q->node = q->x.node, q->nnode = q->x.nnode, q->root = q->x.root;
  /* each phrase's words, as FTS5's parser takes them from the tokenizer */
  for (int ph = 0; ok && ph < q->x.nphrase; ph++) {
    const ftsexpr_phrase *xp = &q->x.phrase[ph];
    int first = q->nterm;
    int rc = mandat_fts_tokens(q->tok, FTS5_TOKENIZE_QUERY | (xp->prefix ? FTS5_TOKENIZE_PREFIX : 0),
                               xp->text, xp->len, add_term, q);
    if (rc != SQLITE_OK || q->nterm == first) { /* no word: FTS5 makes it a node of its own */
      ok = false;
      break;
    }
    if (xp->prefix) /* the last word's forms as prefixes, as FTS5 queries them */
      q->term[q->nterm - 1].prefix = true;
    VEC_GROW(q->phrase, q->nphrase, q->capphrase);
    q->phrase[q->nphrase++] = (phrase){first, q->nterm - first, false};
  }
  if (!ok) {
    snippet_query_free(q);
    return NULL;
  }
  /* FTS5 makes ANDs within ANDs one node; one that is not the root may empty its
   * phrases' instances when it holds a phrase of several words (top comment) */
  for (int n = 0; n < q->nnode; n++) {
    const node *x = &q->node[n];
    if (x->kind == N_AND && x->parent >= 0 && q->node[x->parent].kind != N_AND &&
        has_long_phrase(q, n))
      mark_risky(q, n, false);
  }
  q->match = xmalloc((size_t)q->nnode * sizeof *q->match);
  q->counted = xmalloc((size_t)q->nphrase * sizeof *q->counted);
  q->seen = xmalloc((size_t)q->nphrase);
  return q;
}

void snippet_query_free(snippet_query *q) {
  if (!q)
    return;
  mandat_fts_tokenizer_free(q->tok);
  ftsexpr_free(&q->x);
  free(q->phrase), free(q->term), free(q->form);
  buf_free(&q->pool);
  free(q->start), free(q->end), free(q->hit), free(q->bits);
  free(q->match), free(q->counted), free(q->inst), free(q->sentence), free(q->seen);
  free(q);
}

/* ---- the instances ----------------------------------------------------------------- */

static bool term_at(const snippet_query *q, const term *t, const mandat_fts_token *tok) {
  for (int i = t->form; i < t->form + t->nform; i++) {
    const char *f = q->pool.data + q->form[i].off;
    int len = q->form[i].len;
    for (int k = 0; k < tok->nform; k++)
      if ((t->prefix ? tok->len[k] >= len : tok->len[k] == len) && tok->form[k][0] == f[0] &&
          memcmp(tok->form[k], f, (size_t)len) == 0)
        return true;
  }
  return false;
}

/* A token of the row: its bytes, and which terms are there. */
static int add_position(void *ctx, const mandat_fts_token *tok) {
  snippet_query *q = ctx;
  if (q->npos == q->cappos) {
    q->cappos = q->cappos ? 2 * q->cappos : 256;
    q->start = xrealloc(q->start, (size_t)q->cappos * sizeof *q->start);
    q->end = xrealloc(q->end, (size_t)q->cappos * sizeof *q->end);
  }
  q->start[q->npos] = tok->start;
  q->end[q->npos] = tok->end;
  for (int t = 0; t < q->nterm; t++)
    if (term_at(q, &q->term[t], tok)) {
      if (q->nhit + 2 > q->caphit) {
        q->caphit = q->caphit ? 2 * q->caphit : 256;
        q->hit = xrealloc(q->hit, (size_t)q->caphit * sizeof *q->hit);
      }
      q->hit[q->nhit++] = t;
      q->hit[q->nhit++] = q->npos;
    }
  q->npos++;
  return SQLITE_OK;
}

static bool bit(const uint64_t *b, int i) { return (b[i >> 6] >> (i & 63)) & 1; }

/* Does node n match the row?  Phrases by their starts (words: bits per phrase). */
static bool eval(snippet_query *q, int n, const uint64_t *starts, size_t words) {
  const node *x = &q->node[n];
  bool m = false;
  if (x->kind == N_PHRASE) {
    const uint64_t *b = starts + (size_t)x->phrase * words;
    for (size_t w = 0; w < words && !m; w++)
      m = b[w] != 0;
  } else {
    bool l = eval(q, x->left, starts, words), r = eval(q, x->right, starts, words);
    m = x->kind == N_AND ? l && r : x->kind == N_OR ? l || r : l && !r;
  }
  return q->match[n] = m;
}

/* Which phrases FTS5 has on the row (top comment): n stands on it. */
static void count(snippet_query *q, int n) {
  const node *x = &q->node[n];
  if (x->kind == N_PHRASE) {
    q->counted[x->phrase] = true;
    return;
  }
  if (x->kind != N_OR || q->match[x->left])
    count(q, x->left);
  if (x->kind == N_AND || (x->kind == N_OR && q->match[x->right]))
    count(q, x->right);
}

/* The row's instances in q->inst, in FTS5's order.  Returns false when FTS5's may be
 * others (top comment). */
static bool instances(snippet_query *q) {
  size_t words = (size_t)q->npos / 64 + 1;
  size_t need = ((size_t)q->nterm + (size_t)q->nphrase) * words;
  if (need > q->capbits) {
    free(q->bits);
    q->bits = xmalloc(need * sizeof *q->bits);
    q->capbits = need;
  }
  memset(q->bits, 0, need * sizeof *q->bits);
  uint64_t *at = q->bits, *starts = q->bits + (size_t)q->nterm * words;
  for (int i = 0; i < q->nhit; i += 2)
    at[(size_t)q->hit[i] * words + (size_t)(q->hit[i + 1] >> 6)] |= 1ull << (q->hit[i + 1] & 63);
  for (int ph = 0; ph < q->nphrase; ph++) {
    const phrase *p = &q->phrase[ph];
    uint64_t *s = starts + (size_t)ph * words;
    for (int pos = 0; pos + p->nterm <= q->npos; pos++) {
      int k = 0;
      while (k < p->nterm && bit(at + (size_t)(p->term + k) * words, pos + k))
        k++;
      if (k == p->nterm)
        s[pos >> 6] |= 1ull << (pos & 63);
    }
  }
  if (!eval(q, q->root, starts, words))
    return false; /* not the row FTS5 matched */
  memset(q->counted, 0, (size_t)q->nphrase * sizeof *q->counted);
  count(q, q->root);
  q->ninst = 0;
  for (int pos = 0; pos < q->npos; pos++)
    for (int ph = 0; ph < q->nphrase; ph++)
      if (q->counted[ph] && bit(starts + (size_t)ph * words, pos)) {
        if (q->phrase[ph].risky)
          return false;
        VEC_GROW(q->inst, q->ninst, q->capinst);
        q->inst[q->ninst++] = (inst){ph, pos};
      }
  return true;
}

/* ---- the snippet ------------------------------------------------------------------ */

/* fts5SnippetScore: the score of the tokens [pos, pos + tokens), and in *adj (when not
 * NULL) the start of a window of as many tokens centred on the instances there. */
static int window_score(snippet_query *q, int pos, int tokens, int *adj) {
  int score = 0, first = -1, last = 0;
  long long end = (long long)pos + tokens;
  memset(q->seen, 0, (size_t)q->nphrase);
  for (int i = 0; i < q->ninst; i++) {
    const inst *x = &q->inst[i];
    if (x->pos >= pos && x->pos < end) {
      score += q->seen[x->phrase] ? 1 : 1000;
      q->seen[x->phrase] = 1;
      if (first < 0)
        first = x->pos;
      last = x->pos + q->phrase[x->phrase].nterm;
    }
  }
  if (adj) {
    long long a = first - (tokens - (last - first)) / 2;
    if (a + tokens > q->npos)
      a = q->npos - tokens;
    *adj = a < 0 ? 0 : (int)a;
  }
  return score;
}

/* The positions where a sentence starts (fts5SentenceFinderCb). */
static void sentences(snippet_query *q, const char *text) {
  q->nsentence = 0;
  for (int pos = 0; pos < q->npos; pos++) {
    bool first = pos == 0;
    if (!first) {
      int i = q->start[pos] - 1;
      char c = 0;
      for (; i >= 0; i--) {
        c = text[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
          break;
      }
      first = i != q->start[pos] - 1 && (c == '.' || c == ':');
    }
    if (first) {
      VEC_GROW(q->sentence, q->nsentence, q->capsentence);
      q->sentence[q->nsentence++] = pos;
    }
  }
}

/* The runs of overlapping instances, in order (fts5CInstIterNext). */
typedef struct {
  const snippet_query *q;
  int i, start, end; /* start -1: no more */
} run_iter;

static void run_next(run_iter *r) {
  r->start = r->end = -1;
  for (; r->i < r->q->ninst; r->i++) {
    const inst *x = &r->q->inst[r->i];
    int end = x->pos - 1 + r->q->phrase[x->phrase].nterm;
    if (r->start < 0)
      r->start = x->pos, r->end = end;
    else if (x->pos <= r->end) {
      if (end > r->end)
        r->end = end;
    } else
      break;
  }
}

/* Append n bytes of s, or those before a NUL ("%.*s"). */
static void put(mandat_buf *b, const char *s, size_t n) {
  const char *nul = memchr(s, 0, n);
  buf_put(b, s, nul ? (size_t)(nul - s) : n);
}

snippet_status snippet_make(snippet_query *q, const char *text, size_t n, const char *open,
                            const char *close, const char *ellipsis, int tokens, char **out) {
  *out = NULL;
  if (!text || tokens < 1 || tokens > 64 || n > INT32_MAX)
    return SNIPPET_ASK_FTS5;
  q->npos = q->nhit = 0;
  if (mandat_fts_tokens(q->tok, FTS5_TOKENIZE_DOCUMENT, text, n, add_position, q) != SQLITE_OK ||
      !instances(q))
    return SNIPPET_ASK_FTS5;
  sentences(q, text);

  /* the best window: fts5SnippetFunction */
  int best = 0, best_score = 0;
  for (int i = 0; i < q->ninst; i++) {
    int pos = q->inst[i].pos, adj;
    int score = window_score(q, pos, tokens, &adj);
    if (score > best_score)
      best_score = score, best = adj;
    if (q->nsentence && q->npos > tokens) {
      int j = 0;
      while (j < q->nsentence - 1 && q->sentence[j + 1] <= pos)
        j++;
      if (q->sentence[j] < pos) {
        score = window_score(q, q->sentence[j], tokens, NULL) + (q->sentence[j] == 0 ? 120 : 100);
        if (score > best_score)
          best_score = score, best = q->sentence[j];
      }
    }
  }

  /* its text: fts5HighlightCb over the window [best, last] (no window when last is
   * 0: 3.40 tests last > 0) */
  mandat_buf b = {0};
  int last = best + tokens - 1;
  size_t off = 0;
  if (best > 0)
    buf_puts(&b, ellipsis);
  run_iter r = {q, 0, -1, -1};
  run_next(&r);
  while (r.start >= 0 && r.start < best)
    run_next(&r);
  for (int pos = last > 0 ? best : 0; pos < q->npos && (last <= 0 || pos <= last); pos++) {
    size_t start = (size_t)q->start[pos], end = (size_t)q->end[pos];
    if (last > 0 && best && pos == best)
      off = start;
    if (pos == r.start) {
      put(&b, text + off, start - off);
      buf_puts(&b, open);
      off = start;
    }
    if (pos == r.end) {
      if (last && r.start < best)
        buf_puts(&b, open);
      put(&b, text + off, end - off);
      buf_puts(&b, close);
      off = end;
      run_next(&r);
    }
    if (last > 0 && pos == last) {
      put(&b, text + off, end - off);
      off = end;
      if (pos >= r.start && pos < r.end)
        buf_puts(&b, close);
    }
  }
  if (last >= q->npos - 1)
    put(&b, text + off, n - off);
  else
    buf_puts(&b, ellipsis);
  *out = buf_detach(&b);
  return SNIPPET_OK;
}
