/* buf.h: the one growable byte buffer of mandat, and allocation wrappers that abort
 * on failure (an allocation failure is not an input error mandat can report). */
#ifndef MANDAT_BUF_H
#define MANDAT_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  char *data; /* NUL-terminated when len > 0 or after buf_cstr() */
  size_t len, cap;
} mandat_buf;

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* A block of n bytes for a large array written once from end to end (the input
 * file, its lines), freed with free().  From 2 MB on it is aligned to 2 MB and
 * asks the kernel for huge pages: one page fault every 2 MB instead of every
 * 4 kB, which is most of the cost of reading a large file on a virtual machine. */
void *xmalloc_large(size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Eight bytes a step (SWAR): load8() reads 8 bytes; bytes_eq(x, c) and
 * bytes_lt(x, c) (c <= 128) set the high bit of every byte of x equal to c or below
 * it, and maybe of a byte after one that is: never a miss, at worst a reason to
 * look closer byte by byte. */
static inline uint64_t load8(const void *p) {
  uint64_t x;
  memcpy(&x, p, sizeof x);
  return x;
}
static inline uint64_t bytes_lt(uint64_t x, unsigned char c) {
  return (x - 0x0101010101010101u * c) & ~x & 0x8080808080808080u;
}
static inline uint64_t bytes_eq(uint64_t x, unsigned char c) {
  return bytes_lt(x ^ (0x0101010101010101u * c), 1);
}

/* Grow a typed array `v` of `n` used / `cap` slots so one more element fits. */
#define VEC_GROW(v, n, cap)                                                  \
  do {                                                                       \
    if ((n) == (cap)) {                                                      \
      (cap) = (cap) ? (cap) * 2 : 8;                                         \
      (v) = xrealloc((v), (cap) * sizeof *(v));                              \
    }                                                                        \
  } while (0)

void buf_put(mandat_buf *b, const char *s, size_t n);
void buf_puts(mandat_buf *b, const char *s);
void buf_putc_slow(mandat_buf *b, char c);
/* One byte: inline while there is room (the renderers write byte by byte). */
static inline void buf_putc(mandat_buf *b, char c) {
  if (b->len + 2 <= b->cap) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
  } else {
    buf_putc_slow(b, c);
  }
}
void buf_printf(mandat_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Bytes of s (length n) to keep so that at most max bytes remain, cut on a UTF-8
 * character boundary. */
size_t utf8_cut(const char *s, size_t n, size_t max);
/* Append s, cut to at most max bytes on a character boundary, with "…" when cut. */
void buf_put_clipped(mandat_buf *b, const char *s, size_t max);

/* Format a message into a caller's fixed error buffer (err may be NULL). */
void buf_seterr(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
const char *buf_cstr(mandat_buf *b); /* always a valid NUL-terminated string */
void buf_clear(mandat_buf *b);       /* len = 0, keeps memory */
void buf_free(mandat_buf *b);
char *buf_detach(mandat_buf *b); /* returns the malloc'd string; b is empty after */

#endif
