/* rank.c: the ranking of a search, inside one call of an FTS5 auxiliary function.
 *
 * mandat_search(paragraphs_fts, P) (fts.h) runs on the first row that the MATCH
 * expression finds and does the whole search from there: it reads the rows of each
 * phrase of the expression once (FTS5's xQueryPhrase, no SQL per row), evaluates
 * the expression's AND, OR and NOT over those sorted lists, tests the filters, and
 * scores every match with bm25 as FTS5 scores it, keeping the best offset + limit in
 * a bounded heap.  The same search as one SQL statement (an auxiliary function per
 * row, SQLite's sorter) cost three to five times as much: FTS5 merging the forms of
 * a word row by row, building its array of instances for every row, and the virtual
 * machine around each call (24 ms against 8 for the 127,000 rows of "cooperation"
 * among 700,000 paragraphs).
 *
 * Scores are those of FTS5's bm25() (k1 = 1.2, b = 0.75, one column): a phrase's
 * frequency in a row is the number of places where it is, a group of phrases (one
 * query word's forms, fts.h) counts a place where any of its forms is once, and a
 * phrase counts in a row only where FTS5 would report its instances (xInst): where
 * every node above it matches the row.  FTS5 empties the instances of an AND that
 * does not match and positions a NOT's right side past the rows it keeps, so in
 * "(a AND b) OR c" a row with a and c but no b scores c alone.  One case differs,
 * where FTS5's answer is an accident of the rows it went through: an AND inside
 * the expression that holds a phrase of several words can leave the instances of
 * a phrase under an OR inside it emptied on a later row (snippet.c hands such hits
 * back to FTS5); here that phrase counts wherever it is.
 *
 * Cost: linear in the rows of the expression's phrases (and their places, for a
 * group of several forms), plus log(offset + limit) per match for the heap. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fts.h"
#include "ftsexpr.h"
#include "rank.h"

/* ---- row lengths ---------------------------------------------------------------
 *
 * bm25 needs the length of each matching row.  FTS5 looks it up with one B-tree
 * search per row (1.2 us; 100 ms for the 77,000 paragraphs that hold "corruption"
 * in a registry of 700,000); an array costs nothing per row.  The array is per
 * connection, read whole from paragraphs_fts_docsize (about 2 bytes a paragraph;
 * some 50 ms for 700,000) once the connection has looked up as many lengths one by
 * one as a sixteenth of the table's rows, about the same cost, so a connection that
 * searches once (`mandat search`) seldom pays for it and one that searches often
 * pays once.  A file changed since (SQLite's data version: another connection's
 * ingest, or this one's) drops the array, and the count starts again.  A row the
 * array does not know (a length over 65,534 tokens, a rowid past its end) is looked
 * up, so the length is always FTS5's. */

#define DOCSIZE_TABLE "paragraphs_fts"
#define DOCSIZE_MAX_ROWID (1 << 25) /* 64 MiB of array at most; past it, no array */

struct rank_conn {
  sqlite3 *db;
  void *slot; /* the filter's (fts.h) */
  void (*slot_free)(void *);
  unsigned version;      /* the file's data version when len was read */
  int state;             /* 0 not read, 1 read, -1 cannot be read (no such table...) */
  sqlite3_int64 lookups; /* lengths looked up one by one since */
  uint16_t *len;         /* len[rowid]: tokens; 0 unknown */
  sqlite3_int64 cap;     /* entries of len */
  sqlite3_int64 rows;
  /* kept from one search to the next, so that a search does not fault its memory in
   * afresh (the lists of a frequent word are megabytes) */
  struct plist *lists;   /* by phrase */
  int nlists;
  sqlite3_int64 *spare;  /* the rows of the expression's operators */
  size_t nspare;
};

static void lists_free(struct plist *l, int n);

static void conn_free(void *p) {
  rank_conn *c = p;
  if (c) {
    if (c->slot && c->slot_free)
      c->slot_free(c->slot);
    free(c->len);
    lists_free(c->lists, c->nlists);
    free(c->spare);
    free(c);
  }
}

