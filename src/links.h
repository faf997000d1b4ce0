/* links.h: the alignment of successive versions kept in the registry
 * (paragraph_links, entity_links; docs/lineage.md).  At ingest, each new entity is
 * linked to its nearest earlier and later versions in its series (title similarity,
 * or a citation between the two with alike titles), by adoption date; `mandat show
 * SYMBOL OP12 --history` reads the chain back.
 *
 * Ownership: a links_writer belongs to one store_writer and its connection; it
 * holds prepared statements and an in-memory index of the titles of the registry's
 * entities (links_writer_free before closing the connection).  Output goes to a
 * caller-owned mandat_buf. */
#ifndef MANDAT_LINKS_H
#define MANDAT_LINKS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "query.h"

/* Limits, each with its reason. */
#define LINKS_SERIES_TITLE 0.6 /* title similarity of two versions of one resolution (as dupes.c) */
#define LINKS_CITED_TITLE 0.4  /* with a citation either way: a citation alone joins unrelated
                                  resolutions (A/RES/80/229 cites 70/1, the 2030 Agenda) */
#define LINKS_WORD_MAX 1000    /* a title word in more titles than this is a stop word for finding a
                                  series (a real series has a few dozen versions): bounds the candidates */
#define LINKS_MAX_CELLS 250000 /* paragraphs old x new of one part aligned at most (500 x 500; a GA
                                  resolution has under 200): alignment is O(n·m), this bounds one pair
                                  to about 0.2 s; a larger part is left unlinked */

typedef struct links_writer links_writer;

/* Statements on db and the title index, loaded from the current entities of db.
 * NULL with err set when the registry cannot prepare them. */
links_writer *links_writer_new(sqlite3 *db, char *err, size_t errlen);
void links_writer_free(links_writer *w); /* NULL is a no-op */

/* Link entity `ent` of document `doc` (just written, inside the caller's
 * transaction) with its nearest earlier and later versions among the current
 * entities of other documents; a link between those two is replaced.  Returns
 * SQLITE_DONE or an SQLite error code (the caller rolls back).  *n_links counts the
 * paragraph links written. */
int links_put_entity(links_writer *w, int64_t ent, int64_t doc, long *n_links);

/* After the commit of the document: its entities join the title index. */
void links_index_add(links_writer *w, int64_t ent, const char *title);

/* The history of paragraph `ref` (OP12, PP3) of the current entity `symbol`: its
 * chain of versions, oldest first, with relation, similarity and a word-diff
 * summary per step; json: mandat.history/1. */
query_status links_history(sqlite3 *db, const char *symbol, const char *ref, bool json, mandat_buf *out,
                           char *err, size_t errlen);

#endif
