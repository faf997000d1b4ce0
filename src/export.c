/* export.c: views of a document restricted to one symbol, and the registry read
 * back into document trees (docs/schema.sql, version 1) for `mandat export`.
 *
 * Registry mode rebuilds each current document from its rows with plain SQL and
 * hands the tree to the same renderers as file mode: one renderer per format, and
 * a registry export that matches `mandat parse --json` field for field.
 *
 * sqlite3 boundary: the database is opened read-only and closed here; text from
 * sqlite3_column_text is copied into the document's arena before the next step;
 * the symbol is bound SQLITE_STATIC (the caller's string outlives the statement). */
#include "export.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"

/* ---------------------------------------------------------------- views */

static bool selected(const mandat_doc *d, size_t i, const char *symbol) {
  /* Walk up the annex chain; the depth bound guards against a cyclic parent. */
  for (size_t depth = 0; depth <= d->n_ents; depth++) {
    const mandat_entity *e = &d->ents[i];
    if (e->symbol && strcmp(e->symbol, symbol) == 0)
      return true;
    if (e->parent < 0 || (size_t)e->parent >= d->n_ents)
      return false;
    i = (size_t)e->parent;
  }
  return false;
}

size_t export_view(const mandat_doc *d, const char *symbol, struct mandat_doc *view) {
  *view = *d;
  view->strs = NULL, view->n_strs = view->cap_strs = 0; /* the view owns no string */
  view->ents = xcalloc(d->n_ents ? d->n_ents : 1, sizeof *view->ents);
  int *map = xcalloc(d->n_ents ? d->n_ents : 1, sizeof *map);
  size_t k = 0;
  for (size_t i = 0; i < d->n_ents; i++) {
    map[i] = -1;
    if (symbol && !selected(d, i, symbol))
      continue;
    map[i] = (int)k;
    view->ents[k] = d->ents[i];
    int p = d->ents[i].parent;
    view->ents[k].parent = p >= 0 && (size_t)p < i ? map[p] : -1;
    k++;
  }
  free(map);
  view->n_ents = view->cap_ents = k;
  return k;
}

void export_view_free(struct mandat_doc *view) {
  free(view->ents);
  view->ents = NULL;
  view->n_ents = view->cap_ents = 0;
}

/* ------------------------------------------------------------ registry */

enum {
  Q_DOCS,
  Q_ENTITIES,
  Q_PARAS,
  Q_SUBS,
  Q_NOTES,
  Q_CLAUSES,
  Q_ADDRESSEES,
  Q_CONDITIONS,
  Q_REPORTING,
  Q_FOOTNOTES,
  Q_CITATIONS,
  Q_COUNT
};

/* Only current versions; ?1 NULL means every document. */
static const char *const queries[Q_COUNT] = {
    "SELECT id, file, sha256, format, language, lines FROM documents WHERE current = 1 AND "
    "(?1 IS NULL OR EXISTS (SELECT 1 FROM entities e WHERE e.document_id = documents.id AND "
    "e.symbol = ?1)) ORDER BY id",
    "SELECT id, local_id, kind, parent_id, symbol, organ, session, adoption_date, meeting, "
    "agenda_number, agenda_title, title, line_first, line_last FROM entities WHERE document_id = "
    "?1 "
    "ORDER BY id",
    "SELECT id, kind, number, opening, text, line_first, line_last FROM paragraphs "
    "WHERE entity_id = ?1 ORDER BY kind = 'operative', n",
    "SELECT label, text, line_first, line_last FROM subparagraphs WHERE paragraph_id = ?1 ORDER BY "
    "n",
    "SELECT note FROM paragraph_notes WHERE paragraph_id = ?1 ORDER BY rowid",
    "SELECT id, verb, force, action FROM clauses WHERE paragraph_id = ?1 ORDER BY n",
    "SELECT addressee, name, text FROM clause_addressees WHERE clause_id = ?1 ORDER BY n",
    "SELECT text FROM clause_conditions WHERE clause_id = ?1 ORDER BY n",
    "SELECT to_id, session, date FROM reporting WHERE clause_id = ?1",
    "SELECT n, text, line_first, line_last FROM footnotes WHERE entity_id = ?1 ORDER BY n",
    "SELECT kind, symbol, as_written, in_ref FROM citations WHERE entity_id = ?1 ORDER BY n",
};

typedef struct {
  sqlite3 *db;
  sqlite3_stmt *q[Q_COUNT];
  bool failed;
} reader;

/* A column as a string of the document's arena; SQL NULL gives NULL. */
static const char *col(mandat_doc *d, sqlite3_stmt *s, int i) {
  const unsigned char *t = sqlite3_column_text(s, i);
  return t ? doc_strz(d, (const char *)t) : NULL;
}

/* Bind an id to ?1 of query q, ready to step. */
static sqlite3_stmt *with_id(reader *r, int q, sqlite3_int64 id) {
  sqlite3_stmt *s = r->q[q];
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, id);
  return s;
}

