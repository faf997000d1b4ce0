/* lexmatch.h: matching lexicon forms against text.
 *
 * A form matches at the start of a text when the bytes agree, with three
 * allowances: the first letter compares case-insensitively (« prie » matches
 * « Prie », « état » matches « État »), the apostrophe ' of a form matches ' or ’
 * in the text, and one space of a form matches any run of blanks.  The match must
 * end at a word boundary. */
#ifndef MANDAT_LEXMATCH_H
#define MANDAT_LEXMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"

/* Bytes of text matched by form, or 0. */
size_t lex_prefix(const char *text, size_t n, const char *form);

/* Longest match at text among the entries of a table whose first member is the
 * form (const char *), `stride` bytes apart, ending at the first NULL form.
 * Returns the entry index or -1; *mlen gets the matched length. */
int lex_longest(const char *text, size_t n, const void *table, size_t stride, size_t *mlen);

#define LEX_LIST(list) (const void *)(list), sizeof *(list)

/* --- indexed tables --------------------------------------------------------
 * Each table gets, on first use, an index (lexmatch.c): its forms filed by the
 * hash of their first word, and the bytes a form can start with.  Scanners that
 * try tables at every word resolve them once (lex_tables_of()) and call
 * lex_match(), whose first-byte test is inline: most positions cost one bit test
 * and no call.  Indexes are built once and shared by all threads. */
/* A form of an indexed table, with what rejects most texts before prefix
 * matching: its first byte (and the other one a match may start with), and the
 * (at most 8) bytes that follow its first character, as a masked word: where
 * the form matches, the text has these very bytes but for a run of blanks or a
 * ’ (mismatch() in lexmatch.c). */
typedef struct {
  const char *form;
  uint32_t len, id;   /* strlen; index of the entry in the table */
  uint32_t skip;      /* bytes of the first character, where key starts */
  uint64_t key, mask; /* mask 0: no key */
  uint32_t lcp;       /* bytes in common with the form before it in its array */
  unsigned char f0, alt;
} lex_form;

typedef struct {
  const void *table; /* the entries; the form is the first member */
  size_t stride;
  uint32_t count;          /* entries before the NULL form */
  unsigned char first[32];   /* bitmap of the bytes a form can start with (both cases) */
  unsigned char pair[512];   /* bitmap of the first two bytes a match can have (lex_pair_bit) */
  unsigned char triple[512]; /* the same for the first three bytes (lex_triple_bit) */
  unsigned char free3[32];   /* first bytes after which the third is not tested */
  uint32_t nbuckets;         /* power of two */
  const uint32_t *start;     /* nbuckets + 1 offsets into forms */
  const lex_form *forms;     /* bucket by bucket, each in byte order */
  const lex_form *all;       /* in table order */
} lex_table;

/* The index of a table (NULL for a NULL table). */
const lex_table *lex_table_of(const void *table, size_t stride);

/* The hash of the first word of the last text looked up through it: a scanner
 * that tries many tables at one position hashes the word once.  Zero it before a
 * scan; it is valid only while the text it saw does not change. */
typedef struct {
  const char *at;
  size_t n;
  uint32_t hash;
} lex_memo;

static inline bool lex_bit(const unsigned char *map, unsigned bit) {
  return (map[bit >> 3] >> (bit & 7)) & 1;
}

static inline bool lex_can_start(const lex_table *x, unsigned char c) {
  return lex_bit(x->first, c);
}

/* The bit of pair for a text starting with bytes a, b (pairs may share one),
 * and of triple for a, b, c. */
static inline unsigned lex_pair_bit(unsigned char a, unsigned char b) {
  return ((unsigned)a << 4 ^ b) & 4095;
}
static inline unsigned lex_triple_bit(unsigned char a, unsigned char b, unsigned char c) {
  return ((a * 0x9E3779B1u) ^ (b * 0x85EBCA6Bu) ^ (c * 0xC2B2AE35u)) >> 20;
}

/* False when no form of x can match text (n > 0), by its first byte, first two
 * bytes and first three bytes: three bit tests that reject most words before
 * any hashing. */
static inline bool lex_may_match(const lex_table *x, const char *text, size_t n) {
  unsigned char a = (unsigned char)text[0];
  if (!lex_can_start(x, a)) return false;
  if (n < 2) return true;
  unsigned char b = (unsigned char)text[1];
  if (!lex_bit(x->pair, lex_pair_bit(a, b))) return false;
  if (n < 3 || lex_bit(x->free3, a)) return true;
  return lex_bit(x->triple, lex_triple_bit(a, b, (unsigned char)text[2]));
}

int lex_match_at(const lex_table *x, const char *text, size_t n, lex_memo *memo, size_t *mlen);

