/* dupes.c: duplicate paragraphs across resolutions.  Identical texts first: each
 * paragraph's folded word sequence is hashed and identical ones merged into one
 * representative with its count and places (a registry of recombined paragraphs
 * repeats each text dozens of times: pairing copies would give tens of millions of
 * pairs).  Each identical group spanning two entities is reported once.  Then near
 * duplicates among representatives only: MinHash signatures of word 3-shingles
 * (one-permutation hashing), LSH banding, candidate pairs from buckets.
 *
 * Complexity, for P paragraphs, W words, R distinct texts (R <= P):
 *   hashing and signatures O(W); merging O(P) expected (open addressing) and the
 *   places sorted O(P log P); LSH O(R · bands · log R); scoring O(C · K) for the C
 *   candidate pairs, which grow with R and the bucket sizes (at most
 *   DUPES_MAX_BUCKET² / 2 per bucket), not with the copies.  No all-pairs comparison;
 *   memory O(P) for places plus O(R · K) for signatures. */
#include "dupes.h"

#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "buf.h"
#include "render.h"

/* A representative: one distinct text, its signature and its places. */
typedef struct {
  int64_t id;   /* first paragraph with this text */
  uint32_t ent; /* its entity (index into the entity table) */
  uint32_t count; /* paragraphs with this text */
  uint32_t n_ents; /* distinct entities among them (computed after the pass) */
  uint64_t hash; /* of the folded word sequence */
  uint16_t sig[DUPES_K];
} dpara;

/* One place of a text: representative index, paragraph, entity. */
typedef struct {
  uint32_t rep, ent;
  int64_t id;
} dplace;

static int cmp_place(const void *a, const void *b) {
  const dplace *x = a, *y = b;
  if (x->rep != y->rep) return x->rep < y->rep ? -1 : 1;
  if (x->ent != y->ent) return x->ent < y->ent ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct {
  int64_t id;
  char *symbol, *title;
  align_feat feat;
  int has_feat;
} dent;

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

typedef struct {
  uint64_t w[3];
  size_t n;
  uint64_t bins[DUPES_K];
  size_t words;
  uint64_t text; /* hash of the whole folded word sequence */
} sig_state;

/* One hash per 3-shingle: its low bits pick a bin, its high bits compete for the
 * bin's minimum (one-permutation hashing). */
static void sig_word(uint64_t h, void *ctx) {
  sig_state *s = ctx;
  s->w[0] = s->w[1], s->w[1] = s->w[2], s->w[2] = h;
  s->words++;
  s->text = (s->text ^ h) * 1099511628211ull;
  if (++s->n < 3) return;
  uint64_t x = mix(s->w[0] * 3 + mix(s->w[1] * 7 + mix(s->w[2])));
  size_t b = x % DUPES_K;
  uint64_t v = x >> 16;
  if (v < s->bins[b]) s->bins[b] = v;
}

/* Signature of text and the hash of its folded words (*hash); returns 0 when the
 * text is too short to compare. */
static int signature(const char *text, uint16_t *sig, uint64_t *hash) {
  sig_state s;
  memset(&s, 0, sizeof s);
  s.text = 1469598103934665603ull;
  for (size_t b = 0; b < DUPES_K; b++) s.bins[b] = UINT64_MAX;
  align_words(text, sig_word, &s);
  *hash = mix(s.text) | 1; /* never 0: 0 marks an empty slot */
  if (s.words < DUPES_MIN_WORDS) return 0;
  /* densify: an empty bin borrows the next filled bin's value (rotation), salted by
   * the distance so that two empty bins do not agree by construction */
  for (size_t b = 0; b < DUPES_K; b++) {
    uint64_t v = s.bins[b];
    for (size_t d = 1; v == UINT64_MAX && d < DUPES_K; d++)
      if (s.bins[(b + d) % DUPES_K] != UINT64_MAX) v = mix(s.bins[(b + d) % DUPES_K] + d);
    sig[b] = (uint16_t)(mix(v) >> 48);
  }
  return 1;
}

typedef struct {
  uint64_t key;
  uint32_t i;
} bucket_ent;

static int cmp_bucket(const void *a, const void *b) {
  const bucket_ent *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int cmp_row(const void *a, const void *b) {
  const dupes_row *x = a, *y = b;
  if (x->sim != y->sim) return x->sim > y->sim ? -1 : 1;
  if (x->para[0] != y->para[0]) return x->para[0] < y->para[0] ? -1 : 1;
  return x->para[1] < y->para[1] ? -1 : x->para[1] > y->para[1];
}

static uint64_t str_hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static int64_t ent_find(const dent *e, size_t n, int64_t id) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t m = (lo + hi) / 2;
    if (e[m].id < id) lo = m + 1;
    else hi = m;
  }
  return lo < n && e[lo].id == id ? (int64_t)lo : -1;
}

