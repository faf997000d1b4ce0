/* text.c: paragraph text assembly (see text.h). */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "clean.h"
#include "lexmatch.h"

void text_notes_add(text_notes *ns, int n) {
  if (n > 0 && n < TEXT_MAX_NOTE) ns->bits[n / 8] |= (unsigned char)(1u << (n % 8));
}

bool text_notes_has(const text_notes *ns, int n) {
  return n > 0 && n < TEXT_MAX_NOTE && (ns->bits[n / 8] & (1u << (n % 8)));
}

void text_join(mandat_buf *out, const char *t, size_t n) {
  if (!n) return;
  if (out->len) {
    char last = out->data[out->len - 1];
    if (last == '-' && out->len >= 2 && out->data[out->len - 2] == ' ') {
      out->len--; /* « trente - » + « deuxième »: drop the stray space */
      out->data[out->len - 1] = '-';
    } else if (!(last == '-' && out->len >= 2 && lex_is_letter(out->data + out->len - 2, 2)) &&
               last != ' ') {
      buf_putc(out, ' ');
    }
  }
  buf_put(out, t, n);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int value(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_digit(s[i]) || v > 100000) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return n ? v : -1;
}

static bool is_punct(char c) { return c == ',' || c == ';' || c == '.' || c == ':' || c == ')'; }

void text_unglue_markers(mandat_buf *raw, const text_notes *known, bool pdf) {
  if (!pdf || !raw->len) return;
  /* Most tokens are left as they are: raw is rewritten only from the first token
   * that changes, and the text between changes goes over in one copy. */
  mandat_buf out = {0};
  bool changed = false;
  const char *s = raw->data;
  size_t n = raw->len, i = 0, kept = 0; /* s[kept, i) is still to copy to out */
  while (i < n) {
    /* only a token that holds a digit can carry a glued marker: go to the next
     * digit, then to the start of its token */
    size_t dg = i;
    while (dg < n && !is_digit(s[dg])) dg++;
    if (dg == n) break;
    while (dg > i && s[dg - 1] != ' ') dg--;
    i = dg;
    size_t j = i;
    while (j < n && s[j] != ' ') j++;
    /* the token s[i..j) without trailing punctuation */
    size_t e = j;
    while (e > i && is_punct(s[e - 1])) e--;
    size_t d = e;
    while (d > i && is_digit(s[d - 1])) d--;
    size_t nd = e - d;
    if (!nd) { /* no digit at the end: nothing to unglue */
      i = j;
      continue;
    }
    size_t at = 0, len = 0; /* the marker's digits s[at, at+len) */
    size_t head = i;         /* the token keeps s[i, head) before the marker */
    bool drop_space = false;
    if (nd <= 3 && d > i) {
      size_t letters = 0;
      bool plain = true;
      for (size_t k = i; k < d; k++) {
        if (s[k] == '/' || s[k] == '-' || s[k] == '.' || is_digit(s[k])) plain = false;
        if (lex_is_letter(s + k, d - k)) letters++;
      }
      if (plain && letters >= 3 && text_notes_has(known, value(s + d, nd)))
        at = d, len = nd, head = d; /* afférents1, */
    }
    if (!len && d == i && nd >= 5 && nd <= 7) {
      /* 20063 = 2006 + note 3 */
      int year = value(s + i, 4);
      if (year >= 1900 && year <= 2099 && text_notes_has(known, value(s + i + 4, nd - 4)))
        at = i + 4, len = nd - 4, head = i + 4;
    }
    if (!len && d > i && s[d - 1] == '/' && nd >= 4 && nd <= 5) {
      /* 76/18742 = 76/187 + note 42: Assembly resolution numbers have 3 digits */
      if (text_notes_has(known, value(s + d + 3, nd - 3))) at = d + 3, len = nd - 3, head = d + 3;
    }
    if (!len && d == i && nd <= 3 && e == j && j + 1 < n && is_punct(s[j + 1]) &&
        (j + 2 == n || s[j + 2] == ' ') && text_notes_has(known, value(s + i, nd)) && i > 0) {
      /* « 2030 2 , »: a lone number before a detached comma */
      at = i, len = nd, head = i, drop_space = true;
    }
    if (len) {
      buf_put(&out, s + kept, i - kept);
      if (drop_space)
        while (out.len && out.data[out.len - 1] == ' ') out.len--;
      buf_put(&out, s + i, head - i);
      buf_putc(&out, MARK), buf_put(&out, s + at, len), buf_putc(&out, MARK);
      buf_put(&out, s + e, j - e);
      kept = j;
      changed = true;
    }
    i = j;
  }
  if (!changed) return;
  buf_put(&out, s + kept, n - kept);
  buf_free(raw);
  *raw = out;
}

