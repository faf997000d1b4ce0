/* read.c: first stage: format detection, text validation and line splitting.
 * HTML and PDF conversion live in read_html.c and read_pdf.c. */
#include "read.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

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

/* The offset of the first byte of s[from, to) that is not text (binary, or
 * invalid UTF-8: *st says which), or `to`. */
static size_t check_span(const unsigned char *s, size_t from, size_t to, mandat_status *st) {
  *st = MANDAT_OK;
  for (size_t i = from; i < to;) {
    if (i + 8 <= to && printable8(s + i)) {
      i += 8;
      continue;
    }
    unsigned c = s[i];
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v')) {
      *st = MANDAT_ERR_BINARY;
      return i;
    }
    size_t k = utf8_valid(s + i, to - i);
    if (!k) {
      *st = MANDAT_ERR_UTF8;
      return i;
    }
    i += k;
  }
  return to;
}

mandat_status read_check_text(const char *buf, size_t len, int *line) {
  mandat_status st;
  size_t bad = check_span((const unsigned char *)buf, 0, len, &st);
  *line = st == MANDAT_OK ? 0 : line_at(buf, bad);
  return st;
}

/* --- the check on a thread of its own ---------------------------------------
 * Blocks of about READ_BLOCK bytes, each ending after a newline (so a line is
 * never split, nor a UTF-8 sequence), are checked, hashed and counted (for the
 * line of a bad byte) in order; `ready` tells how far.  The reader works behind
 * it: it may read and even overwrite the bytes before `ready`, never after. */
#define READ_BLOCK ((size_t)1 << 20)

struct read_checker {
  char *buf;
  size_t len;
  int fd;      /* the rest of the file is read from fd, or -1: all in buf */
  size_t have; /* bytes of buf read by the caller */
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  _Atomic size_t ready; /* bytes read, checked and hashed */
  bool over;            /* the thread is done: all ready, or failed at ready */
  mandat_status st;
  int line;          /* of the bad byte */
  char why[160];     /* a read error */
  char sha[65];
  bool ends_line;    /* the last byte is a line break */
};

/* Read buf[c->have, to) from c->fd; false on an error or a file that shrank. */
static bool read_upto(read_checker *c, size_t to) {
  while (c->have < to) {
    ssize_t k = read(c->fd, c->buf + c->have, to - c->have);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      snprintf(c->why, sizeof c->why, "%s",
               k < 0 ? strerror(errno) : "the file shrank while it was read");
      return false;
    }
    c->have += (size_t)k;
  }
  return true;
}

static void *checker_run(void *arg) {
  read_checker *c = arg;
  const unsigned char *s = (const unsigned char *)c->buf;
  void *h = sha256_begin();
  int lines = 1;
  mandat_status st = MANDAT_OK;
  size_t off = 0;
  while (off < c->len && st == MANDAT_OK) {
    size_t end = off + READ_BLOCK < c->len ? off + READ_BLOCK : c->len;
    if (c->fd >= 0 && !read_upto(c, end)) {
      st = MANDAT_ERR_IO;
      break;
    }
    /* the block ends after a line break: read on until one comes */
    const char *nl = NULL;
    for (size_t from = end; end < c->len;) {
      size_t avail = c->fd >= 0 ? c->have : c->len;
      nl = memchr(c->buf + from, '\n', avail - from);
      if (nl || avail == c->len) break;
      from = avail;
      if (!read_upto(c, avail + READ_BLOCK / 16 < c->len ? avail + READ_BLOCK / 16 : c->len)) {
        st = MANDAT_ERR_IO;
        break;
      }
    }
    if (st != MANDAT_OK) break;
    end = nl ? (size_t)(nl - c->buf) + 1 : c->len;
    size_t bad = check_span(s, off, end, &st);
    if (st != MANDAT_OK) {
      c->line = lines + line_at(c->buf + off, bad - off) - 1;
      break;
    }
    sha256_update(h, c->buf + off, end - off);
    for (const char *p = c->buf + off, *e = c->buf + end; (p = memchr(p, '\n', (size_t)(e - p))); p++)
      lines++;
    if (end == c->len) c->ends_line = c->buf[end - 1] == '\n' || c->buf[end - 1] == '\r';
    pthread_mutex_lock(&c->mu);
    atomic_store_explicit(&c->ready, end, memory_order_release);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    off = end;
  }
  sha256_end(h, c->sha);
  pthread_mutex_lock(&c->mu);
  c->st = st;
  c->over = true;
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
  return NULL;
}

read_checker *read_checker_start(char *buf, size_t len, int fd, size_t have) {
  read_checker *c = xcalloc(1, sizeof *c);
  c->buf = buf;
  c->len = len;
  c->fd = have < len ? fd : -1;
  c->have = have;
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->cv, NULL);
  if (pthread_create(&c->thread, NULL, checker_run, c) != 0) {
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
    return NULL;
  }
  return c;
}

bool read_checker_wait(read_checker *c, size_t pos) {
  if (atomic_load_explicit(&c->ready, memory_order_acquire) > pos) return true;
  pthread_mutex_lock(&c->mu);
  while (atomic_load_explicit(&c->ready, memory_order_acquire) <= pos && !c->over)
    pthread_cond_wait(&c->cv, &c->mu);
  bool ok = atomic_load_explicit(&c->ready, memory_order_acquire) > pos;
  pthread_mutex_unlock(&c->mu);
  return ok;
}

size_t read_checker_ready(read_checker *c) {
  return atomic_load_explicit(&c->ready, memory_order_acquire);
}

mandat_status read_checker_end(read_checker *c, int *line, char sha[65], bool *ends_line,
                               char *why, size_t whylen) {
  pthread_join(c->thread, NULL);
  mandat_status st = c->st;
  *line = st == MANDAT_ERR_BINARY || st == MANDAT_ERR_UTF8 ? c->line : 0;
  memcpy(sha, c->sha, 65);
  *ends_line = c->ends_line;
  snprintf(why, whylen, "%s", c->why);
  pthread_mutex_destroy(&c->mu);
  pthread_cond_destroy(&c->cv);
  free(c);
  return st;
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
