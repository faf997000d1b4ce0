/* cite.h: citations: resolutions, decisions, document symbols and named treaties
 * referred to in a paragraph or footnote, with canonical symbols. */
#ifndef MANDAT_CITE_H
#define MANDAT_CITE_H

#include "model.h"

/* Append to e->citations every citation found in text, in order of appearance,
 * with `in` ("PP3", "OP12", "FN7") as their place.  The text is the cleaned text
 * of the paragraph or footnote (no markers).  The citing body of « sa résolution »
 * / "its resolution" is e's adopting organ (e->organ, or the nearest ancestor's);
 * the entity's own symbol is not a citation of itself. */
void cite_extract(mandat_doc *doc, mandat_entity *e, const char *text, const char *in);

#endif