/* lex_longest() on an index; memo may be NULL. */
static inline int lex_match(const lex_table *x, const char *text, size_t n, lex_memo *memo,
                            size_t *mlen) {
  if (x && n && lex_may_match(x, text, n)) return lex_match_at(x, text, n, memo, mlen);
  if (mlen) *mlen = 0;
  return -1;
}

/* The same, trying every form of the table rather than one bucket (O(table));
 * on a tie the first form wins. */
int lex_match_all(const lex_table *x, const char *text, size_t n, size_t *mlen);

/* The lists of mandat_lexicon that are matched with lex_longest(). */
#define LEX_TABLE_FIELDS(X)                                                                        \
  X(preamble_heads) X(preamble_pre_adverbs) X(formulaic_adverbs) X(complements)                    \
  X(operative_verbs) X(declaration_verbs) X(organs) X(declaration_chapeaux)                        \
  X(resolution_adopted) X(draft_headings) X(annex_headings) X(declaration_words) X(agenda_item)    \
  X(plenary_meeting) X(session_words) X(months) X(numbers) X(number_joiners) X(addressees)         \
  X(conditions) X(treaties) X(resolution_words) X(decision_words) X(cite_bodies)                   \
  X(cite_date_intros) X(cite_joiners) X(clause_coordinators) X(pronouns) X(determiners)            \
  X(complementizers) X(subjunctive_complementizers) X(infinitive_clitics)                          \
  X(infinitive_phrases) X(addressee_separators) X(urging_adverbs) X(discourse_adverbials)          \
  X(reporting_words) X(gapping_markers) X(declaration_subjects) X(plural_pronouns)                 \
  X(relative_pronouns) X(cite_possessives)

/* The index of every list of a lexicon (NULL for a list the lexicon lacks). */
typedef struct {
#define LEX_TABLE_FIELD(name) const lex_table *name;
  LEX_TABLE_FIELDS(LEX_TABLE_FIELD)
#undef LEX_TABLE_FIELD
  /* The declaration verbs that open with a subject (« Nous invitons ») without
   * it (« invitons »), for verbs coordinated later in a sentence; bare_verb maps
   * an entry to its index in declaration_verbs. */
  const lex_table *bare_declaration_verbs;
  int *bare_verb;
  /* Only the filters of lex_may_match(): the words where the citation scan
   * (cite.c) can find anything, a form of its tables or a symbol's capital. */
  lex_table cite_openers;
} lex_tables;

/* Built on the first call for lx, then shared (thread-safe). */
const lex_tables *lex_tables_of(const mandat_lexicon *lx);

/* The first word start of text where a form of an indexed table matches (NULL:
 * none).  Returns the offset or -1; *idx the entry, *mlen the length.  O(n), one
 * lookup per word that passes lex_may_match(). */
long lex_find_in(const lex_table *x, const char *text, size_t n, int *idx, size_t *mlen);

/* Case-insensitive search of a form anywhere in text (at word starts); returns the
 * byte offset or -1. */
long lex_find(const char *text, size_t n, const char *form, size_t *mlen);

/* True when the byte at s starts a letter (ASCII letter or a UTF-8 letter). */
bool lex_is_letter(const char *s, size_t n);
/* True when text starts with an upper-case letter (ASCII or Latin-1/Latin-A). */
bool lex_is_upper(const char *s, size_t n);
bool lex_is_lower(const char *s, size_t n);

/* Parse a number phrase (« quatre-vingt-unième », "eighty-first", "octogésimo
 * primer", or digits) at text; returns the value or -1, *mlen its length. */
int lex_number(const mandat_lexicon *lx, const char *text, size_t n, size_t *mlen);

/* Find a date (« 18 décembre 2025 », « 1er décembre 1950 », "18 December 2025",
 * "December 18, 2025", « 18 de diciembre de 2025 ») in text.  Writes an ISO date
 * into iso (11 bytes) and returns the offset just after the date, or -1.  When the
 * year is missing, default_year is used (0: no date). */
long lex_date(const mandat_lexicon *lx, const char *text, size_t n, int default_year,
              char iso[11]);

/* Length of the opening formula of a preambular paragraph at t: adverbs before
 * the head (« Vivement »), the head (« Préoccupée », « Prenant note »), then
 * formulaic adverbs and complements (« également », « avec satisfaction »).
 * 0 when no head of the lexicon opens the text. */
size_t lex_opening(const mandat_lexicon *lx, const char *t, size_t n);

/* Number of the lexicon's stopwords among the blank-separated words of t. */
long lex_stopwords(const mandat_lexicon *lx, const char *t, size_t n);

/* The language whose stopwords are the most frequent in t (first 200 kB). */
const mandat_lexicon *lex_detect(const char *t, size_t n);

#endif