/* FTS5's varints (SQLite's): big-endian groups of 7 bits, 9 bytes at most. */
static const unsigned char *get_varint(const unsigned char *p, const unsigned char *end,
                                       uint64_t *v) {
  *v = 0;
  for (int i = 0; i < 9 && p < end; i++) {
    unsigned char c = *p++;
    if (i == 8)
      return *v = (*v << 8) | c, p;
    *v = (*v << 7) | (c & 0x7f);
    if (!(c & 0x80))
      return p;
  }
  return NULL;
}

/* A row's length: the sum of the varints of its %_docsize record. */
static uint64_t docsize_total(const unsigned char *p, int n) {
  const unsigned char *end = p + n;
  uint64_t total = 0, v;
  while (p && p < end && (p = get_varint(p, end, &v)) != NULL)
    total += v;
  return total;
}

/* Read the table's row lengths into c (state 1), or give up (state -1). */
static void lengths_load(rank_conn *c, unsigned version) {
  sqlite3_stmt *st = NULL;
  free(c->len);
  c->len = NULL;
  c->cap = c->rows = 0;
  c->state = -1;
  c->version = version;
  if (sqlite3_prepare_v2(c->db, "SELECT max(id) FROM " DOCSIZE_TABLE "_docsize", -1, &st, NULL) !=
          SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW)
    goto done;
  sqlite3_int64 max = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  st = NULL;
  if (max < 0 || max >= DOCSIZE_MAX_ROWID)
    goto done;
  c->cap = max + 1;
  c->len = calloc((size_t)c->cap, sizeof *c->len);
  if (!c->len ||
      sqlite3_prepare_v2(c->db, "SELECT id, sz FROM " DOCSIZE_TABLE "_docsize", -1, &st, NULL) !=
          SQLITE_OK)
    goto done;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    uint64_t total = docsize_total(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1));
    if (id >= 0 && id < c->cap && total < 0xFFFF)
      c->len[id] = (uint16_t)total;
    c->rows++;
  }
  if (rc == SQLITE_DONE)
    c->state = 1;
done:
  sqlite3_finalize(st);
  if (c->state != 1) {
    free(c->len);
    c->len = NULL;
    c->cap = 0;
  }
}

/* The array, when it is up to date and this table's (as many rows), reading it
 * first once enough lengths have been looked up; NULL otherwise. */
static const rank_conn *lengths_use(rank_conn *c, unsigned version, sqlite3_int64 rows) {
  if (c->state == 1 && c->version != version) {
    free(c->len);
    c->len = NULL;
    c->cap = c->rows = c->lookups = 0;
    c->state = 0;
  }
  if (c->state == 0 && c->lookups >= rows / 16)
    lengths_load(c, version);
  return c->state == 1 && c->rows == rows ? c : NULL;
}

/* ---- the expression --------------------------------------------------------------
 *
 * ftsexpr.h's tree, with each run of the same AND or OR made one node of several
 * children: a word's forms, ("\1a" OR "\1b" OR "\1c"), are one k-way union. */

enum { N_PHRASE = FTSEXPR_PHRASE, N_AND = FTSEXPR_AND, N_OR = FTSEXPR_OR, N_NOT = FTSEXPR_NOT };

typedef struct {
  int kind;
  int phrase;     /* N_PHRASE */
  int *child, n;  /* the others: indices of nodes; N_NOT has two */
  sqlite3_int64 *row; /* the rows where the node matches, ascending */
  int nrow, cur;      /* cur: cursor while scoring */
} node;

typedef struct {
  const ftsexpr *x;
  node *nodes;
  int n, cap;
} tree;

static void add_child(tree *t, int parent, int child) {
  node *p = &t->nodes[parent];
  p->child = xrealloc(p->child, (size_t)(p->n + 1) * sizeof *p->child);
  p->child[p->n++] = child;
}

static int flatten(tree *t, int k);

/* Node k's operands under an operator of that kind, the runs of it opened. */
static void add_operands(tree *t, int k, int kind, int parent) {
  const ftsexpr_node *e = &t->x->node[k];
  if (e->kind == kind && kind != N_NOT) {
    add_operands(t, e->left, kind, parent);
    add_operands(t, e->right, kind, parent);
  } else {
    add_child(t, parent, flatten(t, k));
  }
}

