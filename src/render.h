/* render.h: renderers.  They only read the document tree. */
#ifndef MANDAT_RENDER_H
#define MANDAT_RENDER_H

#include <stdio.h>

#include "buf.h"
#include "mandat.h"

/* A JSON string literal of s (NULL gives null). */
void json_str(mandat_buf *out, const char *s);

/* The parse contract, version 1, as one line of JSON (no trailing newline). */
void render_json(const mandat_doc *doc, mandat_buf *out);

/* The same JSON and a newline, written to f entity by entity (memory: one entity,
 * not the document).  scratch is a caller's buffer, reused across calls; errors
 * are left in f's error flag. */
void render_json_file(const mandat_doc *doc, mandat_buf *scratch, FILE *f);

/* The same in pieces, for a document handed over a group at a time
 * (mandat_parse_file_each): the head (schema, source, the opening of the entity
 * list), the entities of one group (first: the first group, no comma before it),
 * written to f entity by entity when f is not NULL, and the tail. */
void render_json_head(const mandat_doc *doc, mandat_buf *out);
void render_json_entities(const mandat_doc *doc, bool first, mandat_buf *out, FILE *f);
void render_json_tail(mandat_buf *out);

/* A readable outline: entities, metadata, counts and each paragraph's number or
 * opening with its lines.  brief: only the first paragraphs of each part. */
void render_outline(const mandat_doc *doc, bool brief, FILE *f);
/* The outline in pieces: the file's line, then the entities of each group. */
void render_outline_head(const mandat_doc *doc, FILE *f);
void render_outline_entities(const mandat_doc *doc, bool brief, FILE *f);

#endif
