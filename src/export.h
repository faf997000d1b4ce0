/* export.h: `mandat export`, the registry (or parsed files) as JSON Lines, CSV or
 * Akoma Ntoso XML.  docs/export.md describes the formats.
 *
 * One design for every format: the source is always a mandat_doc.  File mode parses
 * the files; registry mode rebuilds each current document's tree from its rows
 * (export_registry).  The renderers then read the tree exactly as `mandat parse`
 * renders it, so an export and a parse of the same file agree field for field.
 *
 * Ownership: renderers only read the document and append to a caller-owned
 * mandat_buf.  A view (export_view) borrows the strings and arrays of its document
 * and owns only its entity array, freed with export_view_free before the document.
 * Registry mode owns each rebuilt document for the duration of one callback. */
#ifndef MANDAT_EXPORT_H
#define MANDAT_EXPORT_H

#include <stdbool.h>

#include "buf.h"
#include "mandat.h"
#include "model.h"

/* ---------------------------------------------------------------- views */

/* Fill *view with the entities of d selected by symbol: an entity whose symbol is
 * `symbol` and every entity annexed to it, at any depth (NULL selects all).  Parent
 * indices are remapped; a parent outside the selection becomes -1.  Returns the
 * number of entities kept.  Free with export_view_free (only the entity array). */
size_t export_view(const mandat_doc *d, const char *symbol, struct mandat_doc *view);
void export_view_free(struct mandat_doc *view);

/* ------------------------------------------------------------ registry */

/* Called once per current document of the registry, in ingest order.  The
 * document is freed after the call returns; return false to stop. */
typedef bool (*export_doc_fn)(const mandat_doc *doc, void *ctx);

/* Rebuild each current document (documents.current = 1) of the SQLite registry
 * at db_path from its rows, restricted to documents holding an entity with symbol
 * `symbol` when it is not NULL, and pass it to fn.  The database is opened read-only
 * and never created.  Returns MANDAT_OK, or MANDAT_ERR_IO with err filled (cannot
 * open, not a mandat registry, SQL error).  *n_docs counts the documents passed. */
mandat_status export_registry(const char *db_path, const char *symbol, export_doc_fn fn, void *ctx,
                              size_t *n_docs, mandat_error *err);

/* ----------------------------------------------------------------- CSV */

/* One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, quotes
 * doubled; NULL is an empty field. */
void csv_field(mandat_buf *out, const char *s);

/* The header row, CRLF-terminated. */
void render_csv_header(mandat_buf *out);

/* A clause's addressees (vocabulary id, else short name, else the words as
 * written) and conditions, each joined with "; ". */
void csv_join_addressees(mandat_buf *b, const mandat_clause *c);
void csv_join_conditions(mandat_buf *b, const mandat_clause *c);

/* One CRLF-terminated row per mandate (mandat_clause_is_mandate) of the operative
 * paragraphs of every entity of d, in document order.  Returns the row count. */
size_t render_csv(const mandat_doc *d, mandat_buf *out);

/* ---------------------------------------------------------- Akoma Ntoso */

/* Render the top-level entity i of d (parent -1) and its annexes, as attachments,
 * as one Akoma Ntoso 3.0 XML document (AKN4UN conventions) appended to out.
 * Returns false (and appends nothing) when i is not a top-level entity. */
bool render_akn(const mandat_doc *d, size_t i, mandat_buf *out);

/* The FRBR work number of an entity, for URIs and file names: "80-229" for
 * A/RES/80/229, "A-C.3-77-L.2" for a draft, "nn" without a symbol. */
void akn_number(const mandat_entity *e, char *out, size_t size);

#endif
