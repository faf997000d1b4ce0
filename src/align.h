/* align.h: paragraph alignment between two versions of a resolution.  Each paragraph
 * becomes a set of hashed word shingles (folded words and word pairs); an optimal
 * monotone alignment (Needleman-Wunsch on similarity) pairs most of them, moves are
 * found among the leftovers, splits and merges when one paragraph matches the union
 * of two neighbours better than either.  Preamble and operative parts are aligned
 * separately by the caller. */
#ifndef MANDAT_ALIGN_H
#define MANDAT_ALIGN_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  ALIGN_UNCHANGED, /* same words, same place */
  ALIGN_CHANGED,   /* same place in the order, words changed */
  ALIGN_MOVED,     /* out of order (possibly also changed) */
  ALIGN_ADDED,     /* only in the new version */
  ALIGN_DROPPED,   /* only in the old version */
  ALIGN_SPLIT,     /* one old paragraph became this new one and a neighbour */
  ALIGN_MERGED     /* this old paragraph and a neighbour became one new paragraph */
} align_relation;

const char *align_relation_name(align_relation r);

/* The features of one paragraph: sorted unique 64-bit hashes of its folded words
 * (uni) and of its consecutive word pairs (bi), and the hash of its opening word. */
typedef struct {
  uint64_t *uni, *bi;
  size_t n_uni, n_bi;
  uint64_t opening;
  uint64_t text_hash; /* hash of the whole folded word sequence: equal means unchanged */
} align_feat;

/* Fill f from UTF-8 text (case and accents folded, apostrophes split words).
 * f owns its arrays; release with align_feat_free. */
void align_feat_make(align_feat *f, const char *text);
void align_feat_free(align_feat *f);

/* Similarity in [0, 1]: 0.4 Jaccard of words + 0.6 Jaccard of word pairs, plus 0.05
 * when both open with the same word (capped at 1). */
double align_sim(const align_feat *a, const align_feat *b);

/* Folded words of text, for other modules (duplicates): calls fn(hash, ctx) for each
 * word in order. */
void align_words(const char *text, void (*fn)(uint64_t h, void *ctx), void *ctx);

/* One link of an alignment.  old_i / new_i are 0-based indexes, -1 when absent.  A
 * split gives two links with the same old_i, a merge two with the same new_i. */
typedef struct {
  int old_i, new_i;
  align_relation rel;
  double sim;
  int edited; /* the words differ (for moved, split, merged: changed as well) */
} align_link;

typedef struct {
  align_link *links; /* in reading order of the new version, dropped ones at their old place */
  size_t n, cap;
} align_result;

/* Thresholds, each with its reason (tuned on the 2011/2016/2022/2025 corpus). */
#define ALIGN_MIN_SIM 0.25  /* below this two paragraphs share only boilerplate phrases (« Invite les États Membres ») */
#define ALIGN_MOVE_SIM 0.30 /* a move needs more evidence than an in-order match */
#define ALIGN_PART_SIM 0.15 /* the smaller half of a split or merge may be short */

/* Align old[0..n_old) with new[0..n_new).  Fills *out (caller frees with
 * align_result_free).  Time O(n_old * n_new * shingles), space O(n_old * n_new). */
void align_paragraphs(const align_feat *old, size_t n_old, const align_feat *nw, size_t n_new,
                      align_result *out);
void align_result_free(align_result *r);

#endif
