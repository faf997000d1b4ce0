/* read_pdf.c: PDF input to lines of text, with poppler's GLib API.
 *
 * Each page's text (poppler_page_get_text, in reading order) is split at '\n' and
 * emitted line by line with page = the 1-based page number.  Line numbers: for a
 * PDF, src numbers the lines of the extracted text, 1-based and counting across the
 * extracted text of all pages (page 2's first line follows page 1's last line);
 * out->src_lines is the number of extracted lines.  Nothing marks a page break (the
 * clean stage recognises running headers and footers).  Form feeds and carriage
 * returns are dropped, so no line holds '\f' or '\r'; a page without text gives no
 * line; a final '\n' of a page's text does not give an empty line.  Bytes that are
 * not valid UTF-8 (poppler should give none) become U+FFFD.
 *
 * Storage: the text of every line is appended to out->store and only offsets are
 * recorded while the pages are read, because store->data may move when it grows;
 * once the whole store is built the lines are pushed with pointers into the final
 * store->data.  `out` is expected to be freshly zeroed.
 *
 * Errors: a buffer poppler cannot open (truncated, corrupt, encrypted, not a PDF)
 * gives MANDAT_ERR_FORMAT with the reason "not a readable PDF: " and poppler's
 * message.  Nothing is pushed to `out` on failure.
 *
 * Ownership: the input buffer is wrapped without a copy (g_bytes_new_static); the
 * document and every page are released (g_object_unref) before returning, so nothing
 * refers to the buffer afterwards.
 *
 * Loading: poppler-glib is opened on the first PDF (dynload.h), not linked; a
 * machine without it gets a clear error for PDF input, and everything else works.
 *
 * Without MANDAT_HAVE_POPPLER, read_pdf only reports that PDF input needs poppler.
 */
#include "dynload.h"
#include "model.h"
#include "read.h"

#include <stdio.h>
#include <string.h>

/* A failure of this reader: the caller names the file. */
static mandat_status fail(mandat_error *err, mandat_status st, const char *reason) {
  return error_set(err, st, NULL, 0, reason);
}

#ifdef MANDAT_HAVE_POPPLER

#include <poppler.h>

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#ifndef MANDAT_POPPLER_SONAME
#define MANDAT_POPPLER_SONAME "libpoppler-glib.so.8"
#endif

/* The functions of poppler-glib and GLib this reader calls. */
static struct {
  GBytes *(*bytes_new_static)(gconstpointer, gsize);
  void (*bytes_unref)(GBytes *);
  PopplerDocument *(*document_new_from_bytes)(GBytes *, const char *, GError **);
  int (*document_get_n_pages)(PopplerDocument *);
  PopplerPage *(*document_get_page)(PopplerDocument *, int);
  char *(*page_get_text)(PopplerPage *);
  void (*object_unref)(gpointer);
  void (*error_free)(GError *);
  void (*free)(gpointer);
  gboolean (*utf8_validate)(const gchar *, gssize, const gchar **);
} pp;
static bool pp_loaded;
static char pp_why[200];
static pthread_once_t pp_once = PTHREAD_ONCE_INIT;

static void pp_load(void) {
  const dyn_sym syms[] = {
      {"g_bytes_new_static", &pp.bytes_new_static},
      {"g_bytes_unref", &pp.bytes_unref},
      {"poppler_document_new_from_bytes", &pp.document_new_from_bytes},
      {"poppler_document_get_n_pages", &pp.document_get_n_pages},
      {"poppler_document_get_page", &pp.document_get_page},
      {"poppler_page_get_text", &pp.page_get_text},
      {"g_object_unref", &pp.object_unref},
      {"g_error_free", &pp.error_free},
      {"g_free", &pp.free},
      {"g_utf8_validate", &pp.utf8_validate},
  };
  char why[160];
  pp_loaded = dyn_open(MANDAT_POPPLER_SONAME, syms, sizeof syms / sizeof *syms, why, sizeof why);
  if (!pp_loaded) snprintf(pp_why, sizeof pp_why, "PDF input needs poppler-glib: %s", why);
}

