/* mandat.h: public API of mandat, the mandate registry of the United Nations crime
 * prevention and criminal justice programme.
 *
 * Ownership, once for the whole API:
 *   - mandat_parse() returns a mandat_doc that owns every string, array and node
 *     reachable from it.  The caller frees it with mandat_doc_free() (NULL is a
 *     no-op).  Pointers obtained from a document are valid until that call.
 *   - Every struct reached through a const pointer is read-only.
 *   - Input buffers are never retained: the caller may free them after the call.
 *   - Error details go into a caller-supplied mandat_error; nothing is allocated.
 */
#ifndef MANDAT_H
#define MANDAT_H

#include <stdbool.h>
#include <stddef.h>

#define MANDAT_VERSION "0.1.0"

typedef enum {
  MANDAT_OK = 0,
  MANDAT_ERR_IO,            /* cannot open or read the file */
  MANDAT_ERR_EMPTY,         /* the file is empty or holds only blanks */
  MANDAT_ERR_BINARY,        /* NUL bytes or control characters: not text */
  MANDAT_ERR_UTF8,          /* invalid UTF-8 */
  MANDAT_ERR_TOO_LARGE,     /* over the size limit */
  MANDAT_ERR_FORMAT,        /* a format mandat cannot read (e.g. a broken PDF) */
  MANDAT_ERR_NO_RESOLUTION, /* readable text, but no resolution structure in it */
  MANDAT_ERR_TRUNCATED,     /* the text stops inside a resolution */
  MANDAT_ERR_USAGE          /* bad command line or argument */
} mandat_status;

/* A static English description of a status. */
const char *mandat_strerror(mandat_status st);

/* Details of a failure: file, line (0 when not about one line) and reason. */
typedef struct {
  mandat_status status;
  int line;
  char file[512];
  char reason[256];
} mandat_error;

typedef enum {
  MANDAT_FORCE_NONE = 0,
  MANDAT_FORCE_DECISION,
  MANDAT_FORCE_REQUEST,
  MANDAT_FORCE_URGE,
  MANDAT_FORCE_INVITATION,
  MANDAT_FORCE_RECOMMENDATION,
  MANDAT_FORCE_ENDORSEMENT,
  MANDAT_FORCE_ACKNOWLEDGEMENT,
  MANDAT_FORCE_AFFIRMATION,
  MANDAT_FORCE_OTHER
} mandat_force;

/* "decision", "request", ... as in the JSON contract; NULL for NONE. */
const char *mandat_force_name(mandat_force f);

typedef enum {
  MANDAT_FORMAT_TEXT,
  MANDAT_FORMAT_MARKDOWN,
  MANDAT_FORMAT_HTML,
  MANDAT_FORMAT_PDF
} mandat_format;

const char *mandat_format_name(mandat_format f);

typedef enum {
  MANDAT_ENTITY_RESOLUTION,
  MANDAT_ENTITY_DRAFT,
  MANDAT_ENTITY_DECISION,
  MANDAT_ENTITY_DECLARATION,
  MANDAT_ENTITY_ANNEX
} mandat_entity_kind;

const char *mandat_entity_kind_name(mandat_entity_kind k);

/* An inclusive range of 1-based source lines. */
typedef struct {
  int first, last;
} mandat_span;

typedef struct {
  const char *id;   /* vocabulary id, or NULL */
  const char *name; /* short canonical name */
  const char *text; /* words as written */
} mandat_addressee;

typedef struct {
  const char *verb;
  mandat_force force;
  mandat_addressee *addressees;
  size_t n_addressees;
  const char *action;
  const char **conditions;
  size_t n_conditions;
  bool has_reporting;
  const char *report_to;      /* id, or NULL */
  const char *report_session; /* or NULL */
  const char *report_date;    /* ISO, or NULL */
} mandat_clause;

/* A mandate is a clause that asks someone to act: a request, urging, invitation
 * or recommendation, or any clause with an addressee.  Acknowledgements,
 * affirmations, endorsements and decisions of the body itself are not mandates. */
bool mandat_clause_is_mandate(const mandat_clause *c);

typedef struct {
  const char *label; /* "a", "ii" */
  mandat_span lines;
  const char *text;
} mandat_subparagraph;

typedef enum { MANDAT_PARA_PREAMBLE, MANDAT_PARA_OPERATIVE } mandat_para_kind;