/* Same series: titles alike, or one cites the other (cites: sorted keys of
 * entity index << 32 ^ low bits of the cited symbol's hash). */
static int same_series(dent *ents, uint32_t a, uint32_t b, const uint64_t *cites, size_t n_cites) {
  dent *x = &ents[a], *y = &ents[b];
  if (x->title && y->title) {
    if (!x->has_feat) align_feat_make(&x->feat, x->title), x->has_feat = 1;
    if (!y->has_feat) align_feat_make(&y->feat, y->title), y->has_feat = 1;
    if (align_sim(&x->feat, &y->feat) >= DUPES_SERIES_TITLE) return 1;
  }
  for (int dir = 0; dir < 2; dir++) {
    const dent *from = dir ? y : x, *to = dir ? x : y;
    if (!to->symbol) continue;
    uint64_t key = ((uint64_t)(dir ? b : a) << 32) | (str_hash(to->symbol) & 0xffffffffu);
    if (n_cites && bsearch(&key, cites, n_cites, sizeof *cites, cmp_u64)) return 1;
    (void)from;
  }
  return 0;
}

int dupes_find(sqlite3 *db, const dupes_opts *o, dupes_result *out) {
  memset(out, 0, sizeof *out);
  int rc = -1;
  sqlite3_stmt *st = NULL;
  dent *ents = NULL;
  size_t n_ents = 0, cap_ents = 0;
  dpara *ps = NULL;
  size_t n = 0, cap = 0;
  uint64_t *cites = NULL, *cand = NULL;
  uint32_t *tab = NULL; /* text hash → representative */
  size_t tcap = 0;
  dplace *pl = NULL;
  size_t n_pl = 0, cap_pl = 0;
  size_t n_cites = 0, cap_cites = 0, n_cand = 0, cap_cand = 0;
  bucket_ent *bk = NULL;

  /* entities of current documents, sorted by id */
  if (sqlite3_prepare_v2(db,
                         "SELECT e.id, e.symbol, e.title FROM entities e JOIN documents d ON d.id = e.document_id "
                         "WHERE d.current = 1 ORDER BY e.id",
                         -1, &st, NULL) != SQLITE_OK)
    goto dberr;
  while (sqlite3_step(st) == SQLITE_ROW) {
    VEC_GROW(ents, n_ents, cap_ents);
    dent *e = &ents[n_ents++];
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    const char *s = (const char *)sqlite3_column_text(st, 1), *t = (const char *)sqlite3_column_text(st, 2);
    e->symbol = s ? xstrdup(s) : NULL;
    e->title = t ? xstrdup(t) : NULL;
  }
  sqlite3_finalize(st), st = NULL;

  /* resolution citations, for the series test */
  if (!o->series) {
    if (sqlite3_prepare_v2(db, "SELECT entity_id, symbol FROM citations WHERE symbol IS NOT NULL", -1, &st,
                           NULL) != SQLITE_OK)
      goto dberr;
    while (sqlite3_step(st) == SQLITE_ROW) {
      int64_t k = ent_find(ents, n_ents, sqlite3_column_int64(st, 0));
      if (k < 0) continue;
      VEC_GROW(cites, n_cites, cap_cites);
      cites[n_cites++] = ((uint64_t)k << 32) | (str_hash((const char *)sqlite3_column_text(st, 1)) & 0xffffffffu);
    }
    sqlite3_finalize(st), st = NULL;
    if (n_cites > 1) qsort(cites, n_cites, sizeof *cites, cmp_u64);
  }

  /* signatures: one pass over the paragraphs' text, never all held in memory; a
   * text seen before only adds a place to its representative */
  const char *q_all = "SELECT p.id, p.entity_id, p.text FROM paragraphs p";
  const char *q_mandates =
      "SELECT p.id, p.entity_id, p.text FROM paragraphs p WHERE EXISTS (SELECT 1 FROM clauses c "
      "WHERE c.paragraph_id = p.id AND (c.force IN ('request', 'urge', 'invitation', 'recommendation') "
      "OR EXISTS (SELECT 1 FROM clause_addressees a WHERE a.clause_id = c.id)))";
  if (sqlite3_prepare_v2(db, o->mandates_only ? q_mandates : q_all, -1, &st, NULL) != SQLITE_OK) goto dberr;
  dpara cur;
  while (sqlite3_step(st) == SQLITE_ROW) {
    int64_t k = ent_find(ents, n_ents, sqlite3_column_int64(st, 1));
    if (k < 0) continue; /* an older version of a document */
    if (!signature((const char *)sqlite3_column_text(st, 2), cur.sig, &cur.hash)) continue;
    out->n_paras++;
    if ((n + 1) * 2 > tcap) { /* the text table: open addressing, at most half full */
      size_t ncap = tcap ? tcap * 2 : 4096;
      uint32_t *nt = xmalloc(ncap * sizeof *nt);
      for (size_t i = 0; i < ncap; i++) nt[i] = UINT32_MAX;
      for (size_t i = 0; i < n; i++) {
        size_t h = (size_t)ps[i].hash & (ncap - 1);
        while (nt[h] != UINT32_MAX) h = (h + 1) & (ncap - 1);
        nt[h] = (uint32_t)i;
      }
      free(tab);
      tab = nt, tcap = ncap;
    }
    size_t h = (size_t)cur.hash & (tcap - 1);
    while (tab[h] != UINT32_MAX && ps[tab[h]].hash != cur.hash) h = (h + 1) & (tcap - 1);
    if (tab[h] == UINT32_MAX) {
      VEC_GROW(ps, n, cap);
      cur.id = sqlite3_column_int64(st, 0), cur.ent = (uint32_t)k, cur.count = 0, cur.n_ents = 0;
      ps[n] = cur;
      tab[h] = (uint32_t)n++;
    }
    dpara *r = &ps[tab[h]];
    r->count++;
    VEC_GROW(pl, n_pl, cap_pl);
    pl[n_pl++] = (dplace){tab[h], (uint32_t)k, sqlite3_column_int64(st, 0)};
  }
  sqlite3_finalize(st), st = NULL;
  out->n_texts = n;

  /* identical groups: places sorted by text, then entity; one row per text found in
   * two entities or more (two that are not one series, unless --series) */
  if (n_pl > 1) qsort(pl, n_pl, sizeof *pl, cmp_place);
  for (size_t s0 = 0, e0; s0 < n_pl; s0 = e0) {
    size_t other = 0; /* first place in another entity than the first's */
    int outside = 0; /* an entity not of the first's series */
    uint32_t ne = 1;
    for (e0 = s0 + 1; e0 < n_pl && pl[e0].rep == pl[s0].rep; e0++) {
      if (pl[e0].ent == pl[e0 - 1].ent) continue;
      ne++;
      if (!other) other = e0;
      if (!outside && (o->series || !same_series(ents, pl[s0].ent, pl[e0].ent, cites, n_cites))) {
        outside = 1;
        other = e0;
      }
    }
    ps[pl[s0].rep].n_ents = ne;
    if (ne < 2) continue;
    out->n_groups++;
    if (!outside && !o->series) continue;
    VEC_GROW(out->v, out->n, out->cap);
    dupes_row *r = &out->v[out->n++];
    memset(r, 0, sizeof *r);
    r->sim = 1.0, r->same_series = !outside;
    r->para[0] = pl[s0].id, r->para[1] = pl[other].id;
    r->copies[0] = r->copies[1] = ps[pl[s0].rep].count;
    r->entities = ne;
    r->identical = 1;
  }

  /* LSH over the representatives: per band, sort (band hash, text) and pair the
   * members of each bucket */
  bk = xmalloc((n + 1) * sizeof *bk);
  for (size_t b = 0; b < DUPES_BANDS; b++) {
    for (size_t i = 0; i < n; i++) {
      uint64_t h = b + 1;
      for (size_t r = 0; r < DUPES_ROWS; r++) h = mix(h * 65537 + ps[i].sig[b * DUPES_ROWS + r]);
      bk[i] = (bucket_ent){h, (uint32_t)i};
    }
    if (n > 1) qsort(bk, n, sizeof *bk, cmp_bucket);
    for (size_t s = 0, e; s < n; s = e) {
      for (e = s + 1; e < n && bk[e].key == bk[s].key; e++) {}
      size_t m = e - s < DUPES_MAX_BUCKET ? e - s : DUPES_MAX_BUCKET;
      for (size_t x = 0; x < m; x++)
        for (size_t y = x + 1; y < m; y++) {
          uint32_t i = bk[s + x].i, j = bk[s + y].i;
          /* two texts found only in one and the same entity */
          if (ps[i].ent == ps[j].ent && ps[i].n_ents == 1 && ps[j].n_ents == 1) continue;
          VEC_GROW(cand, n_cand, cap_cand);
          cand[n_cand++] = ((uint64_t)i << 32) | j;
        }
    }
    /* keep the candidate list small between bands */
    if (n_cand > 1) qsort(cand, n_cand, sizeof *cand, cmp_u64);
    size_t k = 0;
    for (size_t c = 0; c < n_cand; c++)
      if (!k || cand[c] != cand[k - 1]) cand[k++] = cand[c];
    n_cand = k;
  }
  out->n_candidates = n_cand;

  /* score the candidates, filter, rank; a pair of texts is shown at their first
   * places, with how many copies each has */
  for (size_t c = 0; c < n_cand; c++) {
    uint32_t i = (uint32_t)(cand[c] >> 32), j = (uint32_t)cand[c];
    int eq = 0;
    for (size_t b = 0; b < DUPES_K; b++) eq += ps[i].sig[b] == ps[j].sig[b];
    double sim = (double)eq / DUPES_K;
    if (sim < o->threshold) continue;
    int ser = ps[i].ent != ps[j].ent && same_series(ents, ps[i].ent, ps[j].ent, cites, n_cites);
    if (ser && !o->series) continue;
    VEC_GROW(out->v, out->n, out->cap);
    dupes_row *r = &out->v[out->n++];
    memset(r, 0, sizeof *r);
    r->sim = sim, r->same_series = ser;
    r->para[0] = ps[i].id, r->para[1] = ps[j].id;
    r->copies[0] = ps[i].count, r->copies[1] = ps[j].count;
  }
  if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, cmp_row);
  if (o->limit > 0 && out->n > (size_t)o->limit) out->n = (size_t)o->limit;

  /* the words of the reported rows */
  if (sqlite3_prepare_v2(db,
                         "SELECT COALESCE(e.symbol, d.file || ' ' || e.local_id), p.kind, p.n, p.number, p.text "
                         "FROM paragraphs p JOIN entities e ON e.id = p.entity_id "
                         "JOIN documents d ON d.id = e.document_id WHERE p.id = ?1",
                         -1, &st, NULL) != SQLITE_OK)
    goto dberr;
  for (size_t r = 0; r < out->n; r++)
    for (int s = 0; s < 2; s++) {
      sqlite3_reset(st);
      sqlite3_bind_int64(st, 1, out->v[r].para[s]);
      if (sqlite3_step(st) != SQLITE_ROW) continue;
      const char *sym = (const char *)sqlite3_column_text(st, 0);
      const char *kind = (const char *)sqlite3_column_text(st, 1);
      const char *num = (const char *)sqlite3_column_text(st, 3);
      char label[32];
      int op = kind && !strcmp(kind, "operative");
      if (op && num) snprintf(label, sizeof label, "OP%s", num);
      else snprintf(label, sizeof label, "%s%d", op ? "OP" : "PP", sqlite3_column_int(st, 2));
      out->v[r].symbol[s] = xstrdup(sym ? sym : "?");
      out->v[r].label[s] = xstrdup(label);
      out->v[r].text[s] = xstrdup((const char *)sqlite3_column_text(st, 4));
    }
  rc = 0;
  goto done;
