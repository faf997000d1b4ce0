/* read.c: first stage: format detection, text validation and line splitting.
 * HTML and PDF conversion live in read_html.c and read_pdf.c. */
#include "read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void lines_push(mandat_lines *ls, const char *text, size_t len, int src, int page) {
  VEC_GROW(ls->v, ls->n, ls->cap);
  ls->v[ls->n++] = (mandat_line){text, len, src, src, page};
}

void lines_free(mandat_lines *ls) {
  free(ls->v);
  buf_free(&ls->store);
  memset(ls, 0, sizeof *ls);
}

static int ascii_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Case-insensitive search of an ASCII needle in the first `len` bytes. */
static bool has_ci(const char *buf, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++) {
    size_t k = 0;
    while (k < n && ascii_lower((unsigned char)buf[i + k]) == needle[k]) k++;
    if (k == n) return true;
  }
  return false;
}

/* Markdown is told from plain text by its marks: a heading line, a link to '#',
 * a caret superscript, <sup>, or an emphasised word at a line start. */
static bool looks_markdown(const char *buf, size_t len) {
  size_t scan = len < 65536 ? len : 65536;
  int marks = 0;
  for (size_t i = 0; i < scan; i++) {
    bool bol = i == 0 || buf[i - 1] == '\n';
    if (bol && buf[i] == '#' && i + 1 < scan && (buf[i + 1] == ' ' || buf[i + 1] == '#')) marks++;
    if (bol && buf[i] == '*' && i + 1 < scan && buf[i + 1] != ' ') marks++;
    if (buf[i] == ']' && i + 2 < scan && buf[i + 1] == '(') marks++;
    if (buf[i] == '^' && i + 1 < scan && buf[i + 1] == '{') marks++;
    if (marks >= 2) return true;
  }
  return has_ci(buf, scan, "<sup>");
}

mandat_format read_detect(const char *buf, size_t len) {
  if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0) return MANDAT_FORMAT_PDF;
  size_t i = 0;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
  size_t head = len - i < 4096 ? len - i : 4096;
  if (i < len && buf[i] == '<' &&
      (has_ci(buf + i, head, "<html") || has_ci(buf + i, head, "<!doctype html") ||
       has_ci(buf + i, head, "<body") || has_ci(buf + i, head, "<p") ||
       has_ci(buf + i, head, "<div") || has_ci(buf + i, head, "<h")))
    return MANDAT_FORMAT_HTML;
  return looks_markdown(buf, len) ? MANDAT_FORMAT_MARKDOWN : MANDAT_FORMAT_TEXT;
}

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_valid(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t k;
  unsigned min;
  if ((c & 0xE0) == 0xC0) k = 2, min = 0x80;
  else if ((c & 0xF0) == 0xE0) k = 3, min = 0x800;
  else if ((c & 0xF8) == 0xF0) k = 4, min = 0x10000;
  else return 0;
  if (k > n) return 0;
  unsigned cp = c & (0x7F >> k);
  for (size_t j = 1; j < k; j++) {
    if ((s[j] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[j] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return k;
}

/* Eight bytes at p that are all printable ASCII (0x20-0x7F): most of a text goes
 * by here, eight bytes a step. */
static bool printable8(const unsigned char *p) {
  uint64_t x;
  memcpy(&x, p, sizeof x);
  const uint64_t high = 0x8080808080808080u, ctl = 0x2020202020202020u;
  return !(x & high) && !((x - ctl) & ~x & high);
}

/* The 1-based line of offset i. */
static int line_at(const char *buf, size_t i) {
  int ln = 1;
  for (const char *p = buf, *end = buf + i; (p = memchr(p, '\n', (size_t)(end - p))); p++) ln++;
  return ln;
}

mandat_status read_check_text(const char *buf, size_t len, int *line) {
  const unsigned char *s = (const unsigned char *)buf;
  for (size_t i = 0; i < len;) {
    if (i + 8 <= len && printable8(s + i)) {
      i += 8;
      continue;
    }
    unsigned c = s[i];
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v')) {
      *line = line_at(buf, i);
      return MANDAT_ERR_BINARY;
    }
    size_t k = utf8_valid(s + i, len - i);
    if (!k) {
      *line = line_at(buf, i);
      return MANDAT_ERR_UTF8;
    }
    i += k;
  }
  *line = 0;
  return MANDAT_OK;
}

void read_text(const char *buf, size_t len, mandat_lines *out) {
  size_t i = 0;
  int src = 1;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < len) {
    const char *nl = memchr(buf + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - buf) : len;
    size_t e = end;
    if (e > i && buf[e - 1] == '\r') e--;
    lines_push(out, buf + i, e - i, src++, 0);
    i = nl ? end + 1 : len;
  }
  out->src_lines = src - 1;
}