static int flatten(tree *t, int k) {
  const ftsexpr_node *e = &t->x->node[k];
  VEC_GROW(t->nodes, t->n, t->cap);
  int me = t->n++;
  t->nodes[me] = (node){.kind = e->kind, .phrase = e->phrase};
  if (e->kind == N_NOT) {
    add_child(t, me, flatten(t, e->left));
    add_child(t, me, flatten(t, e->right));
  } else if (e->kind != N_PHRASE) {
    add_operands(t, e->left, e->kind, me);
    add_operands(t, e->right, e->kind, me);
  }
  return me;
}

/* ---- the rows of each phrase ------------------------------------------------- */

typedef struct plist {
  sqlite3_int64 *row;
  uint32_t *tf;      /* places in the row (a phrase alone in its group) */
  uint32_t *first;   /* or: row i's places are place[first[i] .. first[i + 1]) */
  uint32_t *place;   /* token offsets (the table has one column) */
  int n, cap;
  size_t nplace, placecap;
  bool places; /* keep the places (a group of several phrases) */
  int group;
} plist;

static void lists_free(plist *l, int n) {
  for (int i = 0; i < n; i++)
    free(l[i].row), free(l[i].tf), free(l[i].first), free(l[i].place);
  free(l);
}

static int collect_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg) {
  plist *l = arg;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 1024;
    l->row = xrealloc(l->row, (size_t)l->cap * sizeof *l->row);
    l->tf = xrealloc(l->tf, (size_t)l->cap * sizeof *l->tf);
    l->first = xrealloc(l->first, (size_t)(l->cap + 1) * sizeof *l->first);
  }
  l->row[l->n] = api->xRowid(fts);
  l->first[l->n] = (uint32_t)l->nplace;
  /* the distinct places, in order (a prefix's terms may share one) */
  Fts5PhraseIter it;
  int col = 0, off = 0, last = -1;
  uint32_t tf = 0;
  int rc = api->xPhraseFirst(fts, 0, &it, &col, &off);
  for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
    if (col != 0)
      return SQLITE_CORRUPT; /* paragraphs_fts has one column */
    if (off == last)
      continue;
    last = off;
    tf++;
    if (l->places) {
      if (l->nplace == l->placecap) {
        l->placecap = l->placecap ? 2 * l->placecap : 4096;
        l->place = xrealloc(l->place, l->placecap * sizeof *l->place);
      }
      l->place[l->nplace++] = (uint32_t)off;
    }
  }
  l->tf[l->n++] = tf;
  l->first[l->n] = (uint32_t)l->nplace;
  return rc;
}

/* ---- lists of rows ------------------------------------------------------------ */

static int rows_and(const sqlite3_int64 *a, int na, const sqlite3_int64 *b, int nb,
                    sqlite3_int64 *out) {
  int i = 0, j = 0, k = 0;
  while (i < na && j < nb) {
    if (a[i] < b[j])
      i++;
    else if (a[i] > b[j])
      j++;
    else
      out[k++] = a[i++], j++;
  }
  return k;
}

/* The union of k ascending lists into out (NULL: only count); returns its size. */
static int rows_or(const sqlite3_int64 *const *a, const int *na, int k, sqlite3_int64 *out) {
  int *at = xcalloc((size_t)k, sizeof *at), n = 0;
  for (;;) {
    int best = -1;
    for (int i = 0; i < k; i++)
      if (at[i] < na[i] && (best < 0 || a[i][at[i]] < a[best][at[best]]))
        best = i;
    if (best < 0)
      break;
    sqlite3_int64 r = a[best][at[best]];
    for (int i = 0; i < k; i++)
      if (at[i] < na[i] && a[i][at[i]] == r)
        at[i]++;
    if (out)
      out[n] = r;
    n++;
  }
  free(at);
  return n;
}

static int rows_not(const sqlite3_int64 *a, int na, const sqlite3_int64 *b, int nb,
                    sqlite3_int64 *out) {
  int i = 0, j = 0, k = 0;
  while (i < na) {
    while (j < nb && b[j] < a[i])
      j++;
    if (j == nb || b[j] != a[i])
      out[k++] = a[i];
    i++;
  }
  return k;
}

