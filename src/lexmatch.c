/* lexmatch.c: matching of lexicon forms, number words and dates in text. */
#include "lexmatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

size_t lex_prefix(const char *text, size_t n, const char *form) {
  size_t fi = 0, ti = 0, fl = strlen(form);
  if (!fl) return 0;
  while (fi < fl) {
    if (ti >= n) return 0;
    size_t fw, k = char_eq(form + fi, fl - fi, text + ti, n - ti, fi == 0, &fw);
    if (!k) return 0;
    fi += fw;
    ti += k;
  }
  /* a form ending in an apostrophe or hyphen needs no boundary (« d' », « l' ») */
  char last = form[fl - 1];
  if (last == '\'' || last == '-') return ti;
  return boundary(text + ti, n - ti) ? ti : 0;
}

int lex_longest(const char *text, size_t n, const void *table, size_t stride, size_t *mlen) {
  int best = -1;
  size_t bl = 0;
  if (!table) return -1;
  for (int i = 0;; i++) {
    const char *form = *(const char *const *)((const char *)table + (size_t)i * stride);
    if (!form) break;
    size_t k = lex_prefix(text, n, form);
    if (k > bl) bl = k, best = i;
  }
  if (mlen) *mlen = bl;
  return best;
}

long lex_find(const char *text, size_t n, const char *form, size_t *mlen) {
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && !boundary(text + i - 1, 1) && (unsigned char)text[i - 1] < 0x80) continue;
    size_t k = lex_prefix(text + i, n - i, form);
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
      /* a joiner (« et », "and") only inside a number */
      int j = parts ? lex_longest(text + i, n - i, LEX_LIST(lx->number_joiners), &k) : -1;
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

static int month_at(const mandat_lexicon *lx, const char *t, size_t n, size_t *k) {
  int idx = lex_longest(t, n, LEX_LIST(lx->months), k);
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
      month = month_at(lx, text + jm, n - jm, &k);
      if (!month && jm != j) month = month_at(lx, text + j, n - j, &k), jm = j;
      if (!month) continue;
      j = skip_blanks(text, n, jm + k);
      d2 = lex_prefix(text + j, n - j, "de");
      if (d2) j = skip_blanks(text, n, j + d2);
      year = digits_at(text + j, n - j, &k, 4);
      if (year >= 1900 && k == 4) j += k;
      else year = -1;
    } else if (lex_is_letter(text + i, n - i) && (i == 0 || !lex_is_letter(text + i - 1, 1))) {
      /* December 18, 2025 */
      month = month_at(lx, text + i, n - i, &k);
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
  while (p < n) {
    while (p < n && t[p] == ' ') p++;
    size_t q = p;
    while (q < n && t[q] != ' ') q++;
    for (int s = 0; lx->stopwords && lx->stopwords[s]; s++)
      if (strlen(lx->stopwords[s]) == q - p && memcmp(lx->stopwords[s], t + p, q - p) == 0) {
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
