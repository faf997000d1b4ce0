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

/* A readable outline: entities, metadata, counts and each paragraph's number or
 * opening with its lines.  brief: only the first paragraphs of each part. */
void render_outline(const mandat_doc *doc, bool brief, FILE *f);

#endif
