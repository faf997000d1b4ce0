/* search.h: full-text search of the registry, shared by `mandat search` and the
 * HTTP server.  The user's query is parsed and rewritten into a fully quoted FTS5
 * expression (search_translate); search_run adds the filters as bound parameters
 * and returns bm25-ranked hits over the current version of each document.
 *
 * Ownership: search_translate returns a malloc'd string the caller frees;
 * search_run fills a search_result whose strings it owns, freed together by
 * search_result_free().  Error messages go into caller-supplied buffers. */
#ifndef MANDAT_SEARCH_H
#define MANDAT_SEARCH_H

#include <sqlite3.h>
#include <stddef.h>

/* Limits, and why: a search box query is short, and every term costs a read of its
 * list of rows, so bounds keep every accepted query fast; depth bounds recursion. */
#define SEARCH_MAX_QUERY 1000 /* bytes */
#define SEARCH_MAX_TERMS 64   /* words and phrases */
#define SEARCH_MAX_DEPTH 32   /* nested parentheses */
#define SEARCH_MAX_LIMIT 1000 /* hits per page */

typedef struct {
  const char *query;      /* the user's query (required) */
  const char *organ;      /* GA, ECOSOC, ... (any case) or NULL */
  const char *lang;       /* fr, en, es or NULL */
  const char *kind;       /* preamble | operative or NULL */
  const char *addressee;  /* a vocabulary id (member-states, unodc …): a clause of the
                             paragraph addresses it */
  const char *force;      /* decision, request, …: a clause of the paragraph has it */
  const char *symbol;     /* exact symbol, or a prefix ending in '*' ("A/RES/80/" + '*') */
  int year_from, year_to; /* adoption years, inclusive; 0 = open */
  int limit;              /* 1..SEARCH_MAX_LIMIT; 0 means 20 */
  long offset;            /* >= 0 */
  const char *mark_open, *mark_close; /* around matched words in snippets */
  int snippet_tokens;                 /* words of a snippet; 0 means 24 */
  int facets;                         /* 1: count the matches by organ, year... */
} search_opts;

typedef struct {
  char *symbol;       /* NULL when the entity has none */
  char paragraph[24]; /* PP3, OP12, OP12bis */
  const char *kind;   /* "preamble" | "operative" (static) */
  int n;              /* rank of the paragraph in its part (PP3: 3) */
  char *number;       /* operative number as printed, or NULL */
  char *snippet;
  char *file;
  int line, line_last; /* first and last lines of the paragraph in file */
  double score;        /* -bm25: higher is better */
  long entity_id;      /* the entity in the registry */
  char *title, *organ, *language; /* each NULL when unknown */
  int year;                       /* 0 when unknown */
} search_hit;

/* The facets of a search: its matching paragraphs (all pages) counted by the
 * organ, year and language of their resolution, by their kind, and by the
 * addressees and forces of their clauses (a paragraph counts once per value).
 * Values are text, NULL when unknown; years are in decimal.  Years come newest
 * first (unknown last), the others most frequent first, then by value. */
enum { FACET_ORGAN, FACET_YEAR, FACET_LANG, FACET_KIND, FACET_ADDRESSEE, FACET_FORCE, FACETS };
typedef struct {
  char *value;
  long count;
} search_facet;

typedef struct {
  long total; /* matching paragraphs, all pages */
  int n;      /* hits on this page */
  search_hit *hits;
  search_facet *facet[FACETS]; /* when asked for (search_opts.facets) */
  int nfacet[FACETS];
} search_result;

typedef enum {
  SEARCH_OK = 0,
  SEARCH_BAD_QUERY,  /* err: what is wrong with the query, for the user */
  SEARCH_BAD_FILTER, /* err: which filter value is wrong */
  SEARCH_DB_ERROR    /* err: the registry could not be read */
} search_status;

/* Rewrite a user query (words, "phrases", prefix*, AND OR NOT, parentheses) into an
 * FTS5 expression in which every word and phrase is a quoted string, so no user
 * text reaches FTS5's syntax.  Returns SEARCH_OK with *out (malloc'd), or
 * SEARCH_BAD_QUERY with *out NULL and a one-line reason in err ("unbalanced quote
 * in query"). */
search_status search_translate(const char *query, char **out, char *err, size_t errlen);

/* Parse "2016" or "2011-2025" (either side may be empty: "-2016", "2020-").
 * Returns 0, or -1 when malformed. */
int search_parse_years(const char *s, int *from, int *to);

/* Run a search on an open registry (store_open).  Fills *r (zeroed first). */
search_status search_run(sqlite3 *db, const search_opts *o, search_result *r, char *err,
                         size_t errlen);

void search_result_free(search_result *r); /* NULL or zeroed: no-op */

#endif
