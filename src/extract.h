/* extract.h: fourth stage: mandate clauses and citations of every entity. */
#ifndef MANDAT_EXTRACT_H
#define MANDAT_EXTRACT_H

#include "model.h"

/* Fill clauses (operative paragraphs) and citations of every entity of doc. */
void extract_document(mandat_doc *doc);

#endif