/* Step a statement; SQLITE_DONE and errors end the loop, errors are remembered. */
static bool row(reader *r, sqlite3_stmt *s) {
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW)
    return true;
  if (rc != SQLITE_DONE)
    r->failed = true;
  return false;
}

static mandat_force force_of(const char *name) {
  for (int f = MANDAT_FORCE_DECISION; f <= MANDAT_FORCE_OTHER; f++)
    if (name && strcmp(mandat_force_name((mandat_force)f), name) == 0)
      return (mandat_force)f;
  return MANDAT_FORCE_NONE;
}

static void load_clauses(reader *r, mandat_doc *d, mandat_paragraph *p, sqlite3_int64 pid) {
  sqlite3_stmt *s = with_id(r, Q_CLAUSES, pid);
  while (row(r, s)) {
    mandat_clause *c = para_add_clause(p);
    sqlite3_int64 cid = sqlite3_column_int64(s, 0);
    c->verb = col(d, s, 1);
    c->force = force_of((const char *)sqlite3_column_text(s, 2));
    c->action = col(d, s, 3);
    sqlite3_stmt *a = with_id(r, Q_ADDRESSEES, cid);
    while (row(r, a)) {
      mandat_addressee *ad = clause_add_addressee(c);
      ad->id = col(d, a, 0), ad->name = col(d, a, 1), ad->text = col(d, a, 2);
    }
    sqlite3_stmt *k = with_id(r, Q_CONDITIONS, cid);
    while (row(r, k))
      clause_add_condition(c, col(d, k, 0));
    sqlite3_stmt *rep = with_id(r, Q_REPORTING, cid);
    if (row(r, rep)) {
      c->has_reporting = true;
      c->report_to = col(d, rep, 0), c->report_session = col(d, rep, 1);
      c->report_date = col(d, rep, 2);
    }
  }
}

static void load_paragraphs(reader *r, mandat_doc *d, mandat_entity *e, sqlite3_int64 eid) {
  sqlite3_stmt *s = with_id(r, Q_PARAS, eid);
  while (row(r, s)) {
    const char *kind = (const char *)sqlite3_column_text(s, 1);
    bool op = kind && strcmp(kind, "operative") == 0;
    mandat_paragraph *p = entity_add_para(e, op ? MANDAT_PARA_OPERATIVE : MANDAT_PARA_PREAMBLE);
    sqlite3_int64 pid = sqlite3_column_int64(s, 0);
    p->number = col(d, s, 2);
    p->opening = col(d, s, 3);
    p->text = col(d, s, 4);
    p->lines.first = sqlite3_column_int(s, 5), p->lines.last = sqlite3_column_int(s, 6);
    sqlite3_stmt *sub = with_id(r, Q_SUBS, pid);
    while (row(r, sub)) {
      mandat_subparagraph *sp = para_add_sub(p);
      sp->label = col(d, sub, 0), sp->text = col(d, sub, 1);
      sp->lines.first = sqlite3_column_int(sub, 2), sp->lines.last = sqlite3_column_int(sub, 3);
    }
    sqlite3_stmt *n = with_id(r, Q_NOTES, pid);
    while (row(r, n))
      para_add_note(p, sqlite3_column_int(n, 0));
    load_clauses(r, d, p, pid);
  }
}

static mandat_entity_kind kind_of(const char *name) {
  for (int k = MANDAT_ENTITY_RESOLUTION; k <= MANDAT_ENTITY_ANNEX; k++)
    if (name && strcmp(mandat_entity_kind_name((mandat_entity_kind)k), name) == 0)
      return (mandat_entity_kind)k;
  return MANDAT_ENTITY_RESOLUTION;
}

static mandat_cite_kind cite_kind_of(const char *name) {
  for (int k = MANDAT_CITE_RESOLUTION; k <= MANDAT_CITE_TREATY; k++)
    if (name && strcmp(mandat_cite_kind_name((mandat_cite_kind)k), name) == 0)
      return (mandat_cite_kind)k;
  return MANDAT_CITE_DOCUMENT;
}

static mandat_format format_of(const char *name) {
  for (int f = MANDAT_FORMAT_TEXT; f <= MANDAT_FORMAT_PDF; f++)
    if (name && strcmp(mandat_format_name((mandat_format)f), name) == 0)
      return (mandat_format)f;
  return MANDAT_FORMAT_TEXT;
}

