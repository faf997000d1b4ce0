/* lexmatch.c: matching of lexicon forms, number words and dates in text. */
#include "lexmatch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static bool is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

bool lex_is_letter(const char *s, size_t n) {
  unsigned char c = (unsigned char)s[0];
  if ((c | 32) >= 'a' && (c | 32) <= 'z') return true;
  if (c == 0xC3 || (c >= 0xC4 && c <= 0xCF)) return n >= 2; /* Latin-1 letters, Latin Extended */
  return false;
}

bool lex_is_upper(const char *s, size_t n) {
  unsigned char c = (unsigned char)s[0];
  if (c >= 'A' && c <= 'Z') return true;
  if (c == 0xC3 && n >= 2) return (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9E;
  if (c == 0xC5 && n >= 2) return (unsigned char)s[1] == 0x92; /* Œ */
  return false;
}

bool lex_is_lower(const char *s, size_t n) {
  unsigned char c = (unsigned char)s[0];
  if (c >= 'a' && c <= 'z') return true;
  if (c == 0xC3 && n >= 2) return (unsigned char)s[1] >= 0x9F;
  if (c == 0xC5 && n >= 2) return (unsigned char)s[1] == 0x93; /* œ */
  return false;
}

static bool boundary(const char *s, size_t n) {
  if (n == 0) return true;
  unsigned char c = (unsigned char)s[0];
  if ((c | 32) >= 'a' && (c | 32) <= 'z') return false;
  if (c >= '0' && c <= '9') return false;
  if (c == 0xC3 || (c >= 0xC4 && c <= 0xCF)) return false;
  return true;
}

/* Compare one character of form (at f) with text (at t); returns bytes consumed in
 * text (and *fw in form), 0 on mismatch. */
static size_t char_eq(const char *f, size_t fn, const char *t, size_t tn, bool first, size_t *fw) {
  unsigned char a = (unsigned char)f[0], b = (unsigned char)t[0];
  *fw = 1;
  if (a == '\'') {
    if (b == '\'') return 1;
    if (tn >= 3 && b == 0xE2 && (unsigned char)t[1] == 0x80 && (unsigned char)t[2] == 0x99) return 3;
    return 0;
  }
  if (a == ' ') {
    if (!is_blank(b)) return 0;
    size_t k = 0;
    while (k < tn && is_blank((unsigned char)t[k])) k++;
    return k;
  }
  if (a == b) {
    if (a < 0x80) return 1;
    /* multi-byte: compare the whole sequence; first letter may differ in case */
    size_t w = a >= 0xF0 ? 4 : a >= 0xE0 ? 3 : 2;
    if (w > fn || w > tn) return 0;
    if (memcmp(f, t, w) == 0) return *fw = w, w;
    if (first && w == 2 && a == 0xC3 && (((unsigned char)f[1] ^ (unsigned char)t[1]) == 0x20))
      return *fw = 2, 2;
    return 0;
  }
  if (first) {
    if (a < 0x80 && b < 0x80 && (a | 32) == (b | 32) && (a | 32) >= 'a' && (a | 32) <= 'z') return 1;
    if (a == 0xC3 && b == 0xC3 && fn >= 2 && tn >= 2 &&
        (((unsigned char)f[1] ^ (unsigned char)t[1]) == 0x20))
      return *fw = 2, 2;
    if (a == 0xC5 && b == 0xC5 && fn >= 2 && tn >= 2 &&
        (((unsigned char)f[1] ^ (unsigned char)t[1]) == 0x01))
      return *fw = 2, 2;
  }
  return 0;
}

/* Bytes of the character that starts with byte c, as char_eq() reads it. */
static size_t char_width(unsigned char c) {
  return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

/* lex_prefix() with the form's length known (the table index stores it).  On a
 * mismatch inside the form, *fail gets the end of the form's character that
 * did not match: a form with the same bytes up to there fails on this text as
 * well.  Otherwise (a match, or no boundary after the form) *fail is SIZE_MAX. */
static size_t prefix_fail(const char *text, size_t n, const char *form, size_t fl, size_t *fail) {
  size_t fi = 0, ti = 0;
  *fail = SIZE_MAX;
  if (!fl) return 0;
  while (fi < fl) {
    /* equal ASCII bytes other than a blank match one for one whatever char_eq's
     * rules (case and apostrophe folds only matter on a difference): most of a
     * form goes by here, a few instructions a byte instead of a call */
    while (fi < fl && ti < n && form[fi] == text[ti] && (unsigned char)form[fi] < 0x80 &&
           form[fi] != ' ')
      fi++, ti++;
    if (fi == fl) break;
    size_t fw, k = ti < n ? char_eq(form + fi, fl - fi, text + ti, n - ti, fi == 0, &fw) : 0;
    if (!k) {
      *fail = fi + char_width((unsigned char)form[fi]);
      return 0;
    }
    fi += fw;
    ti += k;
  }
  /* a form ending in an apostrophe or hyphen needs no boundary (« d' », « l' ») */
  char last = form[fl - 1];
  if (last == '\'' || last == '-') return ti;
  return boundary(text + ti, n - ti) ? ti : 0;
}

static size_t prefix(const char *text, size_t n, const char *form, size_t fl) {
  size_t fail;
  return prefix_fail(text, n, form, fl, &fail);
}

size_t lex_prefix(const char *text, size_t n, const char *form) {
  return prefix(text, n, form, strlen(form));
}

/* --- table index ------------------------------------------------------------
 * A lexicon table is scanned at nearly every word of a document, so each table
 * gets, on first use, an index (lex_table):
 * - bitmaps of the first byte, the first two and the first three bytes a match
 *   can have, tested inline (lex_may_match()): most words stop there, without a
 *   call;
 * - a hash index on the first word of its forms (first letter folded,
 *   apostrophes unified, hyphen ending the word: « soixante-dix » is filed under
 *   « soixante »).  A lookup hashes the text's first word once (lex_memo shares
 *   it between tables) and tries only the forms of that bucket: O(1) per
 *   position instead of O(table);
 * - for each form of a bucket, its first byte and the next few bytes (a masked
 *   word), and the bytes it shares with the form before it in byte order: most
 *   forms are rejected, or known to fail where their neighbour did, before any
 *   prefix comparison.
 * Each filter is a necessary condition of prefix(): the matches are those of
 * trying every form of the bucket.  Indexes are built once under a mutex and
 * then read without locks (published with release/acquire atomics), so parsing
 * stays safe from several threads. */

/* A registry from a key (a table, a lexicon) to what was built for it, built on
 * first use.  Open addressing on the key's address; readers take no lock. */
typedef struct {
  _Atomic(const void *) key;
  _Atomic(const void *) val;
} reg_slot;

#define REG_SLOTS 1024 /* tables of all lexicons (3 × ~60 today) */

static const void *registry(reg_slot *slots, pthread_mutex_t *lock, const void *key,
                            const void *(*build)(const void *key, size_t arg), size_t arg) {
  size_t h0 = ((uintptr_t)key >> 4) & (REG_SLOTS - 1), h = h0;
  for (size_t probe = 0; probe < REG_SLOTS; probe++, h = (h + 1) & (REG_SLOTS - 1)) {
    const void *k = atomic_load_explicit(&slots[h].key, memory_order_acquire);
    if (k == key) return atomic_load_explicit(&slots[h].val, memory_order_acquire);
    if (!k) break; /* absent, or being built: take the lock below */
  }
  pthread_mutex_lock(lock);
  const void *found = NULL;
  h = h0;
  for (size_t probe = 0; probe < REG_SLOTS; probe++, h = (h + 1) & (REG_SLOTS - 1)) {
    const void *k = atomic_load_explicit(&slots[h].key, memory_order_relaxed);
    if (k == key) {
      found = atomic_load_explicit(&slots[h].val, memory_order_relaxed);
      break;
    }
    if (!k) {
      found = build(key, arg);
      /* the value first: a reader that sees the key sees its value */
      atomic_store_explicit(&slots[h].val, found, memory_order_release);
      atomic_store_explicit(&slots[h].key, key, memory_order_release);
      break;
    }
  }
  pthread_mutex_unlock(lock);
  if (!found) abort(); /* more keys than REG_SLOTS: raise the constant */
  return found;
}

/* Hash of the first word at s (at most n bytes): FNV-1a over its bytes, the first
 * letter folded to lower case and ’ read as '. */
/* Bytes that end a word (1) or may end it with an apostrophe (2: ' and the lead
 * byte of ’): one lookup a byte, the hash runs at nearly every word of a text. */
static const unsigned char word_stop[256] = {
    [' '] = 1, ['-'] = 1, [','] = 1, ['.'] = 1, [';'] = 1, [':'] = 1, ['('] = 1, [')'] = 1,
    ['\''] = 2, [0xE2] = 2};

/* One byte of word_hash() at s[i]: false when the word ended before it (*h then
 * has its final value). */
static inline bool hash_byte(const char *s, size_t n, size_t i, unsigned char c, uint32_t *h) {
  if (word_stop[c]) {
    if (word_stop[c] == 1) return false;
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x99) {
      *h = (*h ^ '\'') * 16777619u;
      return false;
    }
    if (c == '\'') {
      *h = (*h ^ c) * 16777619u;
      return false;
    }
  }
  *h = (*h ^ c) * 16777619u;
  return true;
}

static uint32_t word_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  if (!n) return h;
  unsigned char c0 = (unsigned char)s[0];
  /* the first letter is folded: its first byte, and the second of a Latin-1 or Œ */
  unsigned char f0 = c0 >= 'A' && c0 <= 'Z' ? (unsigned char)(c0 + 32) : c0;
  if (!hash_byte(s, n, 0, f0, &h) || n < 2) return h;
  unsigned char c1 = (unsigned char)s[1];
  if (c0 == 0xC3 && c1 >= 0x80 && c1 <= 0x9E) c1 += 0x20;
  else if (c0 == 0xC5 && c1 == 0x92) c1 = 0x93;
  if (!hash_byte(s, n, 1, c1, &h)) return h;
  for (size_t i = 2; i < n && hash_byte(s, n, i, (unsigned char)s[i], &h); i++)
    ;
  return h;
}

