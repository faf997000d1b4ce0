/* align.c: paragraph features (folded word shingles), similarity, and the alignment
 * of two versions' paragraph lists: monotone DP, then moves, then splits and merges. */
#include "align.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

const char *align_relation_name(align_relation r) {
  static const char *const names[] = {"unchanged", "changed", "moved", "added",
                                      "dropped",   "split",   "merged"};
  return (unsigned)r < 7 ? names[r] : "?";
}

/* ------------------------------------------------------------------ words */

/* Fold one Latin-1 supplement letter (the second byte after 0xC3) to ASCII. */
static char fold_c3(unsigned char c) {
  static const char map[64] = "aaaaaaaceeeeiiiidnooooo/ouuuuypsaaaaaaaceeeeiiiidnooooo/ouuuuypy";
  char r = map[c & 0x3f];
  return r == '/' ? 0 : r;
}

static uint64_t fnv(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

/* Calls fn for each folded word: letters and digits, lower case, accents removed,
 * « œ » as « oe »; apostrophes, punctuation and all other symbols separate words.
 * Words longer than 63 bytes are cut (no French or English word is that long). */
void align_words(const char *text, void (*fn)(uint64_t h, void *ctx), void *ctx) {
  char w[64];
  size_t n = 0;
  const unsigned char *s = (const unsigned char *)text;
  for (;; s++) {
    unsigned char c = *s;
    char add[2] = {0, 0};
    int sep = 0;
    if (c == 0) {
      sep = 1;
    } else if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') add[0] = (char)(c + 32);
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) add[0] = (char)c;
      else sep = 1;
    } else if (c == 0xC3 && s[1]) {
      add[0] = fold_c3(*++s);
      if (!add[0]) sep = 1;
    } else if (c == 0xC5 && (s[1] == 0x93 || s[1] == 0x92)) {
      s++;
      add[0] = 'o', add[1] = 'e';
    } else if (c == 0xC2 && s[1]) {
      s++; /* « » nbsp ° and the like */
      sep = 1;
    } else if (c == 0xE2 && s[1] == 0x80 && s[2]) {
      s += 2; /* ’ – — … narrow nbsp */
      sep = 1;
    } else {
      /* another multibyte letter: keep its bytes */
      if (n < sizeof w - 1) w[n++] = (char)c;
      continue;
    }
    if (sep) {
      if (n) fn(fnv(w, n), ctx);
      n = 0;
      if (c == 0) break;
      continue;
    }
    for (int k = 0; k < 2 && add[k]; k++)
      if (n < sizeof w - 1) w[n++] = add[k];
  }
}

typedef struct {
  uint64_t *v;
  size_t n, cap;
} u64vec;

static void push_word(uint64_t h, void *ctx) {
  u64vec *v = ctx;
  VEC_GROW(v->v, v->n, v->cap);
  v->v[v->n++] = h;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static size_t sort_unique(uint64_t *v, size_t n) {
  if (!n) return 0;
  if (n > 1) qsort(v, n, sizeof *v, cmp_u64);
  size_t k = 1;
  for (size_t i = 1; i < n; i++)
    if (v[i] != v[k - 1]) v[k++] = v[i];
  return k;
}

void align_feat_make(align_feat *f, const char *text) {
  u64vec w = {0};
  align_words(text ? text : "", push_word, &w);
  memset(f, 0, sizeof *f);
  f->opening = w.n ? w.v[0] : 0;
  uint64_t th = 1469598103934665603ull;
  for (size_t i = 0; i < w.n; i++) th = (th ^ w.v[i]) * 1099511628211ull;
  f->text_hash = th;
  f->bi = xmalloc((w.n ? w.n : 1) * sizeof *f->bi);
  for (size_t i = 0; i + 1 < w.n; i++) f->bi[i] = w.v[i] * 31 + (w.v[i + 1] ^ 0x9e3779b97f4a7c15ull);
  f->n_bi = sort_unique(f->bi, w.n ? w.n - 1 : 0);
  f->n_uni = sort_unique(w.v, w.n);
  f->uni = w.v ? w.v : xmalloc(sizeof *f->uni);
}

void align_feat_free(align_feat *f) {
  if (!f) return;
  free(f->uni);
  free(f->bi);
  memset(f, 0, sizeof *f);
}

/* |a ∩ b| of two sorted unique arrays. */
static size_t inter(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
  size_t i = 0, j = 0, k = 0;
  while (i < na && j < nb) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else k++, i++, j++;
  }
  return k;
}

static double jac(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
  if (!na && !nb) return 1.0;
  size_t k = inter(a, na, b, nb);
  return (double)k / (double)(na + nb - k);
}

