/* cite.c: citation extraction (stub until the extractor lands). */
#include "cite.h"

void cite_extract(mandat_doc *doc, mandat_entity *e, const char *text, const char *in) {
  (void)doc, (void)e, (void)text, (void)in;
}
