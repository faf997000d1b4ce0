/* store.c: the registry on disk.  Opens or creates the SQLite file, migrates it to
 * the current schema (docs/schema.sql) and ingests parsed documents, one
 * transaction per file, with statements prepared once per run. */
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "fts.h"
#include "links.h"
#include "mandat.h"
#include "model.h"

/* How long a connection waits for another writer's lock before giving up: an
 * ingest holds the lock for one file's transaction (milliseconds), so 10 s only
 * runs out when something is stuck. */
#define BUSY_TIMEOUT_MS 10000

/* Schema version 1: the statements of docs/schema.sql without their comments. */
static const char *const schema_v1[] = {
    "CREATE TABLE IF NOT EXISTS meta (\n"
    "  key   TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ");",
    "CREATE TABLE IF NOT EXISTS documents (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  file        TEXT NOT NULL,\n"
    "  sha256      TEXT NOT NULL UNIQUE,\n"
    "  format      TEXT NOT NULL,\n"
    "  language    TEXT,\n"
    "  lines       INTEGER NOT NULL,\n"
    "  bytes       INTEGER NOT NULL,\n"
    "  version     INTEGER NOT NULL DEFAULT 1,\n"
    "  current     INTEGER NOT NULL DEFAULT 1,\n"
    "  ingested_at TEXT NOT NULL\n"
    ");",
    "CREATE INDEX IF NOT EXISTS documents_file ON documents(file, version);",
    "CREATE INDEX IF NOT EXISTS documents_current ON documents(current, id);",
    "CREATE TABLE IF NOT EXISTS entities (\n"
    "  id            INTEGER PRIMARY KEY,\n"
    "  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  local_id      TEXT NOT NULL,\n"
    "  kind          TEXT NOT NULL,\n"
    "  parent_id     INTEGER REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  symbol        TEXT,\n"
    "  organ         TEXT,\n"
    "  session       TEXT,\n"
    "  adoption_date TEXT,\n"
    "  year          INTEGER,\n"
    "  meeting       TEXT,\n"
    "  agenda_number TEXT,\n"
    "  agenda_title  TEXT,\n"
    "  title         TEXT,\n"
    "  line_first    INTEGER NOT NULL,\n"
    "  line_last     INTEGER NOT NULL\n"
    ");",
    "CREATE INDEX IF NOT EXISTS entities_document ON entities(document_id);",
    "CREATE INDEX IF NOT EXISTS entities_symbol ON entities(symbol);",
    "CREATE INDEX IF NOT EXISTS entities_organ_year ON entities(organ, year);",
    "CREATE TABLE IF NOT EXISTS paragraphs (\n"
    "  id         INTEGER PRIMARY KEY,\n"
    "  entity_id  INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  kind       TEXT NOT NULL CHECK (kind IN ('preamble', 'operative')),\n"
    "  n          INTEGER NOT NULL,\n"
    "  number     TEXT,\n"
    "  opening    TEXT,\n"
    "  text       TEXT NOT NULL,\n"
    "  line_first INTEGER NOT NULL,\n"
    "  line_last  INTEGER NOT NULL\n"
    ");",
    "CREATE INDEX IF NOT EXISTS paragraphs_entity ON paragraphs(entity_id, kind, n);",
    "CREATE TABLE IF NOT EXISTS subparagraphs (\n"
    "  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,\n"
    "  n            INTEGER NOT NULL,\n"
    "  label        TEXT NOT NULL,\n"
    "  text         TEXT NOT NULL,\n"
    "  line_first   INTEGER NOT NULL,\n"
    "  line_last    INTEGER NOT NULL,\n"
    "  PRIMARY KEY (paragraph_id, n)\n"
    ");",
    "CREATE TABLE IF NOT EXISTS paragraph_notes (\n"
    "  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,\n"
    "  note         INTEGER NOT NULL,\n"
    "  PRIMARY KEY (paragraph_id, note)\n"
    ");",
    "CREATE TABLE IF NOT EXISTS footnotes (\n"
    "  entity_id  INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  n          INTEGER NOT NULL,\n"
    "  text       TEXT NOT NULL,\n"
    "  line_first INTEGER NOT NULL,\n"
    "  line_last  INTEGER NOT NULL\n"
    ");",
    "CREATE INDEX IF NOT EXISTS footnotes_entity ON footnotes(entity_id, n);",
    "CREATE TABLE IF NOT EXISTS clauses (\n"
    "  id           INTEGER PRIMARY KEY,\n"
    "  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,\n"
    "  n            INTEGER NOT NULL,\n"
    "  verb         TEXT NOT NULL,\n"
    "  force        TEXT,\n"
    "  action       TEXT\n"
    ");",
    "CREATE INDEX IF NOT EXISTS clauses_paragraph ON clauses(paragraph_id, n);",
    "CREATE INDEX IF NOT EXISTS clauses_force ON clauses(force);",
    "CREATE TABLE IF NOT EXISTS clause_addressees (\n"
    "  clause_id   INTEGER NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,\n"
    "  n           INTEGER NOT NULL,\n"
    "  addressee   TEXT,\n"
    "  name        TEXT,\n"
    "  text        TEXT,\n"
    "  PRIMARY KEY (clause_id, n)\n"
    ");",
    "CREATE INDEX IF NOT EXISTS clause_addressees_id ON clause_addressees(addressee);",
    "CREATE TABLE IF NOT EXISTS clause_conditions (\n"
    "  clause_id INTEGER NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,\n"
    "  n         INTEGER NOT NULL,\n"
    "  text      TEXT NOT NULL,\n"
    "  PRIMARY KEY (clause_id, n)\n"
    ");",
    "CREATE TABLE IF NOT EXISTS reporting (\n"
    "  clause_id INTEGER PRIMARY KEY REFERENCES clauses(id) ON DELETE CASCADE,\n"
    "  to_id     TEXT,\n"
    "  session   TEXT,\n"
    "  date      TEXT\n"
    ");",
    "CREATE TABLE IF NOT EXISTS citations (\n"
    "  id               INTEGER PRIMARY KEY,\n"
    "  entity_id        INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  n                INTEGER NOT NULL,\n"
    "  kind             TEXT NOT NULL,\n"
    "  symbol           TEXT,\n"
    "  as_written       TEXT NOT NULL,\n"
    "  in_ref           TEXT NOT NULL,\n"
    "  paragraph_id     INTEGER REFERENCES paragraphs(id) ON DELETE CASCADE,\n"
    "  line             INTEGER NOT NULL\n"
    ");",
    "CREATE INDEX IF NOT EXISTS citations_entity ON citations(entity_id, n);",
    "CREATE INDEX IF NOT EXISTS citations_symbol ON citations(symbol);",
    "CREATE VIRTUAL TABLE IF NOT EXISTS paragraphs_fts USING fts5(\n"
    "  text, content='paragraphs', content_rowid='id', tokenize='mandat'\n"
    ");",
    "CREATE TRIGGER IF NOT EXISTS paragraphs_fts_delete AFTER DELETE ON paragraphs BEGIN\n"
    "  INSERT INTO paragraphs_fts(paragraphs_fts, rowid, text) VALUES ('delete', old.id, old.text);\n"
    "END;",
    NULL};

