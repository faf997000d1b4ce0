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
 * Without MANDAT_HAVE_POPPLER, read_pdf only reports that PDF input needs poppler.
 */
#include "read.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

/* A failure of this reader: the caller names the file. */
static mandat_status fail(mandat_error *err, mandat_status st, const char *reason) {
  return error_set(err, st, NULL, 0, reason);
}

#ifdef MANDAT_HAVE_POPPLER

#include <poppler.h>

#include <limits.h>
#include <stdlib.h>

typedef struct {
  size_t off, len;
  int src, page;
} rec;

/* Append a line's bytes without '\f' and '\r', invalid UTF-8 bytes as U+FFFD. */
static void put_line(mandat_buf *out, const char *s, size_t n) {
  const char *end = s + n;
  while (s < end) {
    const gchar *stop = end;
    gboolean ok = g_utf8_validate(s, (gssize)(end - s), &stop);
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

  GBytes *bytes = g_bytes_new_static(buf, len);
  GError *gerr = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
  g_bytes_unref(bytes); /* the document holds its own reference */
  if (!doc) {
    char reason[256];
    const char *msg = gerr && gerr->message && *gerr->message ? gerr->message : "poppler cannot open it";
    snprintf(reason, sizeof reason, "not a readable PDF: %s", msg);
    for (char *p = reason; *p; p++) /* one line */
      if (*p == '\n' || *p == '\r') *p = ' ';
    if (gerr) g_error_free(gerr);
    return fail(err, MANDAT_ERR_FORMAT, reason);
  }
  if (gerr) g_error_free(gerr);

  rec *v = NULL;
  size_t n = 0, cap = 0;
  int src = 0;
  int pages = poppler_document_get_n_pages(doc);
  for (int i = 0; i < pages; i++) {
    PopplerPage *page = poppler_document_get_page(doc, i);
    if (!page) continue;
    char *text = poppler_page_get_text(page);
    g_object_unref(page);
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
    g_free(text);
  }
  g_object_unref(doc);

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