typedef struct {
  mandat_para_kind kind;
  int n;               /* 1-based rank within its list */
  const char *number;  /* operative: as printed ("1", "12 bis"), or NULL */
  const char *opening; /* preamble: opening formula; operative: NULL */
  mandat_span lines;
  const char *text;
  int *notes; /* footnote numbers carried by the paragraph */
  size_t n_notes;
  mandat_subparagraph *subs;
  size_t n_subs;
  mandat_clause *clauses;
  size_t n_clauses;
} mandat_paragraph;

typedef struct {
  int n;
  mandat_span lines;
  const char *text;
} mandat_footnote;

typedef enum {
  MANDAT_CITE_RESOLUTION,
  MANDAT_CITE_DECISION,
  MANDAT_CITE_DOCUMENT,
  MANDAT_CITE_TREATY
} mandat_cite_kind;

const char *mandat_cite_kind_name(mandat_cite_kind k);

typedef struct {
  mandat_cite_kind kind;
  const char *symbol;     /* canonical, or NULL */
  const char *as_written; /* words as in the text */
  char in[16];            /* "PP3", "OP12", "FN7" */
} mandat_citation;

typedef struct {
  char id[12]; /* "R1" */
  mandat_entity_kind kind;
  int parent; /* index of the parent entity, or -1 */
  const char *symbol, *organ, *session, *adoption_date, *meeting;
  const char *agenda_number, *agenda_title; /* agenda_item, either may be NULL */
  const char *title;
  mandat_span lines;
  mandat_paragraph *preamble;
  size_t n_preamble;
  mandat_paragraph *operative;
  size_t n_operative;
  mandat_footnote *footnotes;
  size_t n_footnotes;
  mandat_citation *citations;
  size_t n_citations;
} mandat_entity;

typedef struct mandat_doc mandat_doc;

/* Limits, each with its reason. */
#define MANDAT_MAX_INPUT (256u * 1024u * 1024u) /* 256 MB: far above any resolution, keeps memory bounded */

/* Parse a buffer holding one file (text, markdown, HTML or PDF text; detected by
 * content).  `name` is used in messages and in the source block.  On success
 * returns MANDAT_OK and sets *out (caller frees with mandat_doc_free); on failure
 * returns the status, sets *out to NULL and fills *err when err is not NULL. */
mandat_status mandat_parse(const char *buf, size_t len, const char *name, mandat_doc **out,
                           mandat_error *err);

/* Read a file and parse it (as mandat_parse).  Reads PDF files through poppler when
 * mandat was built with it. */
mandat_status mandat_parse_file(const char *path, mandat_doc **out, mandat_error *err);

/* Parse a file as mandat_parse_file() does, but hand its entities to fn a group at
 * a time: a root entity with the entities nested in it (the drafts of a committee
 * report, the annex of a resolution).  Each group comes in a mandat_doc of its own
 * holding that group alone (the source fields are the file's; entity ids go on
 * counting, « R12 »; parent indices are within the group), freed when fn returns.
 * Memory holds a few groups instead of the whole tree, and the clauses and
 * citations of groups are extracted on worker threads while the next groups are
 * built.  fn is called for one group at a time, in document order, from a worker
 * thread (or the caller's); it has returned for the last group when this function
 * returns.  On
 * failure fn has not been called: every error is known before the first group. */
typedef void (*mandat_group_fn)(const mandat_doc *group, void *ctx);
mandat_status mandat_parse_file_each(const char *path, mandat_group_fn fn, void *ctx,
                                     mandat_error *err);
/* The same for a buffer (as mandat_parse()). */
mandat_status mandat_parse_each(const char *buf, size_t len, const char *name, mandat_group_fn fn,
                                void *ctx, mandat_error *err);

void mandat_doc_free(mandat_doc *doc);

/* Walking a document. */
const char *mandat_doc_file(const mandat_doc *doc);
const char *mandat_doc_sha256(const mandat_doc *doc); /* hex */
mandat_format mandat_doc_format(const mandat_doc *doc);
const char *mandat_doc_language(const mandat_doc *doc);
int mandat_doc_line_count(const mandat_doc *doc);
size_t mandat_doc_entity_count(const mandat_doc *doc);
const mandat_entity *mandat_doc_entity(const mandat_doc *doc, size_t i);

#endif
