/* structure.h: third stage: entities (resolution, draft, declaration, annex), their
 * metadata, preambular and operative paragraphs, sub-paragraphs and footnotes, from
 * the classified lines of the clean stage. */
#ifndef MANDAT_STRUCTURE_H
#define MANDAT_STRUCTURE_H

#include "clean.h"
#include "model.h"

/* Choose the language of a document from the stopwords of each lexicon. */
const mandat_lexicon *structure_language(const clines *cl);

/* Build the entities of doc from cl.  Returns MANDAT_OK, or
 * MANDAT_ERR_NO_RESOLUTION when no entity with paragraphs was found. */
mandat_status structure_build(mandat_doc *doc, const clines *cl);

#endif
