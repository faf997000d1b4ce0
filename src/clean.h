/* clean.h: second stage: classify each line and undo markup and extraction damage,
 * keeping the source line of everything.
 *
 * The cleaned text of a line has its markup removed (*emphasis*, [links](#),
 * backslash escapes, ^{…}, <sup>, HTML tags), whitespace collapsed and trimmed,
 * and every footnote marker it carried replaced by MARK digits MARK (MARK is the
 * control byte 0x1F, which read_check_text() guarantees the input never holds).
 * Plain digits glued to words in PDF text are left for the structure stage, which
 * knows each entity's footnote sequence. */
#ifndef MANDAT_CLEAN_H
#define MANDAT_CLEAN_H

#include <stdint.h>

#include "read.h"

#define MARK '\x1F'

typedef enum {
  CL_BLANK,   /* empty or white */
  CL_TEXT,    /* text of the document */
  CL_HEADING, /* markdown heading (# …) */
  CL_PAGE,    /* running page header or footer: symbol, page, job number */
  CL_URL,     /* a line that is only an address */
  CL_FNSEP,   /* footnote separator (____) */
  CL_RULE,    /* markdown rule (---) */
  CL_FNDEF,   /* footnote definition, number in fn */
  CL_FNCONT   /* continuation of the footnote definition above */
} cl_kind;

/* One line: 24 bytes, a document holds one per line of its file.  The small
 * fields saturate at 65535 (a block of HTML over that many source lines, a note
 * number or an indent beyond it: no document has them). */
typedef struct {
  const char *text; /* cleaned, NUL-terminated; owned by the clines.  CL_PAGE: the
                       document symbol of the running header, "" when it has none */
  uint32_t len;
  int src;            /* 1-based source line */
  uint16_t span;      /* source lines after src the text runs on (HTML blocks) */
  uint16_t fn;        /* CL_FNDEF: the footnote number */
  uint16_t indent;    /* leading blanks of the original line */
  unsigned char kind; /* cl_kind */
  bool emphasis;      /* the original line opened with emphasis (*Word* or <i>) */
} cline;

/* The last source line of c's text. */
static inline int cline_end(const cline *c) { return c->src + c->span; }

typedef struct {
  cline *v;
  size_t n, cap;
  char *store;  /* the cleaned texts, NUL-separated */
  char **spill; /* texts that did not fit in the store, a block each */
  size_t n_spill, cap_spill;
  int src_lines;   /* lines of the input file */
  bool pdf_layout; /* page headers or footnote separators seen: PDF-extracted text */
} clines;

/* Clean converted lines (HTML, PDF) into a store of their own. */
void clean_lines(const mandat_lines *in, clines *out);
/* Split a text or markdown buffer into lines and clean them in place: buf becomes
 * out's store, freed by clines_free().  The buffer is checked by read_check_text()
 * before, or by `gate` (read_checker) while it is read: each line is read once
 * checked, and the cleaning stops where the check failed. */
void clean_text(char *buf, size_t len, read_checker *gate, clines *out);
void clines_free(clines *cl);

/* Clean one piece of inline text into out (markup removed, markers as MARK n MARK,
 * whitespace collapsed).  Exposed for tests and for the HTML path. */
void clean_inline(const char *s, size_t n, mandat_buf *out);

#endif
