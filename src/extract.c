/* extract.c: runs the extractors over a document: clauses of every operative
 * paragraph, then citations of paragraphs and footnotes in the order of their
 * source lines. */
#include "extract.h"

#include <stdio.h>

#include "cite.h"
#include "clauses.h"

static void cite_entity(mandat_doc *doc, mandat_entity *e) {
  size_t ip = 0, io = 0, inote = 0;
  char in[16];
  for (;;) {
    int lp = ip < e->n_preamble ? e->preamble[ip].lines.first : -1;
    int lo = io < e->n_operative ? e->operative[io].lines.first : -1;
    int ln = inote < e->n_footnotes ? e->footnotes[inote].lines.first : -1;
    int best = -1;
    if (lp >= 0) best = lp;
    if (lo >= 0 && (best < 0 || lo < best)) best = lo;
    if (ln >= 0 && (best < 0 || ln < best)) best = ln;
    if (best < 0) break;
    if (best == lp) {
      snprintf(in, sizeof in, "PP%d", e->preamble[ip].n);
      cite_extract(doc, e, e->preamble[ip++].text, in);
    } else if (best == lo) {
      const mandat_paragraph *p = &e->operative[io++];
      if (p->number) snprintf(in, sizeof in, "OP%.12s", p->number);
      else snprintf(in, sizeof in, "OP%d", p->n);
      cite_extract(doc, e, p->text, in);
    } else {
      snprintf(in, sizeof in, "FN%d", e->footnotes[inote].n);
      cite_extract(doc, e, e->footnotes[inote++].text, in);
    }
  }
}

void extract_document(mandat_doc *doc) {
  for (size_t i = 0; i < doc->n_ents; i++) {
    mandat_entity *e = &doc->ents[i];
    clause_memory mem = {0};
    for (size_t k = 0; k < e->n_operative; k++) clauses_extract(doc, e, &e->operative[k], &mem);
    cite_entity(doc, e);
  }
}
