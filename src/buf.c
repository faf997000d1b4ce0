/* buf.c: growable byte buffer and aborting allocation wrappers. */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include "buf.h"

#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t n) {
  fprintf(stderr, "mandat: out of memory (%zu bytes)\n", n);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) out_of_memory(n);
  return p;
}

void *xmalloc_large(size_t n) {
  const size_t huge = (size_t)2 << 20;
  if (n < huge) return xmalloc(n);
  size_t len = (n + huge - 1) & ~(huge - 1);
  void *p = NULL;
  if (posix_memalign(&p, huge, len) != 0) out_of_memory(len);
#ifdef MADV_HUGEPAGE
  madvise(p, len, MADV_HUGEPAGE); /* a hint: without huge pages, small ones serve */
#endif
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) out_of_memory(n * size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) out_of_memory(n);
  return q;
}

char *xstrndup(const char *s, size_t n) {
  char *d = xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *xstrdup(const char *s) { return s ? xstrndup(s, strlen(s)) : NULL; }

static void reserve(mandat_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void buf_put(mandat_buf *b, const char *s, size_t n) {
  reserve(b, n);
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_puts(mandat_buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_putc_slow(mandat_buf *b, char c) { buf_put(b, &c, 1); }

void buf_printf(mandat_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[256];
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    buf_put(b, tmp, (size_t)n);
    return;
  }
  reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

size_t utf8_cut(const char *s, size_t n, size_t max) {
  if (n <= max) return n;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return max;
}

void buf_put_clipped(mandat_buf *b, const char *s, size_t max) {
  size_t n = strlen(s), k = utf8_cut(s, n, max);
  buf_put(b, s, k);
  if (k < n) buf_puts(b, "…");
}

void buf_seterr(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  if (!err || !errlen) return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

const char *buf_cstr(mandat_buf *b) {
  reserve(b, 0);
  b->data[b->len] = '\0';
  return b->data;
}

void buf_clear(mandat_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void buf_free(mandat_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

char *buf_detach(mandat_buf *b) {
  buf_cstr(b);
  char *s = b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  return s;
}
