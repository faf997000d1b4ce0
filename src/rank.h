/* rank.h: the search inside FTS5 (rank.c): mandat_search(), registered with the
 * tokenizer by mandat_fts_register() (fts.h says what it does). */
#ifndef MANDAT_RANK_H
#define MANDAT_RANK_H

#include <sqlite3.h>

typedef struct rank_conn rank_conn;

/* Register mandat_search on db through FTS5's api; its state (row lengths, the
 * filter's slot) is freed when db closes. */
int mandat_rank_register(sqlite3 *db, fts5_api *api);

#endif