/* Texts are NFC (the contract).  Only a combining mark (U+0300-U+036F, bytes
 * CC/CD; « e » + U+0301 from some PDF extractors) can make a UTF-8 text that is
 * not, so the common case costs one scan and no allocation. */
static void nfc(mandat_buf *b) {
  bool combining = false;
  for (size_t i = 0; i < b->len && !combining; i++)
    combining = (unsigned char)b->data[i] == 0xCC || (unsigned char)b->data[i] == 0xCD;
  if (!combining) return;
  utf8proc_uint8_t *n = utf8proc_NFC((const utf8proc_uint8_t *)b->data);
  if (!n) return; /* not valid UTF-8 for utf8proc: keep the text as it is */
  buf_clear(b);
  buf_puts(b, (const char *)n);
  free(n); /* utf8proc allocates with malloc */
}

/* The bytes text_finish() looks at: a marker, a space. */
static const unsigned char finish_stop[256] = {[MARK] = 1, [' '] = 1};

void text_finish(mandat_buf *out, const char *raw, size_t n) {
  buf_clear(out);
  for (size_t i = 0; i < n; i++) {
    char c = raw[i];
    if (c != MARK && c != ' ') {
      /* a run of plain bytes goes in one copy, with the single spaces between its
       * words: only a space before a space, a hyphen, ’, a marker or the end is
       * judged below */
      size_t j = i + 1;
      for (;;) {
        /* eight bytes a step while they hold no marker and no space before a
         * space, a hyphen, ’ or a marker; then byte by byte */
        while (j + 9 <= n) {
          uint64_t x = load8(raw + j), y = load8(raw + j + 1);
          uint64_t next = bytes_eq(y, ' ') | bytes_eq(y, '-') | bytes_eq(y, 0xE2) | bytes_eq(y, MARK);
          if ((bytes_eq(x, ' ') & next) | bytes_eq(x, MARK)) break;
          j += 8;
        }
        size_t stop = j + 8 < n ? j + 8 : n;
        for (; j < stop; j++) {
          if (!finish_stop[(unsigned char)raw[j]]) continue;
          if (raw[j] == MARK || j + 1 >= n) break;
          char d = raw[j + 1];
          if (d == ' ' || d == '-' || d == MARK || (unsigned char)d == 0xE2) break;
        }
        if (j < stop || j >= n) break;
      }
      buf_put(out, raw + i, j - i);
      i = j - 1;
      continue;
    }
    if (c == MARK) {
      size_t j = i + 1;
      while (j < n && raw[j] != MARK) j++;
      i = j;
      continue;
    }
    if (c == ' ') {
      if (!out->len || out->data[out->len - 1] == ' ') continue;
      /* « l ’état »: no space before an apostrophe that follows a letter */
      if (i + 3 < n && memcmp(raw + i + 1, "\xE2\x80\x99", 3) == 0 && out->len &&
          lex_is_letter(out->data + out->len - 1, 1))
        continue;
      /* « bien -être »: no space inside a hyphenated word */
      if (i + 2 < n && raw[i + 1] == '-' && lex_is_letter(raw + i + 2, n - i - 2) &&
          lex_is_letter(out->data + out->len - 1, 1))
        continue;
    }
    buf_putc(out, c);
  }
  while (out->len && out->data[out->len - 1] == ' ') out->len--;
  buf_cstr(out);
  nfc(out);
}
