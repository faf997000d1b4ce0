/* fts.h: the "mandat" FTS5 tokenizer of the registry's full-text index
 * (paragraphs_fts in docs/schema.sql): case and accent folding, French, English
 * and Spanish stems, UN symbols kept whole.  The top of fts.c says what it emits. */
#ifndef MANDAT_FTS_H
#define MANDAT_FTS_H

#include <sqlite3.h>
#include <stddef.h>

/* Register the tokenizer under the name "mandat" on db.  Call it right after
 * opening, before any statement touches a table declared with tokenize='mandat'.
 * Returns SQLITE_OK or an SQLite result code (SQLITE_ERROR when the library has no
 * FTS5).  Nothing is kept of db beyond the registration. */
int mandat_fts_register(sqlite3 *db);

/* 1 when the tokenizer finds at least one word or symbol in s[0..n) (any bytes). */
int mandat_fts_has_word(const char *s, size_t n);

/* Longest token kept, in bytes of input: longer runs are cut (fts.c says why). */
#define MANDAT_FTS_MAX_TOKEN 64

#endif