/* The prefilter of a form (see lex_form). */
static lex_form form_of(const char *f, uint32_t id) {
  lex_form x = {.form = f, .len = (uint32_t)strlen(f), .id = id};
  unsigned char c0 = (unsigned char)f[0];
  x.f0 = x.alt = c0;
  if ((c0 | 32) >= 'a' && (c0 | 32) <= 'z') x.alt = c0 ^ 32;
  else if (c0 == '\'') x.alt = 0xE2; /* ’ */
  else if (c0 == ' ') x.alt = '\t';  /* any blank */
  /* a first ' or blank may stand for more bytes in the text: no key then */
  if (!c0 || c0 == '\'' || c0 == ' ') return x;
  x.skip = c0 < 0x80 ? 1 : c0 >= 0xF0 ? 4 : c0 >= 0xE0 ? 3 : 2;
  unsigned char kb[8] = {0}, mb[8] = {0};
  for (uint32_t j = 0; j < 8 && x.skip + j < x.len; j++)
    kb[j] = (unsigned char)f[x.skip + j], mb[j] = 0xFF;
  memcpy(&x.key, kb, 8);
  memcpy(&x.mask, mb, 8);
  return x;
}

/* 0 when the text may start with form f (a necessary condition of prefix(), a
 * few instructions); else, as prefix_fail()'s *fail, an offset such that a form
 * with f's bytes up to there cannot match either. */