/* Room for the rows of node k's operators, at most. */
static size_t node_bound(const node *nodes, int k, const plist *lists, size_t *own) {
  const node *x = &nodes[k];
  if (x->kind == N_PHRASE)
    return (size_t)lists[x->phrase].n;
  size_t b = 0;
  for (int i = 0; i < x->n; i++) {
    size_t c = node_bound(nodes, x->child[i], lists, own);
    b = x->kind == N_OR              ? b + c
        : i == 0                     ? c
        : x->kind == N_AND && c < b ? c
                                     : b;
  }
  *own += b;
  return b;
}

/* The rows where node k matches, children first; an operator's go to *spare. */
static void node_rows(node *nodes, int k, const plist *lists, sqlite3_int64 **spare) {
  node *x = &nodes[k];
  if (x->kind == N_PHRASE) {
    x->row = lists[x->phrase].row;
    x->nrow = lists[x->phrase].n;
    return;
  }
  for (int i = 0; i < x->n; i++)
    node_rows(nodes, x->child[i], lists, spare);
  const sqlite3_int64 **a = xmalloc((size_t)x->n * sizeof *a);
  int *na = xmalloc((size_t)x->n * sizeof *na);
  for (int i = 0; i < x->n; i++)
    a[i] = nodes[x->child[i]].row, na[i] = nodes[x->child[i]].nrow;
  x->row = *spare;
  if (x->kind == N_OR) {
    x->nrow = rows_or(a, na, x->n, x->row);
  } else { /* AND from its shortest list, NOT from its left: the result is never
              * longer than what it reads, so in place */
    int from = 0;
    for (int i = 1; x->kind == N_AND && i < x->n; i++)
      if (na[i] < na[from])
        from = i;
    memcpy(x->row, a[from], (size_t)na[from] * sizeof *x->row);
    x->nrow = na[from];
    for (int i = 0; i < x->n; i++)
      if (i != from)
        x->nrow = x->kind == N_AND ? rows_and(x->row, x->nrow, a[i], na[i], x->row)
                                   : rows_not(x->row, x->nrow, a[i], na[i], x->row);
  }
  *spare += x->nrow;
  free(a);
  free(na);
}

/* Does node k match row r?  Rows come in ascending order, so cursors only move on. */
static bool node_at(node *x, sqlite3_int64 r) {
  while (x->cur < x->nrow && x->row[x->cur] < r)
    x->cur++;
  return x->cur < x->nrow && x->row[x->cur] == r;
}

typedef struct {
  node *nodes;
  plist *lists;
  int *hit, nhit; /* the phrases that count in the row */
  int *hit_at;    /* by phrase: the row's index in its list, when it counts */
} scorer;

/* Mark the phrases that count in row r under node k, which matches r. */
static void mark(scorer *s, int k, sqlite3_int64 r) {
  node *x = &s->nodes[k];
  if (x->kind == N_PHRASE) {
    s->hit[s->nhit++] = x->phrase;
    s->hit_at[x->phrase] = x->cur; /* node_at left the cursor on r */
    return;
  }
  /* a child that does not match the row is not looked into: its phrases do not
   * count (a NOT that matches has a right side that does not) */
  for (int i = 0; i < x->n; i++) {
    node *c = &s->nodes[x->child[i]];
    if (node_at(c, r))
      mark(s, x->child[i], r);
  }
}

/* The number of distinct places in k ascending lists of places p[i][0..n[i]). */
static double places_union(const uint32_t **p, int *n, int k) {
  if (k == 1)
    return n[0];
  int count = 0;
  if (k == 2) { /* the common case: two forms, mostly at the same places */
    int i = 0, j = 0;
    while (i < n[0] && j < n[1]) {
      uint32_t a = p[0][i], b = p[1][j];
      i += a <= b, j += b <= a;
      count++;
    }
    return count + (n[0] - i) + (n[1] - j);
  }
  int64_t last = -1;
  for (;;) { /* a merge of k sorted lists, counting each place once */
    int best = -1;
    for (int i = 0; i < k; i++)
      if (n[i] && (best < 0 || p[i][0] < p[best][0]))
        best = i;
    if (best < 0)
      break;
    if (p[best][0] != last)
      count++, last = p[best][0];
    p[best]++, n[best]--;
  }
  return count;
}

