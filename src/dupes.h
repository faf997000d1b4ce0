/* dupes.h: duplicate paragraphs and mandates across the resolutions of the
 * registry.  Identical texts (folded words) are merged first, one representative
 * with its count and places, and each group is reported once; then each distinct
 * text's word 3-shingles get a MinHash signature (one-
 * permutation hashing: one hash per shingle, DUPES_K bins, empty bins filled from
 * their neighbours); LSH banding (DUPES_BANDS bands of DUPES_ROWS rows) puts
 * paragraphs whose signatures agree on a whole band in one bucket; only pairs that
 * share a bucket are compared.  Cost: O(total words) for the signatures,
 * O(P log P) to group the P paragraphs' places, O(R · bands · log R) for the buckets
 * of the R distinct texts, O(candidates · K) to score: no all-pairs (dupes.c).
 *
 * Ownership: a dupes_result owns its rows and strings (dupes_free). */
#ifndef MANDAT_DUPES_H
#define MANDAT_DUPES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DUPES_K 64     /* signature length (16-bit values: 128 bytes a paragraph); standard error <= 0.06 */
#define DUPES_BANDS 16 /* 16 bands x 4 rows: a pair at Jaccard 0.7 shares a bucket with p = 0.988, */
#define DUPES_ROWS 4   /* at 0.8 with p = 0.9998, at 0.3 with p = 0.12 */
#define DUPES_THRESHOLD 0.7 /* default: below this, paragraphs share phrases rather than say the same thing */
#define DUPES_SERIES_TITLE 0.6 /* title similarity above which two resolutions are one series */
#define DUPES_MAX_BUCKET 500   /* a bucket larger than this is boilerplate repeated across hundreds of
                                  resolutions: only its first 500 members are paired, to bound the pairs */
#define DUPES_MIN_WORDS 8      /* shorter paragraphs (« Rappelant sa résolution 70/1, ») match by accident */

typedef struct {
  double threshold;
  int series;        /* include versions of the same series */
  int mandates_only; /* only paragraphs that carry a mandate clause */
  int limit;         /* rows to print, 0 = all */
} dupes_opts;

typedef struct {
  double sim; /* MinHash estimate of the Jaccard similarity of word 3-shingles */
  int same_series;
  int64_t para[2]; /* for an identical group: its first place and one in another entity */
  char *symbol[2], *label[2], *text[2];
  int identical;      /* one row for a text found word for word in several entities */
  uint32_t copies[2]; /* paragraphs with each side's text, word for word */
  uint32_t entities;  /* identical: distinct entities holding the text */
} dupes_row;

typedef struct {
  dupes_row *v;
  size_t n, cap;
  size_t n_paras, n_candidates;
  size_t n_texts;  /* distinct texts (representatives) among n_paras */
  size_t n_groups; /* texts found in two entities or more */
} dupes_result;

/* Find near-duplicate paragraphs of current documents in db.  Returns 0, or -1 on a
 * database error (message on stderr).  *out is always valid for dupes_free. */
int dupes_find(sqlite3 *db, const dupes_opts *o, dupes_result *out);
void dupes_free(dupes_result *r);

void dupes_render_text(FILE *f, const dupes_result *r);
void dupes_render_json(FILE *f, const dupes_result *r);
void dupes_render_csv(FILE *f, const dupes_result *r);

#endif
