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

typedef struct {
  cl_kind kind;
  int src;          /* 1-based source line */
  int src_end;      /* last source line of the text (HTML blocks span lines) */
  int indent;       /* leading blanks of the original line */
  int fn;           /* CL_FNDEF: the footnote number */
  bool emphasis;    /* the original line opened with emphasis (*Word* or <i>) */
  const char *text; /* cleaned, NUL-terminated; owned by the clines store */
  size_t len;
  const char *symbol; /* CL_PAGE: the document symbol of a running header, or NULL */
} cline;

typedef struct {
  cline *v;
  size_t n, cap;
  char *store; /* all cleaned texts, NUL-separated */
  bool pdf_layout; /* page headers or footnote separators seen: PDF-extracted text */
} clines;

void clean_lines(const mandat_lines *in, clines *out);
void clines_free(clines *cl);

/* Clean one piece of inline text into out (markup removed, markers as MARK n MARK,
 * whitespace collapsed).  Exposed for tests and for the HTML path. */
void clean_inline(const char *s, size_t n, mandat_buf *out);

#endif