/* Schema version 2: the alignment of successive versions (links.c, docs/lineage.md).
 * A registry migrated from version 1 has no links for the entities it already
 * holds; ingesting a file again does not add them (its content is unchanged). */
static const char *const schema_v2[] = {
    "CREATE TABLE IF NOT EXISTS entity_links (\n"
    "  from_entity INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  to_entity   INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,\n"
    "  how         TEXT NOT NULL,\n"
    "  PRIMARY KEY (from_entity, to_entity)\n"
    ");",
    "CREATE INDEX IF NOT EXISTS entity_links_to ON entity_links(to_entity);",
    "CREATE TABLE IF NOT EXISTS paragraph_links (\n"
    "  from_paragraph INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,\n"
    "  to_paragraph   INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,\n"
    "  relation       TEXT NOT NULL CHECK (relation IN\n"
    "                   ('unchanged', 'changed', 'moved', 'split', 'merged')),\n"
    "  similarity     REAL NOT NULL,\n"
    "  edited         INTEGER NOT NULL,\n"
    "  PRIMARY KEY (from_paragraph, to_paragraph)\n"
    ");",
    "CREATE INDEX IF NOT EXISTS paragraph_links_to ON paragraph_links(to_paragraph);",
    NULL};

/* migrations[v] brings a registry from schema version v to v + 1; version 0 is an
 * empty file.  A new version appends its statements here and to docs/schema.sql. */
static const char *const *const migrations[STORE_SCHEMA_VERSION] = {schema_v1, schema_v2};

/* The registry's schema version: 0 for an empty file, -1 (err set) for a file that
 * holds tables but is not a mandat registry, or when SQLite cannot read it. */
