/* structure.h: third stage: entities (resolution, draft, declaration, annex), their
 * metadata, preambular and operative paragraphs, sub-paragraphs and footnotes, from
 * the classified lines of the clean stage. */
#ifndef MANDAT_STRUCTURE_H
#define MANDAT_STRUCTURE_H

#include "clean.h"
#include "model.h"

/* Choose the language of a document from the stopwords of each lexicon. */
const mandat_lexicon *structure_language(const clines *cl);

/* Called when a root entity is about to open the next group: the entities of doc
 * so far are complete, and may be handed over with doc_take_group(doc, keep). */
typedef void (*structure_group_fn)(mandat_doc *doc, doc_mark keep, void *ctx);
/* Build the entities of doc from cl.  With group non-NULL, the entities are handed
 * to it a group at a time (a root with the entities nested in it) as soon as the
 * group is complete; the last group stays in doc.  Returns MANDAT_OK, or
 * MANDAT_ERR_NO_RESOLUTION when no entity with paragraphs was found. */
mandat_status structure_build(mandat_doc *doc, const clines *cl, structure_group_fn group,
                              void *ctx);

#endif