double align_sim(const align_feat *a, const align_feat *b) {
  /* Jaccard <= min/max of the set sizes: paragraphs of very different lengths are
   * told apart without intersecting (the bound stays below every threshold) */
  double bu = (double)(a->n_uni < b->n_uni ? a->n_uni : b->n_uni) / (double)(a->n_uni > b->n_uni ? a->n_uni : b->n_uni ? b->n_uni : 1);
  double bb = (double)(a->n_bi < b->n_bi ? a->n_bi : b->n_bi) / (double)(a->n_bi > b->n_bi ? a->n_bi : b->n_bi ? b->n_bi : 1);
  if (0.4 * bu + 0.6 * bb + 0.05 < 0.1) return 0.4 * bu + 0.6 * bb;
  double s = 0.4 * jac(a->uni, a->n_uni, b->uni, b->n_uni) + 0.6 * jac(a->bi, a->n_bi, b->bi, b->n_bi);
  if (a->opening && a->opening == b->opening) s += 0.05;
  return s > 1.0 ? 1.0 : s;
}

/* Union of two sorted arrays into a new malloc'd sorted unique array. */
static uint64_t *merge_sets(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t *n) {
  uint64_t *r = xmalloc((na + nb + 1) * sizeof *r);
  size_t i = 0, j = 0, k = 0;
  while (i < na || j < nb) {
    if (j >= nb || (i < na && a[i] < b[j])) r[k++] = a[i++];
    else if (i >= na || b[j] < a[i]) r[k++] = b[j++];
    else r[k++] = a[i++], j++;
  }
  *n = k;
  return r;
}

/* Similarity of x with the union of y and z (the concatenation of two paragraphs). */
static double sim_union(const align_feat *x, const align_feat *y, const align_feat *z) {
  align_feat u = {0};
  u.uni = merge_sets(y->uni, y->n_uni, z->uni, z->n_uni, &u.n_uni);
  u.bi = merge_sets(y->bi, y->n_bi, z->bi, z->n_bi, &u.n_bi);
  u.opening = y->opening;
  double s = align_sim(x, &u);
  free(u.uni);
  free(u.bi);
  return s;
}

/* -------------------------------------------------------------- alignment */

static void add_link(align_result *r, int o, int n, align_relation rel, double sim, int edited) {
  VEC_GROW(r->links, r->n, r->cap);
  r->links[r->n++] = (align_link){o, n, rel, sim, edited};
}

/* Reading order: by new index; dropped and merged-away old paragraphs just after
 * the new paragraph that follows their old predecessor's partner. */
static double link_key(const align_link *l, const int *new_of_old) {
  if (l->new_i >= 0) return l->new_i + (l->old_i + 1) * 1e-7;
  /* dropped: place after the partner of the nearest preceding old paragraph */
  for (int o = l->old_i - 1; o >= 0; o--)
    if (new_of_old[o] >= 0) return new_of_old[o] + 0.5 + l->old_i * 1e-6;
  return -0.5 + l->old_i * 1e-6;
}

static const int *g_new_of_old; /* qsort has no context argument in C11 */
static int cmp_link(const void *a, const void *b) {
  double x = link_key(a, g_new_of_old), y = link_key(b, g_new_of_old);
  return x < y ? -1 : x > y;
}

