/* read.h: first stage of the pipeline: any input becomes lines of UTF-8 text, each
 * remembering the source line it came from.
 *
 * Text and markdown inputs are split in place (lines point into the caller's
 * buffer).  HTML and PDF inputs are converted: their lines point into `store`, a
 * buffer the mandat_lines owns.  Free with lines_free(). */
#ifndef MANDAT_READ_H
#define MANDAT_READ_H

#include "buf.h"
#include "mandat.h"

typedef struct {
  const char *text; /* not NUL-terminated; no trailing '\n' or '\r' */
  size_t len;
  int src;     /* 1-based line of the input file (HTML: where the text starts) */
  int src_end; /* last input line of the text (HTML: a block spans lines) */
  int page; /* PDF: 1-based page; otherwise 0 */
} mandat_line;

typedef struct {
  mandat_line *v;
  size_t n, cap;
  mandat_buf store; /* backing text for converted inputs */
  int src_lines;    /* number of lines of the input file itself */
} mandat_lines;

void lines_push(mandat_lines *ls, const char *text, size_t len, int src, int page);
void lines_free(mandat_lines *ls);

/* Detect the format of a buffer by its content. */
mandat_format read_detect(const char *buf, size_t len);

/* Check that a buffer is text: no NUL or stray control bytes, valid UTF-8.  Returns
 * MANDAT_OK or the status, with the 1-based line of the first bad byte in *line. */
mandat_status read_check_text(const char *buf, size_t len, int *line);

/* The same check, with the SHA-256 of the buffer, on a thread of its own, block
 * by block, so that a large file is checked and hashed while it is being cleaned.
 * When fd >= 0, only the first `have` bytes of buf are in memory: the thread reads
 * the rest of the file (len bytes in all) into buf itself, ahead of the check.
 * read_checker_wait(c, pos) returns once the line at offset pos has been read and
 * checked (the bytes before it may then be overwritten), or false when reading or
 * the check failed before it: stop reading.  read_checker_end() waits for the
 * thread, gives the status (MANDAT_ERR_IO with the reason in why), the line of the
 * first bad byte, the hash (hex) and whether the file ends with a line break, and
 * frees c.  read_checker_start() returns NULL when no thread can be started. */
typedef struct read_checker read_checker;
read_checker *read_checker_start(char *buf, size_t len, int fd, size_t have);
bool read_checker_wait(read_checker *c, size_t pos);
size_t read_checker_ready(read_checker *c); /* bytes read and checked so far */
mandat_status read_checker_end(read_checker *c, int *line, char sha[65], bool *ends_line,
                               char *why, size_t whylen);
/* Split a text or markdown buffer into lines (in place). */
void read_text(const char *buf, size_t len, mandat_lines *out);

/* Convert an HTML page into lines with libxml2's HTML parser.  Block elements (p,
 * div, h1-h6, li, tr, br, blockquote, pre) end a line and are separated by a blank
 * line, as paragraphs are in markdown.  <sup>N</sup> is kept as the text
 * "<sup>N</sup>" so that the clean stage handles footnote markers the same way for
 * markdown and HTML; other inline markup (i, em, b, span, a) is reduced to its text.
 * script, style and head are skipped.  Each line's src is the HTML line where its
 * text starts. */
mandat_status read_html(const char *buf, size_t len, mandat_lines *out, mandat_error *err);

/* Extract the text of a PDF file with poppler, one line per text line, with pages.
 * Returns MANDAT_ERR_FORMAT for a file that is not a readable PDF. */
mandat_status read_pdf(const char *buf, size_t len, mandat_lines *out, mandat_error *err);

#endif