static inline size_t mismatch(const lex_form *f, const char *text, size_t n) {
  unsigned char c = (unsigned char)text[0];
  if (c != f->f0 && c != f->alt) return 1; /* the first character's rules see its first byte */
  if (!f->mask) return 0;
  uint64_t w = 0;
  if (n >= f->skip + 8) memcpy(&w, text + f->skip, 8);
  else if (n > f->skip) memcpy(&w, text + f->skip, n - f->skip);
  if ((w & f->mask) == f->key) return 0;
  /* Up to the first byte that differs the text is the form byte for byte.
   * There, a blank of the text may extend a blank of the form or stand for
   * one, and ’ for ': prefix() decides.  Otherwise the character holding that
   * byte fails (the text lacking it as well) */
  unsigned char tb[8], kb[8];
  memcpy(tb, &w, 8);
  memcpy(kb, &f->key, 8);
  size_t j = 0;
  while (tb[j] == kb[j]) j++;
  unsigned char before = j ? kb[j - 1] : (unsigned char)f->form[f->skip - 1];
  if ((kb[j] == ' ' || before == ' ') && (tb[j] == ' ' || tb[j] == '\t')) return 0;
  if (kb[j] == '\'' && tb[j] == 0xE2) return 0;
  return f->skip + j + 1;
}