typedef struct {
  size_t off, len;
  int src, page;
} rec;

/* Append a line's bytes without '\f' and '\r', invalid UTF-8 bytes as U+FFFD. */
static void put_line(mandat_buf *out, const char *s, size_t n) {
  const char *end = s + n;
  while (s < end) {
    const gchar *stop = end;
    gboolean ok = pp.utf8_validate(s, (gssize)(end - s), &stop);
    for (const char *p = s; p < stop;) { /* copy [s, stop) in runs without \f \r */
      const char *q = p;
      while (q < stop && *q != '\f' && *q != '\r') q++;
      buf_put(out, p, (size_t)(q - p));
      p = q < stop ? q + 1 : q;
    }
    if (ok) break;
    buf_put(out, "\xEF\xBF\xBD", 3);
    s = stop + 1;
  }
}

mandat_status read_pdf(const char *buf, size_t len, mandat_lines *out, mandat_error *err) {
  if (!buf || len == 0) return fail(err, MANDAT_ERR_EMPTY, "empty PDF input");
  pthread_once(&pp_once, pp_load);
  if (!pp_loaded) return fail(err, MANDAT_ERR_FORMAT, pp_why);

  GBytes *bytes = pp.bytes_new_static(buf, len);
  GError *gerr = NULL;
  PopplerDocument *doc = pp.document_new_from_bytes(bytes, NULL, &gerr);
  pp.bytes_unref(bytes); /* the document holds its own reference */
  if (!doc) {
    char reason[256];
    const char *msg = gerr && gerr->message && *gerr->message ? gerr->message : "poppler cannot open it";
    snprintf(reason, sizeof reason, "not a readable PDF: %s", msg);
    for (char *p = reason; *p; p++) /* one line */
      if (*p == '\n' || *p == '\r') *p = ' ';
    if (gerr) pp.error_free(gerr);
    return fail(err, MANDAT_ERR_FORMAT, reason);
  }
  if (gerr) pp.error_free(gerr);

  rec *v = NULL;
  size_t n = 0, cap = 0;
  int src = 0;
  int pages = pp.document_get_n_pages(doc);
  for (int i = 0; i < pages; i++) {
    PopplerPage *page = pp.document_get_page(doc, i);
    if (!page) continue;
    char *text = pp.page_get_text(page);
    pp.object_unref(page);
    if (!text) continue;
    size_t tlen = strlen(text);
    size_t a = 0;
    while (a < tlen) {
      const char *nl = memchr(text + a, '\n', tlen - a);
      size_t b = nl ? (size_t)(nl - text) : tlen;
      size_t off = out->store.len;
      put_line(&out->store, text + a, b - a);
      VEC_GROW(v, n, cap);
      if (src < INT_MAX) src++;
      v[n].off = off;
      v[n].len = out->store.len - off;
      v[n].src = src;
      v[n].page = i + 1;
      n++;
      a = b + 1; /* past the '\n'; a final '\n' gives no empty line */
    }
    pp.free(text);
  }
  pp.object_unref(doc);

  /* The store is complete: pointers into it are final from here on. */
  const char *base = buf_cstr(&out->store);
  for (size_t i = 0; i < n; i++) lines_push(out, base + v[i].off, v[i].len, v[i].src, v[i].page);
  free(v);
  out->src_lines = src;
  return MANDAT_OK;
}

#else /* !MANDAT_HAVE_POPPLER */

mandat_status read_pdf(const char *buf, size_t len, mandat_lines *out, mandat_error *err) {
  (void)buf;
  (void)len;
  (void)out;
  return fail(err, MANDAT_ERR_FORMAT, "PDF input needs mandat built with poppler (libpoppler-glib-dev)");
}

#endif