dberr:
  fprintf(stderr, "mandat: registry: %s\n", sqlite3_errmsg(db));
done:
  sqlite3_finalize(st);
  for (size_t i = 0; i < n_ents; i++) {
    free(ents[i].symbol), free(ents[i].title);
    if (ents[i].has_feat) align_feat_free(&ents[i].feat);
  }
  free(ents);
  free(ps);
  free(tab);
  free(pl);
  free(cites);
  free(cand);
  free(bk);
  return rc;
}

void dupes_free(dupes_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++)
    for (int s = 0; s < 2; s++) free(r->v[i].symbol[s]), free(r->v[i].label[s]), free(r->v[i].text[s]);
  free(r->v);
  memset(r, 0, sizeof *r);
}

static const char *nz(const char *s) { return s ? s : ""; }

void dupes_render_text(FILE *f, const dupes_result *r) {
  for (size_t i = 0; i < r->n; i++) {
    const dupes_row *d = &r->v[i];
    fprintf(f, "%.2f  %s %s  ~  %s %s%s", d->sim, nz(d->symbol[0]), nz(d->label[0]), nz(d->symbol[1]),
            nz(d->label[1]), d->same_series ? "  (same series)" : "");
    if (d->identical) fprintf(f, "  (identical: %u paragraphs in %u entities)", d->copies[0], d->entities);
    else if (d->copies[0] > 1 || d->copies[1] > 1) fprintf(f, "  (copies: %u ~ %u)", d->copies[0], d->copies[1]);
    fputc('\n', f);
    for (int s = 0; s < 2; s++) {
      const char *t = nz(d->text[s]);
      size_t n = strlen(t), k = utf8_cut(t, n, 110);
      fprintf(f, "      %.*s%s\n", (int)k, t, k < n ? "…" : "");
    }
  }
}