static int schema_version(sqlite3 *db, char *err, size_t errlen) {
  sqlite3_stmt *st = NULL;
  int v = -1, rc;
  rc = sqlite3_prepare_v2(db,
                          "SELECT (SELECT count(*) FROM sqlite_master),"
                          " (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
                          -1, &st, NULL);
  if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
    buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
    goto done;
  }
  int objects = sqlite3_column_int(st, 0), has_meta = sqlite3_column_int(st, 1);
  sqlite3_finalize(st);
  st = NULL;
  if (objects == 0) {
    v = 0;
    goto done;
  }
  if (!has_meta) {
    buf_seterr(err, errlen, "not a mandat registry (an SQLite database without its tables)");
    goto done;
  }
  rc = sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'", -1,
                          &st, NULL);
  if (rc != SQLITE_OK) {
    buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
    goto done;
  }
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) v = sqlite3_column_int(st, 0);
  else buf_seterr(err, errlen, "not a mandat registry (no schema_version in its meta table)");
done:
  sqlite3_finalize(st);
  return v;
}

/* Bring the registry to STORE_SCHEMA_VERSION in one transaction.  Returns an
 * SQLite code; err says why on failure. */
static int migrate(sqlite3 *db, char *err, size_t errlen) {
  int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  bool open_tx = rc == SQLITE_OK;
  char sql[96];
  if (rc != SQLITE_OK) {
    buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
    goto done;
  }
  int v = schema_version(db, err, errlen);
  if (v < 0) {
    rc = SQLITE_ERROR;
    goto done;
  }
  if (v > STORE_SCHEMA_VERSION) {
    buf_seterr(err, errlen, "registry schema version %d is newer than this mandat's (%d)", v,
           STORE_SCHEMA_VERSION);
    rc = SQLITE_ERROR;
    goto done;
  }
  if (v == STORE_SCHEMA_VERSION) goto done;
  for (; v < STORE_SCHEMA_VERSION; v++)
    for (const char *const *s = migrations[v]; *s; s++) {
      rc = sqlite3_exec(db, *s, NULL, NULL, NULL);
      if (rc != SQLITE_OK) {
        buf_seterr(err, errlen, "migrating to schema version %d: %s", v + 1, sqlite3_errmsg(db));
        goto done;
      }
    }
  snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '%d')",
           STORE_SCHEMA_VERSION);
  rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
done:
  if (open_tx) {
    if (rc == SQLITE_OK) {
      rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
      if (rc != SQLITE_OK) buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
    }
    if (rc != SQLITE_OK) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  }
  return rc;
}

/* "file:" URI of a path opened immutable: the characters URIs reserve escaped. */
static void immutable_uri(const char *path, mandat_buf *uri) {
  buf_puts(uri, "file:");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20) buf_printf(uri, "%%%02X", *p);
    else buf_putc(uri, (char)*p);
  }
  buf_puts(uri, "?immutable=1");
}

/* Open one connection and set it up; the schema is not looked at yet. */
static int connect(const char *path, int flags, bool write, sqlite3 **out, char *err, size_t errlen) {
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db, flags, NULL);
  if (rc != SQLITE_OK) {
    buf_seterr(err, errlen, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (!write && rc == SQLITE_CANTOPEN) buf_seterr(err, errlen, "no registry there (run `mandat ingest` first)");
    goto done;
  }
  sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
  rc = mandat_fts_register(db);
  if (rc != SQLITE_OK) {
    buf_seterr(err, errlen, "cannot register the full-text tokenizer (SQLite without FTS5?)");
    goto done;
  }
  /* Readers never write, whatever a query holds: query_only. */
  rc = sqlite3_exec(db,
                    write ? "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"
                          : "PRAGMA foreign_keys = ON; PRAGMA query_only = ON",
                    NULL, NULL, NULL);
  if (rc != SQLITE_OK) buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
done:
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    db = NULL;
  }
  *out = db;
  return rc;
}