void align_paragraphs(const align_feat *old, size_t n_old, const align_feat *nw, size_t n_new,
                      align_result *out) {
  memset(out, 0, sizeof *out);
  size_t no = n_old, nn = n_new;
  double *sim = xmalloc((no * nn + 1) * sizeof *sim);
  for (size_t i = 0; i < no; i++)
    for (size_t j = 0; j < nn; j++) sim[i * nn + j] = align_sim(&old[i], &nw[j]);

  /* 1. optimal monotone alignment: maximise the sum of (sim - MIN_SIM) over pairs */
  double *dp = xmalloc(((no + 1) * (nn + 1)) * sizeof *dp);
  unsigned char *bt = xmalloc((no + 1) * (nn + 1));
#define DP(i, j) dp[(i) * (nn + 1) + (j)]
#define BT(i, j) bt[(i) * (nn + 1) + (j)]
  for (size_t i = 0; i <= no; i++)
    for (size_t j = 0; j <= nn; j++) {
      if (!i && !j) {
        DP(0, 0) = 0, BT(0, 0) = 0;
        continue;
      }
      double best = -1e300;
      unsigned char how = 0;
      if (i) best = DP(i - 1, j), how = 1; /* old i-1 unpaired */
      if (j && DP(i, j - 1) > best) best = DP(i, j - 1), how = 2;
      if (i && j) {
        double s = sim[(i - 1) * nn + (j - 1)];
        if (s >= ALIGN_MIN_SIM && DP(i - 1, j - 1) + (s - ALIGN_MIN_SIM) > best)
          best = DP(i - 1, j - 1) + (s - ALIGN_MIN_SIM), how = 3;
      }
      DP(i, j) = best, BT(i, j) = how;
    }
  int *new_of_old = xmalloc((no + 1) * sizeof *new_of_old);
  int *old_of_new = xmalloc((nn + 1) * sizeof *old_of_new);
  align_relation *rel_new = xmalloc((nn + 1) * sizeof *rel_new);
  for (size_t i = 0; i < no; i++) new_of_old[i] = -1;
  for (size_t j = 0; j < nn; j++) old_of_new[j] = -1;
  for (size_t i = no, j = nn; i || j;) {
    unsigned char how = BT(i, j);
    if (how == 3) {
      new_of_old[i - 1] = (int)(j - 1), old_of_new[j - 1] = (int)(i - 1);
      rel_new[j - 1] = ALIGN_CHANGED;
      i--, j--;
    } else if (how == 1) i--;
    else j--;
  }
#undef DP
#undef BT
  free(dp);
  free(bt);

  /* 2. moves: the best remaining pairs, greedily, above MOVE_SIM */
  for (;;) {
    double best = ALIGN_MOVE_SIM;
    int bi = -1, bj = -1;
    for (size_t i = 0; i < no; i++) {
      if (new_of_old[i] >= 0) continue;
      for (size_t j = 0; j < nn; j++)
        if (old_of_new[j] < 0 && sim[i * nn + j] >= best) best = sim[i * nn + j], bi = (int)i, bj = (int)j;
    }
    if (bi < 0) break;
    new_of_old[bi] = bj, old_of_new[bj] = bi, rel_new[bj] = ALIGN_MOVED;
  }

  /* 3. splits (an unpaired new paragraph next to a paired one whose old partner
   * matches their union better) and merges (the mirror image) */
  int *split_of = xmalloc((nn + 1) * sizeof *split_of); /* new j -> old i it split from */
  int *merge_of = xmalloc((no + 1) * sizeof *merge_of); /* old i -> new j it merged into */
  for (size_t j = 0; j < nn; j++) split_of[j] = -1;
  for (size_t i = 0; i < no; i++) merge_of[i] = -1;
  for (size_t j = 0; j < nn; j++) {
    if (old_of_new[j] >= 0) continue;
    for (int d = -1; d <= 1; d += 2) {
      int k = (int)j + d;
      if (k < 0 || k >= (int)nn || old_of_new[k] < 0 || split_of[k] >= 0) continue;
      int o = old_of_new[k];
      double alone = sim[(size_t)o * nn + (size_t)k];
      double part = sim[(size_t)o * nn + j];
      if (part < ALIGN_PART_SIM) continue;
      double both = d < 0 ? sim_union(&old[o], &nw[j], &nw[k]) : sim_union(&old[o], &nw[k], &nw[j]);
      if (both > alone + 0.05) {
        split_of[j] = o;
        break;
      }
    }
  }
  for (size_t i = 0; i < no; i++) {
    if (new_of_old[i] >= 0) continue;
    for (int d = -1; d <= 1; d += 2) {
      int k = (int)i + d;
      if (k < 0 || k >= (int)no || new_of_old[k] < 0 || merge_of[k] >= 0) continue;
      int n = new_of_old[k];
      double alone = sim[(size_t)k * nn + (size_t)n];
      double part = sim[i * nn + (size_t)n];
      if (part < ALIGN_PART_SIM) continue;
      double both = sim_union(&nw[n], &old[i], &old[k]);
      if (both > alone + 0.05) {
        merge_of[i] = n;
        break;
      }
    }
  }

  /* 4. the links */
  for (size_t j = 0; j < nn; j++) {
    int o = old_of_new[j];
    if (o >= 0) {
      int edited = old[o].text_hash != nw[j].text_hash;
      align_relation r = rel_new[j];
      int was_split = 0, merged = 0;
      for (size_t k = 0; k < nn; k++) was_split |= split_of[k] == o;
      for (size_t i = 0; i < no; i++) merged |= merge_of[i] == (int)j;
      if (was_split) r = ALIGN_SPLIT;
      else if (merged) r = ALIGN_MERGED;
      else if (r == ALIGN_CHANGED && !edited) r = ALIGN_UNCHANGED;
      add_link(out, o, (int)j, r, sim[(size_t)o * nn + j], edited);
    } else if (split_of[j] >= 0) {
      add_link(out, split_of[j], (int)j, ALIGN_SPLIT, sim[(size_t)split_of[j] * nn + j], 1);
    } else {
      add_link(out, -1, (int)j, ALIGN_ADDED, 0, 1);
    }
  }
  for (size_t i = 0; i < no; i++) {
    if (new_of_old[i] >= 0) continue;
    if (merge_of[i] >= 0) add_link(out, (int)i, merge_of[i], ALIGN_MERGED, sim[i * nn + (size_t)merge_of[i]], 1);
    else add_link(out, (int)i, -1, ALIGN_DROPPED, 0, 1);
  }
  g_new_of_old = new_of_old;
  if (out->n > 1) qsort(out->links, out->n, sizeof *out->links, cmp_link);
  g_new_of_old = NULL;
  free(split_of);
  free(merge_of);
  free(new_of_old);
  free(old_of_new);
  free(rel_new);
  free(sim);
}

void align_result_free(align_result *r) {
  if (!r) return;
  free(r->links);
  memset(r, 0, sizeof *r);
}