static void jstr(FILE *f, const char *s) {
  mandat_buf b = {0};
  json_str(&b, s);
  fputs(buf_cstr(&b), f);
  buf_free(&b);
}

void dupes_render_json(FILE *f, const dupes_result *r) {
  fputs("{\"schema\":\"mandat.duplicates/1\",\"pairs\":[", f);
  for (size_t i = 0; i < r->n; i++) {
    const dupes_row *d = &r->v[i];
    fprintf(f, "%s\n{\"similarity\":%.3f,\"same_series\":%s,\"identical\":%s", i ? "," : "", d->sim,
            d->same_series ? "true" : "false", d->identical ? "true" : "false");
    if (d->identical) fprintf(f, ",\"paragraphs\":%u,\"entities\":%u", d->copies[0], d->entities);
    fprintf(f, ",\"copies\":[%u,%u]", d->copies[0], d->copies[1]);
    for (int s = 0; s < 2; s++) {
      fprintf(f, ",\"%s\":{\"symbol\":", s ? "b" : "a");
      jstr(f, d->symbol[s]);
      fputs(",\"paragraph\":", f);
      jstr(f, d->label[s]);
      fputs(",\"text\":", f);
      jstr(f, d->text[s]);
      fputc('}', f);
    }
    fputc('}', f);
  }
  fputs("\n]}\n", f);
}

static void csv_field(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void dupes_render_csv(FILE *f, const dupes_result *r) {
  fputs("similarity,same_series,symbol_a,paragraph_a,symbol_b,paragraph_b,text_a,text_b,identical,copies_a,copies_b,"
        "entities\n", f);
  for (size_t i = 0; i < r->n; i++) {
    const dupes_row *d = &r->v[i];
    fprintf(f, "%.3f,%d,", d->sim, d->same_series);
    csv_field(f, d->symbol[0]), fputc(',', f), csv_field(f, d->label[0]), fputc(',', f);
    csv_field(f, d->symbol[1]), fputc(',', f), csv_field(f, d->label[1]), fputc(',', f);
    csv_field(f, d->text[0]), fputc(',', f), csv_field(f, d->text[1]);
    fprintf(f, ",%d,%u,%u,%u\n", d->identical, d->copies[0], d->copies[1], d->identical ? d->entities : 0);
  }
}