/* Common prefix of two strings, in bytes. */
static uint32_t common(const char *a, const char *b) {
  uint32_t i = 0;
  while (a[i] && a[i] == b[i]) i++;
  return i;
}

static void set_bit(unsigned char *map, unsigned bit) {
  map[bit >> 3] |= (unsigned char)(1u << (bit & 7));
}

static void set_pair(unsigned char pair[512], unsigned char a, unsigned char b) {
  set_bit(pair, lex_pair_bit(a, b));
}

/* Mark in pair every first two bytes of a text that form f can match, by
 * prefix()'s rules: the first character with its folds, then the second byte
 * as char_eq() compares it.  Where the second byte is free (a form of one
 * character, a first blank or apostrophe that may stand for several bytes in
 * the text) every second byte is marked. */
static void mark_pairs(unsigned char pair[512], const lex_form *f) {
  const unsigned char *s = (const unsigned char *)f->form;
  unsigned char firsts[2] = {f->f0, f->alt};
  for (int i = 0; i < (f->alt != f->f0 ? 2 : 1); i++) {
    unsigned char a = firsts[i];
    if (f->len < 2 || s[0] == ' ' || s[0] == '\'') {
      for (int b = 0; b < 256; b++) set_pair(pair, a, (unsigned char)b);
      continue;
    }
    unsigned char b = s[1];
    set_pair(pair, a, b);
    if (s[0] < 0x80 && b == ' ') set_pair(pair, a, '\t');
    if (s[0] < 0x80 && b == '\'') set_pair(pair, a, 0xE2);
    if (s[0] == 0xC3) set_pair(pair, a, b ^ 0x20); /* the other case of a Latin-1 letter */
  }
}

/* Mark in x->triple the first three bytes of a text that form f can match, as
 * mark_pairs() does for two.  Only a form whose first two characters are
 * single bytes other than a blank or an apostrophe (each stands for itself in
 * the text, the first in either case) is filed so; for the others the third
 * byte of a text starting as they may is not tested (x->free3). */
static void mark_triples(lex_table *x, const lex_form *f) {
  const unsigned char *s = (const unsigned char *)f->form;
  unsigned char firsts[2] = {f->f0, f->alt};
  bool simple =
      f->len >= 2 && s[0] < 0x80 && s[0] != ' ' && s[0] != '\'' && s[1] != ' ' && s[1] != '\'';
  for (int i = 0; i < (f->alt != f->f0 ? 2 : 1); i++) {
    unsigned char a = firsts[i], b = simple ? s[1] : 0;
    if (!simple) {
      set_bit(x->free3, a);
    } else if (f->len == 2) { /* the form ends: any third byte (its boundary) */
      for (int c = 0; c < 256; c++) set_bit(x->triple, lex_triple_bit(a, b, (unsigned char)c));
    } else {
      set_bit(x->triple, lex_triple_bit(a, b, s[2]));
      /* a blank or an apostrophe after a one-byte second character */
      if (b < 0x80 && s[2] == ' ') set_bit(x->triple, lex_triple_bit(a, b, '\t'));
      if (b < 0x80 && s[2] == '\'') set_bit(x->triple, lex_triple_bit(a, b, 0xE2));
    }
  }
}

static int by_form(const void *a, const void *b) {
  return strcmp(((const lex_form *)a)->form, ((const lex_form *)b)->form);
}

