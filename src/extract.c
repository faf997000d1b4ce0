/* extract.c: runs the extractors (clauses.c, cite.c) over a document. */
#include "extract.h"

void extract_document(mandat_doc *doc) { (void)doc; }
