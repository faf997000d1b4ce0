/* query.h: read-only queries over the registry, shared by the command line and
 * the HTTP server: a resolution or one paragraph with its mandates (show), who
 * cites a symbol and what it cites (cites), counts (stats), and mandates with
 * filters (query_mandates).
 *
 * Every value from a user reaches SQLite as a bound parameter; the SQL text is
 * made only of constant fragments.  By default only current document versions
 * (documents.current = 1) are seen.
 *
 * Ownership: the connection is the caller's (store_open(path, false, …)).  Output
 * is appended to a caller-owned mandat_buf, and only on QUERY_OK: on any other
 * status the buffer is as it was.  Strings handed to a query_mandate_fn
 * belong to SQLite and live only until the callback returns: copy what you keep. */
#ifndef MANDAT_QUERY_H
#define MANDAT_QUERY_H

#include <sqlite3.h>
#include <stdbool.h>

#include "buf.h"

typedef enum {
  QUERY_OK = 0,   /* rows written */
  QUERY_NONE,     /* nothing matched: err says what was looked for */
  QUERY_BAD,      /* a malformed argument (a paragraph reference, a --since that is
                     not a date): err says which */
  QUERY_DB_ERROR  /* SQLite failed: err holds sqlite3_errmsg */
} query_status;

/* Filters; a NULL string, 0 or false leaves that filter off.  All are ANDed. */
typedef struct {
  const char *symbol;    /* entities.symbol, exactly (A/RES/80/229) */
  const char *addressee; /* addressee vocabulary id (member-states, unodc …) */
  const char *force;     /* decision | request | urge | invitation | … */
  const char *organ;     /* GA | ECOSOC | … */
  int year_from, year_to; /* year of adoption, inclusive; 0 = open end */
  const char *since;     /* ISO date: adopted on or after it */
  bool no_reporting;     /* directive clauses (decision, request, urge, invitation,
                            recommendation) with no reporting request */
  bool conditions;       /* only clauses with conditions */
  bool all_clauses;      /* every clause, not only mandates (mandat_clause_is_mandate) */
  bool all_versions;     /* also superseded versions (documents.current = 0) */
} query_filter;

/* One mandate: a clause with where it stands.  Strings may be NULL. */
typedef struct {
  const char *symbol;     /* of its entity; NULL for an entity without one */
  const char *entity;     /* local id in its document: R1, R2 … */
  const char *organ, *adoption_date;
  int year;               /* 0 when unknown */
  const char *file;       /* as given to ingest */
  int version;            /* of the file in the registry */
  const char *ref;        /* OP12, PP3 */
  int line_first, line_last; /* of the paragraph in file */
  int clause_n;           /* 1-based within the paragraph */
  const char *verb, *force, *action;
  const char *addressees; /* ids (or names where there is no id), ", "-separated */
  const char *conditions; /* "; "-separated */
  bool reporting;
  const char *report_to, *report_session, *report_date;
  const char *text;       /* the paragraph's text */
} query_mandate;

/* Return non-zero to stop the walk (query_mandates then returns QUERY_OK). */
typedef int (*query_mandate_fn)(const query_mandate *m, void *ctx);

/* Command-line helpers for the filters: "2016", "2011-2022", "2011-", "-2022" →
 * *from, *to (0 = open); an ISO date or its prefix ("2016", "2016-12",
 * "2016-12-19").  Both return false for anything else. */
bool query_parse_years(const char *s, int *from, int *to);
bool query_valid_date(const char *s);

/* A paragraph reference: "PP3" → kind "preamble", n 3; "OP12", "op 12 bis" →
 * "operative", num "12bis" (spaces dropped; matched against the printed number
 * without spaces).  False when ref is not one. */
bool query_parse_ref(const char *ref, const char **kind, char num[32], int *n);

/* Call fn for every mandate matching f, ordered by year, file, entity, paragraph
 * and clause.  QUERY_NONE when nothing matched. */
query_status query_mandates(sqlite3 *db, const query_filter *f, query_mandate_fn fn, void *ctx, char *err,
                            size_t errlen);

/* The entities with that symbol: their outline (every paragraph with its line and
 * clause forces), or with ref ("OP12", "PP3", "op 12 bis") that paragraph in
 * full: text, file:line, sub-paragraphs, clauses (verb, force, addressees,
 * conditions, reporting), its citations and footnotes.  json: one JSON object
 * (see docs/registry.md) instead of text. */
query_status query_show(sqlite3 *db, const char *symbol, const char *ref, bool json, bool all_versions,
                        mandat_buf *out, char *err, size_t errlen);

/* Who cites the symbol (citing entity, paragraph, words as written, file:line),
 * and what the entities with that symbol cite, each marked when the cited symbol
 * is in the registry. */
query_status query_cites(sqlite3 *db, const char *symbol, bool json, bool all_versions, mandat_buf *out,
                         char *err, size_t errlen);

/* Counts of documents, entities, paragraphs, clauses and mandates, and by organ,
 * year, force and addressee, over the entities that pass f's symbol, organ, year
 * and since filters. */
query_status query_stats(sqlite3 *db, const query_filter *f, bool json, mandat_buf *out, char *err,
                         size_t errlen);

#endif