static const void *build_index(const void *table, size_t stride) {
  size_t n = 0;
  while (*(const char *const *)((const char *)table + n * stride)) n++;
  lex_table *x = xcalloc(1, sizeof *x);
  x->table = table;
  x->stride = stride;
  x->count = (uint32_t)n;
  uint32_t nb = 8;
  while (nb < 2 * n) nb *= 2;
  x->nbuckets = nb;
  uint32_t *start = xcalloc(nb + 1, sizeof *start);
  lex_form *all = xcalloc(n ? n : 1, sizeof *all), *forms = xcalloc(n ? n : 1, sizeof *forms);
  uint32_t *hb = xcalloc(n ? n : 1, sizeof *hb);
  for (size_t i = 0; i < n; i++) {
    all[i] = form_of(*(const char *const *)((const char *)table + i * stride), (uint32_t)i);
    /* the first bytes: the other case of a letter, ’ for ' (not a tab for a blank) */
    unsigned char c0 = all[i].f0;
    set_bit(x->first, c0);
    if ((c0 | 32) >= 'a' && (c0 | 32) <= 'z') set_bit(x->first, all[i].alt);
    if (c0 == '\'') set_bit(x->first, 0xE2);
    mark_pairs(x->pair, &all[i]);
    mark_triples(x, &all[i]);
    hb[i] = word_hash(all[i].form, all[i].len) & (nb - 1);
    start[hb[i] + 1]++;
  }
  for (uint32_t b = 0; b < nb; b++) start[b + 1] += start[b];
  uint32_t *fill = xcalloc(nb, sizeof *fill);
  for (size_t i = 0; i < n; i++) forms[start[hb[i]] + fill[hb[i]]++] = all[i];
  free(fill);
  /* a bucket in byte order: forms sharing their start are neighbours, and one
   * that fails where its neighbour did is passed over (lex_match_at) */
  for (uint32_t b = 0; b < nb; b++) {
    qsort(forms + start[b], start[b + 1] - start[b], sizeof *forms, by_form);
    for (uint32_t j = start[b] + 1; j < start[b + 1]; j++)
      forms[j].lcp = common(forms[j - 1].form, forms[j].form);
  }
  for (size_t i = 1; i < n; i++) all[i].lcp = common(all[i - 1].form, all[i].form);
  free(hb);
  x->start = start, x->forms = forms, x->all = all;
  return x;
}

