/* filter.h: the filters and facets of a search, tested on each row the search's
 * expression matches (filter.c says how: arrays kept with the connection, read once
 * it has searched enough).  search_run() makes one per search and gives
 * search_filter_test to mandat_search() as its row filter (fts.h).
 *
 * Ownership: the filter keeps o and the strings it is given, which must outlive it;
 * search_filter_free frees the rest. */
#ifndef MANDAT_FILTER_H
#define MANDAT_FILTER_H

#include <stdbool.h>
#include <sqlite3.h>

#include "search.h"

typedef struct search_filter search_filter;

/* The filters of o, with organ, lang and the symbol bounds as search_run compares
 * them (organ upper-cased, lang lower-cased; sym_hi NULL: sym_lo exact, else a range
 * [sym_lo, sym_hi)), and o's facets when o->facets.  superseded: the registry holds
 * superseded versions, which no search keeps. */
search_filter *search_filter_new(const search_opts *o, const char *organ, const char *lang,
                                 const char *sym_lo, const char *sym_hi, bool superseded);

/* false when every row passes and no facet is counted: no test is needed. */
bool search_filter_any(const search_filter *f);

/* mandat_fts_row_filter's test (fts.h), arg the search_filter: 1 keep, 0 drop, or
 * minus an SQLite error code.  Rows come in ascending order. */
int search_filter_test(void *arg, sqlite3 *db, void **slot, void (**slot_free)(void *),
                       sqlite3_int64 id);

/* The facets of the rows kept, into r, when o->facets. */
void search_filter_facets(const search_filter *f, search_result *r);

void search_filter_free(search_filter *f); /* NULL: no-op */

#endif