/* Check a reader's schema version.  Returns an SQLite code; err says why. */
static int check_version(sqlite3 *db, char *err, size_t errlen) {
  int v = schema_version(db, err, errlen);
  if (v < 0) return sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errcode(db) : SQLITE_ERROR;
  if (v == 0) {
    buf_seterr(err, errlen, "empty registry (run `mandat ingest` first)");
    return SQLITE_ERROR;
  }
  if (v != STORE_SCHEMA_VERSION) {
    buf_seterr(err, errlen, "registry schema version %d, this mandat reads %d%s", v, STORE_SCHEMA_VERSION,
           v < STORE_SCHEMA_VERSION ? " (`mandat ingest` migrates it)" : "");
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

char *store_col_dup(sqlite3_stmt *st, int i) {
  const unsigned char *v = sqlite3_column_text(st, i);
  return v ? xstrdup((const char *)v) : NULL;
}

int store_open(const char *path, bool write, sqlite3 **out, char *err, size_t errlen) {
  sqlite3 *db = NULL;
  mandat_buf uri = {0};
  int rc = connect(path, SQLITE_OPEN_READWRITE | (write ? SQLITE_OPEN_CREATE : 0), write, &db, err, errlen);
  if (rc != SQLITE_OK) goto done;
  if (write) {
    rc = migrate(db, err, errlen);
    goto done;
  }
  rc = check_version(db, err, errlen);
  if ((rc & 0xff) == SQLITE_READONLY) {
    /* A WAL registry in a directory we cannot write (read-only media, another
     * user's archive): SQLite cannot make its -shm file, so read it as immutable.
     * Only a user with more rights could write it meanwhile, and this reader
     * would then miss that change: acceptable for a registry kept read-only. */
    sqlite3_close(db);
    db = NULL;
    immutable_uri(path, &uri);
    rc = connect(buf_cstr(&uri), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, false, &db, err, errlen);
    if (rc == SQLITE_OK) rc = check_version(db, err, errlen);
  }
done:
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    db = NULL;
  }
  buf_free(&uri);
  *out = db;
  return rc;
}

void store_close(sqlite3 *db) {
  if (db) sqlite3_close(db);
}

/* ---- ingest --------------------------------------------------------------------- */

enum {
  S_FIND_SHA,
  S_MAX_VERSION,
  S_RETIRE,
  S_REVIVE,
  S_DOC,
  S_ENTITY,
  S_PARENT,
  S_PARA,
  S_FTS,
  S_SUB,
  S_NOTE,
  S_FOOTNOTE,
  S_CLAUSE,
  S_ADDRESSEE,
  S_CONDITION,
  S_REPORTING,
  S_CITATION,
  S_BEGIN,
  S_COMMIT,
  S_ROLLBACK,
  N_STMT
};

static const char *const stmt_sql[N_STMT] = {
    [S_FIND_SHA] = "SELECT id, file = ?2, current FROM documents WHERE sha256 = ?1",
    [S_MAX_VERSION] = "SELECT coalesce(max(version), 0) FROM documents WHERE file = ?1",
    [S_RETIRE] = "UPDATE documents SET current = 0 WHERE file = ?1 AND current = 1",
    [S_REVIVE] = "UPDATE documents SET current = 1 WHERE id = ?1",
    [S_DOC] = "INSERT INTO documents(file, sha256, format, language, lines, bytes, version, current,"
              " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
    [S_ENTITY] = "INSERT INTO entities(document_id, local_id, kind, parent_id, symbol, organ, session,"
                 " adoption_date, year, meeting, agenda_number, agenda_title, title, line_first, line_last)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_PARENT] = "UPDATE entities SET parent_id = ?2 WHERE id = ?1",
    [S_PARA] = "INSERT INTO paragraphs(entity_id, kind, n, number, opening, text, line_first, line_last)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_FTS] = "INSERT INTO paragraphs_fts(rowid, text) VALUES (?, ?)",
    [S_SUB] = "INSERT INTO subparagraphs(paragraph_id, n, label, text, line_first, line_last)"
              " VALUES (?, ?, ?, ?, ?, ?)",
    [S_NOTE] = "INSERT OR IGNORE INTO paragraph_notes(paragraph_id, note) VALUES (?, ?)",
    [S_FOOTNOTE] = "INSERT INTO footnotes(entity_id, n, text, line_first, line_last) VALUES (?, ?, ?, ?, ?)",
    [S_CLAUSE] = "INSERT INTO clauses(paragraph_id, n, verb, force, action) VALUES (?, ?, ?, ?, ?)",
    [S_ADDRESSEE] = "INSERT INTO clause_addressees(clause_id, n, addressee, name, text) VALUES (?, ?, ?, ?, ?)",
    [S_CONDITION] = "INSERT INTO clause_conditions(clause_id, n, text) VALUES (?, ?, ?)",
    [S_REPORTING] = "INSERT INTO reporting(clause_id, to_id, session, date) VALUES (?, ?, ?, ?)",
    [S_CITATION] = "INSERT INTO citations(entity_id, n, kind, symbol, as_written, in_ref, paragraph_id, line)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
};

struct store_writer {
  sqlite3 *db;
  sqlite3_stmt *st[N_STMT];
  links_writer *links; /* series index and alignment statements */
  int64_t *ents; /* row ids of the current document's entities, by index */
  size_t cap_ents;
  char (*refs)[16]; /* "PP3", "OP12" of the current entity's paragraphs … */
  int64_t *para_ids; /* … and their row ids, for placing citations */
  int *para_lines;
  size_t cap_paras;
};

store_writer *store_writer_new(sqlite3 *db, char *err, size_t errlen) {
  store_writer *w = xcalloc(1, sizeof *w);
  w->db = db;
  for (int i = 0; i < N_STMT; i++) {
    /* PERSISTENT: these live for the whole run, thousands of files. */
    if (sqlite3_prepare_v3(db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) != SQLITE_OK) {
      buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
      store_writer_free(w);
      return NULL;
    }
  }
  if (!(w->links = links_writer_new(db, err, errlen))) {
    store_writer_free(w);
    w = NULL;
  }
  return w;
}

void store_writer_free(store_writer *w) {
  if (!w) return;
  for (int i = 0; i < N_STMT; i++) sqlite3_finalize(w->st[i]);
  links_writer_free(w->links);
  free(w->ents);
  free(w->refs);
  free(w->para_ids);
  free(w->para_lines);
  free(w);
}

/* Bind helpers.  Text is bound SQLITE_STATIC: every string comes from the document
 * tree or the caller's path, both alive until the statement is reset right after
 * its step.  NULL binds SQL NULL. */
static void bt(sqlite3_stmt *s, int i, const char *v) {
  if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
  else sqlite3_bind_null(s, i);
}
static void bi(sqlite3_stmt *s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }

/* Step a write statement and reset it.  Returns SQLITE_DONE or the error code;
 * *last_id gets the new row id when last_id is not NULL. */
static int exec(store_writer *w, int k, int64_t *last_id) {
  sqlite3_stmt *s = w->st[k];
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE && last_id) *last_id = sqlite3_last_insert_rowid(w->db);
  sqlite3_reset(s);
  return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

/* Step a one-row query: SQLITE_ROW (the caller reads and resets), SQLITE_DONE (no
 * row; reset) or an error (reset). */
static int fetch(store_writer *w, int k) {
  int rc = sqlite3_step(w->st[k]);
  if (rc != SQLITE_ROW) sqlite3_reset(w->st[k]);
  return rc;
}

#define TRY(call)                 \
  do {                            \
    rc = (call);                  \
    if (rc != SQLITE_DONE) goto done; \
  } while (0)

/* The year of an ISO date ("2025-12-18" → 2025), 0 when there is none. */
static int year_of(const char *date) {
  if (!date) return 0;
  int y = 0;
  for (int i = 0; i < 4; i++) {
    if (date[i] < '0' || date[i] > '9') return 0;
    y = y * 10 + (date[i] - '0');
  }
  return y;
}

/* Insert one clause with its addressees, conditions and reporting request. */
static int put_clause(store_writer *w, int64_t para_id, int n, const mandat_clause *c, store_counts *k) {
  int rc;
  int64_t id = 0;
  sqlite3_stmt *s = w->st[S_CLAUSE];
  bi(s, 1, para_id), bi(s, 2, n), bt(s, 3, c->verb), bt(s, 4, mandat_force_name(c->force)), bt(s, 5, c->action);
  TRY(exec(w, S_CLAUSE, &id));
  k->clauses++;
  if (mandat_clause_is_mandate(c)) k->mandates++;
  s = w->st[S_ADDRESSEE];
  for (size_t i = 0; i < c->n_addressees; i++) {
    const mandat_addressee *a = &c->addressees[i];
    bi(s, 1, id), bi(s, 2, (int64_t)i + 1), bt(s, 3, a->id), bt(s, 4, a->name), bt(s, 5, a->text);
    TRY(exec(w, S_ADDRESSEE, NULL));
  }
  s = w->st[S_CONDITION];
  for (size_t i = 0; i < c->n_conditions; i++) {
    bi(s, 1, id), bi(s, 2, (int64_t)i + 1), bt(s, 3, c->conditions[i]);
    TRY(exec(w, S_CONDITION, NULL));
  }
  if (c->has_reporting) {
    s = w->st[S_REPORTING];
    bi(s, 1, id), bt(s, 2, c->report_to), bt(s, 3, c->report_session), bt(s, 4, c->report_date);
    TRY(exec(w, S_REPORTING, NULL));
  }
done:
  return rc;
}

/* Insert one paragraph, its index row, sub-paragraphs, notes and clauses; *id gets
 * its row id. */
static int put_paragraph(store_writer *w, int64_t ent_id, const mandat_paragraph *p, int64_t *id,
                         store_counts *k) {
  int rc;
  sqlite3_stmt *s = w->st[S_PARA];
  bi(s, 1, ent_id), bt(s, 2, p->kind == MANDAT_PARA_PREAMBLE ? "preamble" : "operative"), bi(s, 3, p->n);
  bt(s, 4, p->number), bt(s, 5, p->opening), bt(s, 6, p->text ? p->text : "");
  bi(s, 7, p->lines.first), bi(s, 8, p->lines.last);
  TRY(exec(w, S_PARA, id));
  k->paragraphs++;
  s = w->st[S_FTS];
  bi(s, 1, *id), bt(s, 2, p->text ? p->text : "");
  TRY(exec(w, S_FTS, NULL));
  s = w->st[S_SUB];
  for (size_t i = 0; i < p->n_subs; i++) {
    const mandat_subparagraph *sp = &p->subs[i];
    bi(s, 1, *id), bi(s, 2, (int64_t)i + 1), bt(s, 3, sp->label ? sp->label : ""), bt(s, 4, sp->text ? sp->text : "");
    bi(s, 5, sp->lines.first), bi(s, 6, sp->lines.last);
    TRY(exec(w, S_SUB, NULL));
  }
  s = w->st[S_NOTE];
  for (size_t i = 0; i < p->n_notes; i++) {
    bi(s, 1, *id), bi(s, 2, p->notes[i]);
    TRY(exec(w, S_NOTE, NULL));
  }
  for (size_t i = 0; i < p->n_clauses; i++) TRY(put_clause(w, *id, (int)i + 1, &p->clauses[i], k));
done:
  return rc;
}

/* Remember a paragraph's reference ("PP3", "OP12", as extract.c writes them in
 * citations), row id and first line. */
static void remember(store_writer *w, size_t i, const mandat_paragraph *p, int64_t id) {
  if (i >= w->cap_paras) {
    w->cap_paras = i + 64;
    w->refs = xrealloc(w->refs, w->cap_paras * sizeof *w->refs);
    w->para_ids = xrealloc(w->para_ids, w->cap_paras * sizeof *w->para_ids);
    w->para_lines = xrealloc(w->para_lines, w->cap_paras * sizeof *w->para_lines);
  }
  if (p->kind == MANDAT_PARA_PREAMBLE) snprintf(w->refs[i], sizeof w->refs[i], "PP%d", p->n);
  else if (p->number) snprintf(w->refs[i], sizeof w->refs[i], "OP%.12s", p->number);
  else snprintf(w->refs[i], sizeof w->refs[i], "OP%d", p->n);
  w->para_ids[i] = id;
  w->para_lines[i] = p->lines.first;
}

/* Insert one entity with everything it holds. */
static int put_entity(store_writer *w, int64_t doc_id, const mandat_doc *doc, size_t ei, store_counts *k) {
  const mandat_entity *e = mandat_doc_entity(doc, ei);
  int rc;
  sqlite3_stmt *s = w->st[S_ENTITY];
  bool parent_known = e->parent >= 0 && (size_t)e->parent < ei;
  int year = year_of(e->adoption_date);
  bi(s, 1, doc_id), bt(s, 2, e->id), bt(s, 3, mandat_entity_kind_name(e->kind));
  if (parent_known) bi(s, 4, w->ents[e->parent]);
  else sqlite3_bind_null(s, 4);
  bt(s, 5, e->symbol), bt(s, 6, e->organ), bt(s, 7, e->session), bt(s, 8, e->adoption_date);
  if (year) bi(s, 9, year);
  else sqlite3_bind_null(s, 9);
  bt(s, 10, e->meeting), bt(s, 11, e->agenda_number), bt(s, 12, e->agenda_title), bt(s, 13, e->title);
  bi(s, 14, e->lines.first), bi(s, 15, e->lines.last);
  TRY(exec(w, S_ENTITY, &w->ents[ei]));
  k->entities++;
  int64_t ent_id = w->ents[ei];
  size_t np = 0;
  for (size_t i = 0; i < e->n_preamble; i++, np++) {
    int64_t id;
    TRY(put_paragraph(w, ent_id, &e->preamble[i], &id, k));
    remember(w, np, &e->preamble[i], id);
  }
  for (size_t i = 0; i < e->n_operative; i++, np++) {
    int64_t id;
    TRY(put_paragraph(w, ent_id, &e->operative[i], &id, k));
    remember(w, np, &e->operative[i], id);
  }
  s = w->st[S_FOOTNOTE];
  for (size_t i = 0; i < e->n_footnotes; i++) {
    const mandat_footnote *f = &e->footnotes[i];
    bi(s, 1, ent_id), bi(s, 2, f->n), bt(s, 3, f->text ? f->text : ""), bi(s, 4, f->lines.first);
    bi(s, 5, f->lines.last);
    TRY(exec(w, S_FOOTNOTE, NULL));
  }
  /* Citations come in line order, as do paragraphs within each part, so a cursor
   * that wraps around finds each one's paragraph in about one step. */
  s = w->st[S_CITATION];
  size_t cur = 0;
  for (size_t i = 0; i < e->n_citations; i++) {
    const mandat_citation *c = &e->citations[i];
    int64_t para = 0;
    int line = e->lines.first;
    if (c->in[0] == 'F') {
      int n = atoi(c->in + 2);
      for (size_t j = 0; j < e->n_footnotes; j++)
        if (e->footnotes[j].n == n) {
          line = e->footnotes[j].lines.first;
          break;
        }
    } else {
      for (size_t step = 0; step < np; step++, cur = (cur + 1) % np)
        if (strcmp(w->refs[cur], c->in) == 0) {
          para = w->para_ids[cur];
          line = w->para_lines[cur];
          break;
        }
    }
    bi(s, 1, ent_id), bi(s, 2, (int64_t)i + 1), bt(s, 3, mandat_cite_kind_name(c->kind)), bt(s, 4, c->symbol);
    bt(s, 5, c->as_written ? c->as_written : ""), bt(s, 6, c->in);
    if (para) bi(s, 7, para);
    else sqlite3_bind_null(s, 7);
    bi(s, 8, line);
    TRY(exec(w, S_CITATION, NULL));
  }
done:
  return rc;
}

/* Write a parsed document as version `version` of its file; *k counts its rows. */
static int put_doc(store_writer *w, const mandat_doc *doc, const char *path, size_t bytes, int version,
                   store_counts *k) {
  int rc;
  int64_t doc_id = 0;
  char now[32];
  time_t t = time(NULL);
  struct tm tm;
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
  sqlite3_stmt *s = w->st[S_DOC];
  bt(s, 1, path), bt(s, 2, mandat_doc_sha256(doc)), bt(s, 3, mandat_format_name(mandat_doc_format(doc)));
  bt(s, 4, mandat_doc_language(doc)), bi(s, 5, mandat_doc_line_count(doc)), bi(s, 6, (int64_t)bytes);
  bi(s, 7, version), bt(s, 8, now);
  TRY(exec(w, S_DOC, &doc_id));
  size_t n = mandat_doc_entity_count(doc);
  if (n > w->cap_ents) {
    w->cap_ents = n;
    w->ents = xrealloc(w->ents, n * sizeof *w->ents);
  }
  for (size_t i = 0; i < n; i++) TRY(put_entity(w, doc_id, doc, i, k));
  /* A parent that comes after its child in the document gets linked now. */
  for (size_t i = 0; i < n; i++) {
    const mandat_entity *e = mandat_doc_entity(doc, i);
    if (e->parent < 0 || (size_t)e->parent < i || (size_t)e->parent >= n) continue;
    bi(w->st[S_PARENT], 1, w->ents[i]), bi(w->st[S_PARENT], 2, w->ents[e->parent]);
    TRY(exec(w, S_PARENT, NULL));
  }
  /* Each entity linked to its neighbours in its series, in this same transaction. */
  for (size_t i = 0; i < n; i++) TRY(links_put_entity(w->links, w->ents[i], doc_id, &k->links));
done:
  return rc;
}

/* Read a whole file.  Returns 0, or -1 with err set. */
static int slurp(const char *path, mandat_buf *b, char *err, size_t errlen) {
  struct stat sb;
  FILE *f = NULL;
  int ret = -1;
  size_t k;
  char chunk[65536];
  if (stat(path, &sb) != 0) {
    buf_seterr(err, errlen, "cannot open: %s", strerror(errno));
    goto done;
  }
  if ((uintmax_t)sb.st_size > MANDAT_MAX_INPUT) {
    buf_seterr(err, errlen, "file too large (over %u MB)", MANDAT_MAX_INPUT >> 20);
    goto done;
  }
  f = fopen(path, "rb");
  if (!f) {
    buf_seterr(err, errlen, "cannot open: %s", strerror(errno));
    goto done;
  }
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (b->len + k > MANDAT_MAX_INPUT) {
      buf_seterr(err, errlen, "file too large (over %u MB)", MANDAT_MAX_INPUT >> 20);
      goto done;
    }
    buf_put(b, chunk, k);
  }
  if (ferror(f)) {
    buf_seterr(err, errlen, "read error: %s", strerror(errno));
    goto done;
  }
  ret = 0;
done:
  if (f) fclose(f);
  return ret;
}