static reg_slot table_slots[REG_SLOTS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

const lex_table *lex_table_of(const void *table, size_t stride) {
  if (!table) return NULL;
  return registry(table_slots, &table_lock, table, build_index, stride);
}

/* The hash of text's first word, through the memo when there is one: computed
 * once for a position however many tables are tried there. */
static uint32_t hash_at(const char *text, size_t n, lex_memo *memo) {
  if (!memo) return word_hash(text, n);
  if (memo->at != text || memo->n != n)
    memo->hash = word_hash(text, n), memo->at = text, memo->n = n;
  return memo->hash;
}

/* lex_match() past its first-byte test: the forms of the bucket of text's first
 * word; the longest wins, the first of the table on a tie. */
int lex_match_at(const lex_table *x, const char *text, size_t n, lex_memo *memo, size_t *mlen) {
  int best = -1;
  size_t bl = 0;
  uint32_t b = hash_at(text, n, memo) & (x->nbuckets - 1);
  size_t fail = SIZE_MAX; /* where the form before failed */
  for (const lex_form *f = x->forms + x->start[b], *e = x->forms + x->start[b + 1]; f < e; f++) {
    if (f->lcp >= fail) continue; /* its bytes up to there are the failed form's: fails too */
    size_t k = 0;
    if (!(fail = mismatch(f, text, n))) k = prefix_fail(text, n, f->form, f->len, &fail);
    if (k > bl || (k == bl && k && (int)f->id < best)) bl = k, best = (int)f->id;
  }
  if (mlen) *mlen = bl;
  return best;
}

int lex_match_all(const lex_table *x, const char *text, size_t n, size_t *mlen) {
  int best = -1;
  size_t bl = 0;
  size_t fail = SIZE_MAX; /* as in lex_match_at() */
  for (uint32_t i = 0; x && n && i < x->count; i++) {
    const lex_form *f = &x->all[i];
    if (f->lcp >= fail) continue;
    size_t k = 0;
    if (!(fail = mismatch(f, text, n))) k = prefix_fail(text, n, f->form, f->len, &fail);
    if (k > bl) bl = k, best = (int)i;
  }
  if (mlen) *mlen = bl;
  return best;
}

int lex_longest(const char *text, size_t n, const void *table, size_t stride, size_t *mlen) {
  return lex_match(lex_table_of(table, stride), text, n, NULL, mlen);
}

/* --- the tables of a lexicon, resolved once -------------------------------- */

/* The declaration verbs whose first word is a subject of the lexicon (« Nous
 * invitons »), as a table of their remaining words (« invitons ») and the verb. */
typedef struct {
  const char *form;
  int verb;
} bare_verb;

static const void *build_tables(const void *key, size_t arg) {
  const mandat_lexicon *lx = key;
  (void)arg;
  lex_tables *T = xcalloc(1, sizeof *T);
#define RESOLVE(name) T->name = lex_table_of(LEX_LIST(lx->name));
  LEX_TABLE_FIELDS(RESOLVE)
#undef RESOLVE
  size_t nv = 0;
  while (lx->declaration_verbs && lx->declaration_verbs[nv].form) nv++;
  bare_verb *bare = xcalloc(nv + 1, sizeof *bare);
  size_t nb = 0;
  for (size_t i = 0; i < nv; i++) {
    const char *f = lx->declaration_verbs[i].form, *sp = strchr(f, ' ');
    size_t k;
    if (!sp || lex_match(T->declaration_subjects, f, (size_t)(sp - f), NULL, &k) < 0 ||
        k != (size_t)(sp - f))
      continue;
    bare[nb++] = (bare_verb){sp + 1, (int)i};
  }
  T->bare_declaration_verbs = lex_table_of(LEX_LIST(bare)); /* a new table: indexed anew */
  T->bare_verb = xcalloc(nb + 1, sizeof *T->bare_verb);
  for (size_t i = 0; i < nb; i++) T->bare_verb[i] = bare[i].verb;
  const lex_table *cited[] = {T->cite_possessives, T->organs,         T->cite_bodies,
                              T->resolution_words,  T->decision_words, T->treaties};
  lex_table *o = &T->cite_openers;
  for (size_t t = 0; t < sizeof cited / sizeof *cited; t++) {
    for (size_t b = 0; cited[t] && b < sizeof o->first; b++) o->first[b] |= cited[t]->first[b];
    for (size_t b = 0; cited[t] && b < sizeof o->pair; b++) o->pair[b] |= cited[t]->pair[b];
    for (size_t b = 0; cited[t] && b < sizeof o->triple; b++) o->triple[b] |= cited[t]->triple[b];
    for (size_t b = 0; cited[t] && b < sizeof o->free3; b++) o->free3[b] |= cited[t]->free3[b];
  }
  for (unsigned char c = 'A'; c <= 'Z'; c++) { /* a symbol: A/80/545 */
    set_bit(o->first, c);
    set_bit(o->free3, c);
    for (int b = 0; b < 256; b++) set_pair(o->pair, c, (unsigned char)b);
  }
  return T;
}

static reg_slot lexicon_slots[REG_SLOTS];
static pthread_mutex_t lexicon_lock = PTHREAD_MUTEX_INITIALIZER;

const lex_tables *lex_tables_of(const mandat_lexicon *lx) {
  return registry(lexicon_slots, &lexicon_lock, lx, build_tables, 0);
}

long lex_find(const char *text, size_t n, const char *form, size_t *mlen) {
  size_t fl = strlen(form);
  if (!fl) return -1;
  /* the bytes a match can start with (char_eq's rules for a first character): the
   * form's own, its other case for an ASCII letter, ’ for ', a tab for a blank.
   * A multi-byte first letter keeps its lead byte in both cases.  Other positions
   * are passed over without a call. */
  unsigned char f0 = (unsigned char)form[0], alt = f0;
  if ((f0 | 32) >= 'a' && (f0 | 32) <= 'z') alt = f0 ^ 32;
  else if (f0 == '\'') alt = 0xE2;
  else if (f0 == ' ') alt = '\t';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c != f0 && c != alt) continue;
    if (i > 0 && !boundary(text + i - 1, 1) && (unsigned char)text[i - 1] < 0x80) continue;
    size_t k = prefix(text + i, n - i, form, fl);
    if (k) {
      if (mlen) *mlen = k;
      return (long)i;
    }
  }
  return -1;
}

