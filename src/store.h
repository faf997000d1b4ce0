/* store.h: the registry on disk, an SQLite file (schema in docs/schema.sql,
 * explained in docs/registry.md).  store_open() opens or creates it and migrates
 * it to the current schema; a store_writer ingests files, one transaction each.
 *
 * Ownership: store_open() returns a connection the caller closes with
 * store_close(); store_writer_new() returns a writer (prepared statements on that
 * connection) the caller frees with store_writer_free() before closing the
 * connection.  Error messages go into caller-supplied buffers; nothing is
 * allocated for them. */
#ifndef MANDAT_STORE_H
#define MANDAT_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define STORE_SCHEMA_VERSION 2

/* Open the registry at `path`.  write: create it if missing, switch it to WAL and
 * migrate it to STORE_SCHEMA_VERSION; otherwise open it read-only and require the
 * current schema.  Both register the "mandat" tokenizer and turn foreign keys on.
 * Returns SQLITE_OK and sets *out, or an SQLite code with *out NULL and a reason
 * (sqlite3_errmsg or ours, without the path) in err. */
int store_open(const char *path, bool write, sqlite3 **out, char *err, size_t errlen);

void store_close(sqlite3 *db); /* NULL is a no-op */

/* Column i of st's row as a malloc'd string, NULL for NULL. */
char *store_col_dup(sqlite3_stmt *st, int i);

/* What one ingest run did, summed over its files. */
typedef struct {
  long files;     /* files looked at */
  long added;     /* new documents */
  long versions;  /* new versions of a file already in the registry */
  long unchanged; /* content already in the registry: nothing written */
  long reverted;  /* a file back to the content of one of its older versions */
  long skipped;   /* found in a directory but holding no resolution */
  long failed;    /* unreadable or unparsable */
  long entities, paragraphs, clauses, mandates; /* rows written */
  long links;     /* paragraph links to other versions (links.h) */
  double bytes;   /* bytes read */
} store_counts;

typedef enum {
  STORE_ADDED,
  STORE_VERSION,
  STORE_UNCHANGED,
  STORE_REVERTED,
  STORE_BAD_FILE, /* not read or not parsed: err says why; the registry is untouched */
  STORE_DB_ERROR  /* the registry refused the write (read-only, disk full …): err says why */
} store_outcome;

typedef struct store_writer store_writer;

/* Prepare the writer's statements once for a whole run.  NULL with err set when
 * the registry cannot take them. */
store_writer *store_writer_new(sqlite3 *db, char *err, size_t errlen);
void store_writer_free(store_writer *w); /* NULL is a no-op */

/* Ingest one file in one transaction: the same content already stored →
 * STORE_UNCHANGED (nothing written); a path already stored with other content →
 * a new version, the previous one kept with current = 0.  A parse failure gives
 * STORE_BAD_FILE with `status` set to the parser's status; any SQLite failure rolls
 * the transaction back and gives STORE_DB_ERROR.  Adds to *c. */
store_outcome store_put_file(store_writer *w, const char *path, store_counts *c, int *status,
                             char *err, size_t errlen);

#endif