/* The places of list l's row at index at. */
static void place_span(const plist *l, int at, const uint32_t **p, int *n) {
  *p = l->place + l->first[at];
  *n = (int)(l->first[at + 1] - l->first[at]);
}

/* The number of distinct places of a group's phrases that count in the row. */
static double group_places(const scorer *s, int g) {
  const uint32_t *p[8];
  int n[8], k = 0;
  for (int h = 0; h < s->nhit && k < 8; h++) {
    const plist *l = &s->lists[s->hit[h]];
    if (l->group == g)
      place_span(l, s->hit_at[s->hit[h]], &p[k], &n[k]), k++;
  }
  return places_union(p, n, k);
}

/* The frequency in row r of an expression that is one group, a phrase or an OR of
 * a word's forms: every phrase at r counts, so no mark() or list of hits. */
static double word_places(scorer *s, int root, sqlite3_int64 r) {
  node *x = &s->nodes[root];
  if (x->kind == N_PHRASE) {
    node_at(x, r);
    return s->lists[x->phrase].tf[x->cur];
  }
  const uint32_t *p[8];
  int n[8], k = 0;
  for (int i = 0; i < x->n && k < 8; i++) {
    node *c = &s->nodes[x->child[i]];
    if (node_at(c, r))
      place_span(&s->lists[c->phrase], c->cur, &p[k], &n[k]), k++;
  }
  return places_union(p, n, k);
}

/* The frequency of each of the ng groups in row r (size: phrases by group). */
static void row_freqs(scorer *s, int root, sqlite3_int64 r, const int *size, double *freq, int ng) {
  s->nhit = 0;
  node_at(&s->nodes[root], r);
  mark(s, root, r);
  for (int g = 0; g < ng; g++)
    freq[g] = 0.0;
  for (int h = 0; h < s->nhit; h++) {
    const plist *l = &s->lists[s->hit[h]];
    if (size[l->group] == 1)
      freq[l->group] += l->tf[s->hit_at[s->hit[h]]];
    else if (freq[l->group] == 0.0) /* the group's places, once */
      freq[l->group] = group_places(s, l->group);
  }
}

/* ---- the best offset + limit ------------------------------------------------- */

typedef struct {
  double key; /* -score: lower is better, as FTS5's bm25 */
  sqlite3_int64 id;
} entry;

/* a before b in the result: lower key, then lower rowid */
static bool better(const entry *a, const entry *b) {
  return a->key < b->key || (a->key == b->key && a->id < b->id);
}