int lex_number(const mandat_lexicon *lx, const char *text, size_t n, size_t *mlen) {
  size_t i = 0;
  if (n && text[0] >= '0' && text[0] <= '9') {
    int v = 0;
    while (i < n && text[i] >= '0' && text[i] <= '9' && v < 100000) v = v * 10 + (text[i++] - '0');
    *mlen = i;
    return v;
  }
  int total = 0, parts = 0;
  size_t end = 0;
  while (i < n) {
    size_t k;
    int idx = lex_longest(text + i, n - i, LEX_LIST(lx->numbers), &k);
    if (idx < 0) {
      /* a joiner (« et », "and") only inside a number, after round tens or
       * hundreds (« soixante et onze », "one hundred and one"); « quatre-vingt-unième
       * et quatre-vingt-deuxième » are two numbers */
      int j = parts && total % 10 == 0 ? lex_longest(text + i, n - i, LEX_LIST(lx->number_joiners), &k) : -1;
      if (j < 0) break;
      i += k;
      while (i < n && (text[i] == ' ' || text[i] == '-')) i++;
      continue;
    }
    total += lx->numbers[idx].value;
    parts++;
    i += k;
    end = i;
    while (i < n && (text[i] == ' ' || text[i] == '-')) i++;
  }
  if (!parts) return -1;
  *mlen = end;
  return total;
}

static int month_at(const mandat_lexicon *lx, const lex_table *months, const char *t, size_t n,
                    size_t *k) {
  int idx = lex_match(months, t, n, NULL, k);
  return idx < 0 ? 0 : lx->months[idx].value;
}

static int digits_at(const char *t, size_t n, size_t *k, int maxd) {
  size_t i = 0;
  int v = 0;
  while (i < n && (int)i < maxd && t[i] >= '0' && t[i] <= '9') v = v * 10 + (t[i++] - '0');
  if (i < n && t[i] >= '0' && t[i] <= '9') return -1;
  *k = i;
  return i ? v : -1;
}

static size_t skip_blanks(const char *t, size_t n, size_t i) {
  while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
  return i;
}

long lex_date(const mandat_lexicon *lx, const char *text, size_t n, int default_year, char iso[11]) {
  const lex_table *months = lex_tables_of(lx)->months;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && ((unsigned char)text[i - 1] >= '0' && (unsigned char)text[i - 1] <= '9')) continue;
    size_t k, j;
    int day = -1, month = 0, year = -1;
    if (text[i] >= '0' && text[i] <= '9') {
      /* 18 décembre 2025 / 1er décembre / 18 de diciembre de 2025 */
      day = digits_at(text + i, n - i, &k, 2);
      if (day < 1 || day > 31) continue;
      j = i + k;
      if (j + 2 <= n && (memcmp(text + j, "er", 2) == 0 || memcmp(text + j, "st", 2) == 0 ||
                         memcmp(text + j, "nd", 2) == 0 || memcmp(text + j, "rd", 2) == 0 ||
                         memcmp(text + j, "th", 2) == 0))
        j += 2;
      j = skip_blanks(text, n, j);
      size_t d2 = lex_prefix(text + j, n - j, "de");
      size_t jm = d2 ? skip_blanks(text, n, j + d2) : j;
      month = month_at(lx, months, text + jm, n - jm, &k);
      if (!month && jm != j) month = month_at(lx, months, text + j, n - j, &k), jm = j;
      if (!month) continue;
      j = skip_blanks(text, n, jm + k);
      d2 = lex_prefix(text + j, n - j, "de");
      if (d2) j = skip_blanks(text, n, j + d2);
      year = digits_at(text + j, n - j, &k, 4);
      if (year >= 1900 && k == 4) j += k;
      else year = -1;
    } else if (lex_is_letter(text + i, n - i) && (i == 0 || !lex_is_letter(text + i - 1, 1))) {
      /* December 18, 2025 */
      month = month_at(lx, months, text + i, n - i, &k);
      if (!month) continue;
      j = skip_blanks(text, n, i + k);
      day = digits_at(text + j, n - j, &k, 2);
      if (day < 1 || day > 31) continue;
      j += k;
      if (j < n && text[j] == ',') j++;
      j = skip_blanks(text, n, j);
      year = digits_at(text + j, n - j, &k, 4);
      if (!(year >= 1900 && k == 4)) continue;
      j += k;
    } else {
      continue;
    }
    if (year < 0) year = default_year;
    if (year <= 0 || year > 9999 || month < 1 || month > 12) continue;
    snprintf(iso, 11, "%04d-%02d-%02d", year % 10000, (month % 13), (day % 32));
    return (long)j;
  }
  return -1;
}