/* Look the content up: 0 not stored; 1 stored (*same_file, *current say where);
 * -1 on an SQLite error. */
static int find_sha(store_writer *w, const char *sha, const char *path, int64_t *id, bool *same_file,
                    bool *current) {
  sqlite3_stmt *s = w->st[S_FIND_SHA];
  bt(s, 1, sha), bt(s, 2, path);
  int rc = fetch(w, S_FIND_SHA);
  if (rc == SQLITE_DONE) return 0;
  if (rc != SQLITE_ROW) return -1;
  *id = sqlite3_column_int64(s, 0);
  *same_file = sqlite3_column_int(s, 1) != 0;
  *current = sqlite3_column_int(s, 2) != 0;
  sqlite3_reset(s);
  return 1;
}

store_outcome store_put_file(store_writer *w, const char *path, store_counts *c, int *status, char *err,
                             size_t errlen) {
  store_outcome out = STORE_DB_ERROR;
  mandat_buf b = {0};
  mandat_doc *doc = NULL;
  mandat_error perr = {0};
  store_counts k = {0};
  char sha[65];
  int64_t old_id = 0;
  bool same_file = false, current = false, in_tx = false;
  int rc = SQLITE_DONE, found;
  *status = MANDAT_OK;
  c->files++;
  if (slurp(path, &b, err, errlen) != 0) {
    *status = MANDAT_ERR_IO;
    out = STORE_BAD_FILE;
    goto done;
  }
  c->bytes += (double)b.len;
  sha256_hex(b.data ? b.data : "", b.len, sha);
  /* Outside a transaction first, so that unchanged files cost no parse and no lock. */
  found = find_sha(w, sha, path, &old_id, &same_file, &current);
  if (found < 0) goto db_error;
  if (found && (!same_file || current)) {
    out = STORE_UNCHANGED;
    goto done;
  }
  if (!found) {
    *status = mandat_parse(b.data ? b.data : "", b.len, path, &doc, &perr);
    if (*status != MANDAT_OK) {
      buf_seterr(err, errlen, "%s", perr.reason[0] ? perr.reason : mandat_strerror(*status));
      out = STORE_BAD_FILE;
      goto done;
    }
  }
  TRY(exec(w, S_BEGIN, NULL));
  in_tx = true;
  /* Again inside the transaction: another ingest may have stored it meanwhile. */
  found = find_sha(w, sha, path, &old_id, &same_file, &current);
  if (found < 0) goto db_error;
  if (found && (!same_file || current)) {
    out = STORE_UNCHANGED;
  } else if (found) {
    bt(w->st[S_RETIRE], 1, path);
    TRY(exec(w, S_RETIRE, NULL));
    bi(w->st[S_REVIVE], 1, old_id);
    TRY(exec(w, S_REVIVE, NULL));
    out = STORE_REVERTED;
  } else {
    if (!doc) { /* stored a moment ago, then gone: another process is at work */
      buf_seterr(err, errlen, "the registry changed during the ingest of %s; run it again", path);
      out = STORE_DB_ERROR;
      goto done;
    }
    bt(w->st[S_MAX_VERSION], 1, path);
    rc = fetch(w, S_MAX_VERSION);
    if (rc != SQLITE_ROW) goto db_error;
    int version = sqlite3_column_int(w->st[S_MAX_VERSION], 0) + 1;
    sqlite3_reset(w->st[S_MAX_VERSION]);
    bt(w->st[S_RETIRE], 1, path);
    TRY(exec(w, S_RETIRE, NULL));
    TRY(put_doc(w, doc, path, b.len, version, &k));
    out = version > 1 ? STORE_VERSION : STORE_ADDED;
  }
  TRY(exec(w, S_COMMIT, NULL));
  in_tx = false;
  for (size_t i = 0; doc && out != STORE_UNCHANGED && out != STORE_REVERTED && i < mandat_doc_entity_count(doc); i++)
    links_index_add(w->links, w->ents[i], mandat_doc_entity(doc, i)->title);
  c->links += k.links;
  c->entities += k.entities, c->paragraphs += k.paragraphs, c->clauses += k.clauses, c->mandates += k.mandates;
  goto done;
db_error:
  buf_seterr(err, errlen, "%s", sqlite3_errmsg(w->db));
  out = STORE_DB_ERROR;
done:
  if (rc != SQLITE_DONE && rc != SQLITE_ROW && out != STORE_BAD_FILE) {
    buf_seterr(err, errlen, "%s", sqlite3_errmsg(w->db));
    out = STORE_DB_ERROR;
  }
  if (in_tx) { /* only reached on a failure: nothing of this file stays */
    out = STORE_DB_ERROR;
    exec(w, S_ROLLBACK, NULL);
  }
  switch (out) {
  case STORE_ADDED: c->added++; break;
  case STORE_VERSION: c->versions++; break;
  case STORE_UNCHANGED: c->unchanged++; break;
  case STORE_REVERTED: c->reverted++; break;
  case STORE_BAD_FILE: c->failed++; break;
  case STORE_DB_ERROR: break;
  }
  mandat_doc_free(doc);
  buf_free(&b);
  return out;
}