/* A max-heap on "worse": the root is the worst entry kept. */
static void heap_push(entry *h, int *n, int cap, entry e) {
  if (*n == cap) {
    if (!better(&e, &h[0]))
      return;
    int i = 0; /* replace the root, sift down */
    for (;;) {
      int l = 2 * i + 1, r = l + 1, w = i;
      const entry *wv = &e;
      if (l < *n && better(wv, &h[l]))
        w = l, wv = &h[l];
      if (r < *n && better(wv, &h[r]))
        w = r;
      if (w == i)
        break;
      h[i] = h[w];
      i = w;
    }
    h[i] = e;
    return;
  }
  int i = (*n)++;
  while (i > 0 && better(&h[(i - 1) / 2], &e)) {
    h[i] = h[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h[i] = e;
}

static int cmp_entry(const void *a, const void *b) {
  const entry *x = a, *y = b;
  return better(x, y) ? -1 : better(y, x) ? 1 : 0;
}

/* FTS5's bm25 IDF of a phrase found in hits of the table's rows. */
static double idf_of(sqlite3_int64 rows, sqlite3_int64 hits) {
  double idf = log(((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
  return idf <= 0.0 ? 1e-6 : idf;
}

/* ---- the search -------------------------------------------------------------- */

static int row_length(rank_conn *c, const rank_conn *arr, sqlite3_stmt **st, sqlite3_int64 id,
                      int *tokens) {
  if (arr && id >= 0 && id < arr->cap && arr->len[id]) {
    *tokens = arr->len[id];
    return SQLITE_OK;
  }
  int rc = SQLITE_OK;
  if (!*st)
    rc = sqlite3_prepare_v2(c->db, "SELECT sz FROM " DOCSIZE_TABLE "_docsize WHERE id = ?1", -1,
                            st, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_reset(*st);
  sqlite3_bind_int64(*st, 1, id);
  *tokens = 0;
  rc = sqlite3_step(*st);
  if (rc == SQLITE_ROW)
    *tokens = (int)docsize_total(sqlite3_column_blob(*st, 0), sqlite3_column_bytes(*st, 0));
  c->lookups++;
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int run(const Fts5ExtensionApi *api, Fts5Context *fts, rank_conn *c, mandat_fts_search *q) {
  const double k1 = 1.2, b = 0.75;
  int nphrase = api->xPhraseCount(fts);
  ftsexpr x;
  if (!ftsexpr_parse(q->expr, &x))
    return SQLITE_ERROR; /* not an expression of ours: a bug, said as such */
  tree ep = {&x, NULL, 0, 0};
  int root = flatten(&ep, x.root);
  bool same = x.nphrase == nphrase && nphrase >= 1;
  ftsexpr_free(&x);
  if (!same) {
    for (int i = 0; i < ep.n; i++)
      free(ep.nodes[i].child);
    free(ep.nodes);
    return SQLITE_ERROR;
  }
  bool groups = q->group && q->nphrase == nphrase && q->ngroups >= 1;
  for (int i = 0; groups && i < nphrase; i++)
    groups = q->group[i] >= 0 && q->group[i] < q->ngroups;
  int ng = groups ? q->ngroups : nphrase;
  if (c->nlists < nphrase) {
    c->lists = xrealloc(c->lists, (size_t)nphrase * sizeof *c->lists);
    memset(c->lists + c->nlists, 0, (size_t)(nphrase - c->nlists) * sizeof *c->lists);
    c->nlists = nphrase;
  }
  plist *lists = c->lists;
  int *size = xcalloc((size_t)ng, sizeof *size); /* phrases in each group */
  for (int i = 0; i < nphrase; i++) {
    lists[i].n = 0, lists[i].nplace = 0;
    lists[i].group = groups ? q->group[i] : i;
    size[lists[i].group]++;
  }
  int rc = SQLITE_OK;
  for (int g = 0; g < ng; g++)
    if (size[g] > 8)
      rc = SQLITE_ERROR; /* more forms than a word has (fts.c: MAX_FORMS) */
  for (int i = 0; rc == SQLITE_OK && i < nphrase; i++) {
    lists[i].places = size[lists[i].group] > 1;
    rc = api->xQueryPhrase(fts, i, &lists[i], collect_row);
  }

  sqlite3_int64 rows = 0, tokens = 0;
  if (rc == SQLITE_OK)
    rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK)
    rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rows <= 0)
    rows = 1;
  double avgdl = (double)tokens / (double)rows;

  /* IDF by group: the rows that hold any of its phrases; a single group's is a
   * factor common to every row, applied at the end */
  double *idf = xcalloc((size_t)ng, sizeof *idf);
  const sqlite3_int64 **a = xmalloc((size_t)nphrase * sizeof *a);
  int *na = xmalloc((size_t)nphrase * sizeof *na);
  for (int g = 0; rc == SQLITE_OK && g < ng; g++) {
    int k = 0;
    for (int i = 0; i < nphrase; i++)
      if (lists[i].group == g)
        a[k] = lists[i].row, na[k++] = lists[i].n;
    idf[g] = ng == 1 ? 1.0 : idf_of(rows, k == 1 ? na[0] : rows_or(a, na, k, NULL));
  }
  free(a);
  free(na);

  node *nodes = ep.nodes;
  if (rc == SQLITE_OK) {
    size_t need = 0;
    node_bound(nodes, root, lists, &need);
    if (need > c->nspare) {
      free(c->spare);
      c->spare = xmalloc(need * sizeof *c->spare);
      c->nspare = need;
    }
    sqlite3_int64 *spare = c->spare;
    node_rows(nodes, root, lists, &spare);
  }
  const node *top = &nodes[root];
  q->rows = rc == SQLITE_OK ? top->nrow : 0;

  unsigned version = 0;
  const rank_conn *arr = NULL;
  bool versioned = sqlite3_file_control(c->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) ==
                   SQLITE_OK;
  if (versioned)
    arr = lengths_use(c, version, rows);
  sqlite3_stmt *len_st = NULL;

  long want = q->offset + (q->limit > 0 ? q->limit : 0);
  int cap = want < top->nrow ? (int)want : top->nrow;
  entry *heap = xmalloc((size_t)cap * sizeof *heap + 1);
  int nheap = 0;
  scorer s = {nodes, lists, xmalloc((size_t)ep.n * sizeof(int)), 0,
              xmalloc((size_t)nphrase * sizeof(int))};
  double *freq = xmalloc((size_t)ng * sizeof *freq);
  /* one word, or one phrase: its rows are the root's, and all its phrases count */
  bool one_word = ng == 1 && (nodes[root].kind == N_PHRASE || nodes[root].kind == N_OR);
  for (int i = 0; one_word && i < nodes[root].n; i++)
    one_word = nodes[nodes[root].child[i]].kind == N_PHRASE;
  sqlite3_int64 kept = 0;
  for (int i = 0; rc == SQLITE_OK && i < top->nrow; i++) {
    sqlite3_int64 r = top->row[i];
    if (q->filter) {
      int keep = q->filter->test(q->filter->arg, c->db, &c->slot, &c->slot_free, r);
      if (keep < 0) {
        rc = -keep;
        break;
      }
      if (!keep)
        continue;
    }
    kept++;
    if (cap == 0)
      continue;
    int len = 0;
    rc = row_length(c, arr, &len_st, r, &len);
    if (!arr && versioned && c->lookups >= rows / 16)
      arr = lengths_use(c, version, rows);
    if (one_word)
      freq[0] = word_places(&s, root, r);
    else
      row_freqs(&s, root, r, size, freq, ng);
    double score = 0.0, dl = (double)len;
    for (int g = 0; g < ng; g++)
      score += idf[g] * (freq[g] * (k1 + 1.0)) / (freq[g] + k1 * (1.0 - b + b * dl / avgdl));
    heap_push(heap, &nheap, cap, (entry){-score, r});
  }
  q->kept = kept;
  sqlite3_finalize(len_st);

  q->n = 0;
  if (rc == SQLITE_OK && nheap > q->offset) {
    qsort(heap, (size_t)nheap, sizeof *heap, cmp_entry);
    int n = nheap - (int)q->offset;
    q->id = xmalloc((size_t)n * sizeof *q->id);
    q->score = xmalloc((size_t)n * sizeof *q->score);
    double w = ng == 1 ? idf_of(rows, top->nrow) : 1.0;
    for (int i = 0; i < n; i++) {
      q->id[i] = heap[q->offset + i].id;
      q->score[i] = -heap[q->offset + i].key;
      if (ng == 1)
        q->score[i] *= w;
    }
    q->n = n;
  }
  free(heap);
  free(freq), free(s.hit), free(s.hit_at);
  for (int i = 0; i < ep.n; i++)
    free(nodes[i].child);
  free(nodes);
  free(size);
  free(idf);
  return rc;
}

/* mandat_search(paragraphs_fts, P): once per search (fts.h); later rows do nothing. */
static void search_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                      int argc, sqlite3_value **argv) {
  mandat_fts_search *q = argc > 0 ? sqlite3_value_pointer(argv[0], MANDAT_FTS_SEARCH) : NULL;
  if (!q) {
    sqlite3_result_error(ctx, "mandat_search: no search bound", -1);
    return;
  }
  if (q->done)
    return;
  q->done = 1;
  int rc = run(api, fts, api->xUserData(fts), q);
  if (rc != SQLITE_OK)
    sqlite3_result_error_code(ctx, rc);
}

int mandat_rank_register(sqlite3 *db, fts5_api *api) {
  rank_conn *c = calloc(1, sizeof *c);
  if (!c)
    return SQLITE_NOMEM;
  c->db = db;
  return api->xCreateFunction(api, "mandat_search", c, search_fn, conn_free);
}
