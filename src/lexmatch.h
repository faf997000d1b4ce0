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

/* The same, for a scanner that tries many tables at one position: memo (zeroed
 * for each new text or n) keeps the hash of the first word, computed once. */
typedef struct {
  bool have;
  uint32_t hash;
} lex_memo;
int lex_longest_memo(const char *text, size_t n, const void *table, size_t stride, lex_memo *memo,
                     size_t *mlen);

#define LEX_LIST(list) (const void *)(list), sizeof *(list)

/* The first word start of text where a form of the table matches (indexed: one
 * lookup per word).  Returns the offset or -1; *idx the entry, *mlen the length. */
long lex_find_any(const char *text, size_t n, const void *table, size_t stride, int *idx, size_t *mlen);

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