/* The document tree of document row `s` (a Q_DOCS row).  Caller frees. */
static mandat_doc *load_document(reader *r, sqlite3_stmt *s) {
  mandat_doc *d = doc_new((const char *)sqlite3_column_text(s, 1));
  sqlite3_int64 did = sqlite3_column_int64(s, 0);
  const char *sha = (const char *)sqlite3_column_text(s, 2);
  snprintf(d->sha256, sizeof d->sha256, "%s", sha ? sha : "");
  d->format = format_of((const char *)sqlite3_column_text(s, 3));
  d->lex = mandat_lexicon_get((const char *)sqlite3_column_text(s, 4));
  d->lines = sqlite3_column_int(s, 5);

  sqlite3_int64 *row_ids = NULL; /* entity row id by index, for parent links */
  size_t n_ids = 0, cap_ids = 0;
  sqlite3_stmt *es = with_id(r, Q_ENTITIES, did);
  while (row(r, es)) {
    mandat_entity *e = doc_add_entity(d, kind_of((const char *)sqlite3_column_text(es, 2)));
    VEC_GROW(row_ids, n_ids, cap_ids);
    row_ids[n_ids++] = sqlite3_column_int64(es, 0);
    const char *local = (const char *)sqlite3_column_text(es, 1);
    if (local)
      snprintf(e->id, sizeof e->id, "%s", local);
    if (sqlite3_column_type(es, 3) != SQLITE_NULL) {
      sqlite3_int64 pid = sqlite3_column_int64(es, 3);
      for (size_t k = 0; k + 1 < n_ids; k++)
        if (row_ids[k] == pid)
          e->parent = (int)k;
    }
    e->symbol = col(d, es, 4), e->organ = col(d, es, 5), e->session = col(d, es, 6);
    e->adoption_date = col(d, es, 7), e->meeting = col(d, es, 8);
    e->agenda_number = col(d, es, 9), e->agenda_title = col(d, es, 10);
    e->title = col(d, es, 11);
    e->lines.first = sqlite3_column_int(es, 12), e->lines.last = sqlite3_column_int(es, 13);
    sqlite3_int64 eid = row_ids[n_ids - 1];
    load_paragraphs(r, d, e, eid);
    sqlite3_stmt *f = with_id(r, Q_FOOTNOTES, eid);
    while (row(r, f)) {
      mandat_footnote *fn = entity_add_footnote(e);
      fn->n = sqlite3_column_int(f, 0), fn->text = col(d, f, 1);
      fn->lines.first = sqlite3_column_int(f, 2), fn->lines.last = sqlite3_column_int(f, 3);
    }
    sqlite3_stmt *c = with_id(r, Q_CITATIONS, eid);
    while (row(r, c)) {
      mandat_citation *ci = entity_add_citation(e);
      ci->kind = cite_kind_of((const char *)sqlite3_column_text(c, 0));
      ci->symbol = col(d, c, 1), ci->as_written = col(d, c, 2);
      const char *in = (const char *)sqlite3_column_text(c, 3);
      snprintf(ci->in, sizeof ci->in, "%s", in ? in : "");
    }
  }
  free(row_ids);
  return d;
}

static void fail(mandat_error *err, const char *path, const char *reason, const char *detail) {
  if (!err)
    return;
  err->status = MANDAT_ERR_IO;
  err->line = 0;
  snprintf(err->file, sizeof err->file, "%s", path);
  snprintf(err->reason, sizeof err->reason, "%s%s%s", reason, detail ? ": " : "",
           detail ? detail : "");
}

mandat_status export_registry(const char *db_path, const char *symbol, export_doc_fn fn, void *ctx,
                              size_t *n_docs, mandat_error *err) {
  mandat_status st = MANDAT_ERR_IO;
  reader r = {0};
  *n_docs = 0;
  if (sqlite3_open_v2(db_path, &r.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    fail(err, db_path, "cannot open the registry", r.db ? sqlite3_errmsg(r.db) : NULL);
    goto done;
  }
  sqlite3_busy_timeout(r.db, 5000); /* a writer's checkpoint can hold the lock briefly */
  for (int q = 0; q < Q_COUNT; q++) {
    if (sqlite3_prepare_v2(r.db, queries[q], -1, &r.q[q], NULL) != SQLITE_OK) {
      fail(err, db_path, "not a mandat registry (schema version 1)", sqlite3_errmsg(r.db));
      goto done;
    }
  }
  /* One read transaction: every document comes from the same snapshot. */
  sqlite3_exec(r.db, "BEGIN", NULL, NULL, NULL);
  sqlite3_stmt *docs = r.q[Q_DOCS];
  if (symbol)
    sqlite3_bind_text(docs, 1, symbol, -1, SQLITE_STATIC);
  while (row(&r, docs)) {
    mandat_doc *d = load_document(&r, docs);
    bool more = !r.failed && fn(d, ctx);
    if (!r.failed)
      (*n_docs)++;
    mandat_doc_free(d);
    if (!more)
      break;
  }
  sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL);
  if (r.failed) {
    fail(err, db_path, "cannot read the registry", sqlite3_errmsg(r.db));
    goto done;
  }
  st = MANDAT_OK;
done:
  for (int q = 0; q < Q_COUNT; q++)
    sqlite3_finalize(r.q[q]); /* NULL is a no-op */
  sqlite3_close(r.db);        /* NULL is a no-op */
  return st;
}