/* Length of the opening formula of a preambular paragraph: adverbs before the
 * head, the head, then formulaic adverbs and complements.  0 if no head. */
size_t lex_opening(const mandat_lexicon *lx, const char *t, size_t n) {
  size_t i = 0, k;
  while (lex_longest(t + i, n - i, LEX_LIST(lx->preamble_pre_adverbs), &k) >= 0) {
    size_t j = i + k;
    while (j < n && t[j] == ' ') j++;
    /* the adverb counts only if a head follows */
    size_t hk;
    if (lex_longest(t + j, n - j, LEX_LIST(lx->preamble_heads), &hk) < 0 &&
        lex_longest(t + j, n - j, LEX_LIST(lx->preamble_pre_adverbs), &hk) < 0)
      break;
    i = j;
  }
  if (lex_longest(t + i, n - i, LEX_LIST(lx->preamble_heads), &k) < 0) return 0;
  size_t end = i + k;
  for (;;) {
    size_t j = end;
    while (j < n && t[j] == ' ') j++;
    if (lex_longest(t + j, n - j, LEX_LIST(lx->formulaic_adverbs), &k) >= 0 ||
        lex_longest(t + j, n - j, LEX_LIST(lx->complements), &k) >= 0)
      end = j + k;
    else
      break;
  }
  return end;
}


long lex_stopwords(const mandat_lexicon *lx, const char *t, size_t n) {
  long score = 0;
  size_t p = 0;
  const lex_table *x = lex_table_of(LEX_LIST(lx->stopwords)); /* lengths known, first bytes */
  while (p < n) {
    while (p < n && t[p] == ' ') p++;
    size_t q = p;
    while (q < n && t[q] != ' ') q++;
    bool may = x && (q == p || lex_can_start(x, (unsigned char)t[p]));
    for (uint32_t s = 0; may && s < x->count; s++)
      if (x->all[s].len == q - p && memcmp(x->all[s].form, t + p, q - p) == 0) {
        score++;
        break;
      }
    p = q;
  }
  return score;
}

const mandat_lexicon *lex_detect(const char *t, size_t n) {
  const mandat_lexicon *best = mandat_lexicons[0];
  long best_score = -1;
  if (n > 200000) n = 200000; /* as structure_language(): a bounded sample decides */
  for (int l = 0; mandat_lexicons[l]; l++) {
    long score = lex_stopwords(mandat_lexicons[l], t, n);
    if (score > best_score) best_score = score, best = mandat_lexicons[l];
  }
  return best;
}

static bool ascii_letter(unsigned char c) { return (unsigned char)((c | 32) - 'a') < 26; }

/* A position is tried when a form can start with its first bytes
 * (lex_may_match()), it is no UTF-8
 * continuation byte and no ASCII letter precedes it.  O(n) plus one indexed
 * lookup per such position; the letters inside a word go by in a tight loop. */
long lex_find_in(const lex_table *x, const char *text, size_t n, int *idx, size_t *mlen) {
  if (!x) return -1;
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)text[i];
    bool letter = ascii_letter(c);
    /* a letter here never follows one: the loop below passes the rest of a word
     * and the byte after it */
    bool tried = letter || (!(c >= 0x80 && c < 0xC0) &&
                            (i == 0 || !ascii_letter((unsigned char)text[i - 1])));
    if (tried && lex_may_match(x, text + i, n - i)) {
      size_t k;
      int j = lex_match_at(x, text + i, n - i, NULL, &k);
      if (j >= 0) {
        if (idx) *idx = j;
        if (mlen) *mlen = k;
        return (long)i;
      }
    }
    i++;
    if (letter) {
      while (i < n && ascii_letter((unsigned char)text[i])) i++;
      i++;
    }
  }
  return -1;
}
