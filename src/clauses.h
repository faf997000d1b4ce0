/* clauses.h: mandate clauses of operative paragraphs: who is asked to do what,
 * with what force, under which conditions, reporting back when. */
#ifndef MANDAT_CLAUSES_H
#define MANDAT_CLAUSES_H

#include "model.h"

/* Pronoun memory across the paragraphs of one entity (« lui demande », « les
 * invite », "requests it"): the addressees of the last clause that had some, and
 * the last single addressee of the vocabulary. */
typedef struct {
  mandat_addressee last[8]; /* more addressees than this in one clause: the first 8 */
  size_t n_last;
  mandat_addressee one;
  bool has_one;
} clause_memory;

/* Split an operative paragraph into clauses and fill them (p->clauses).  e gives
 * the adopting organ and whether this is a declaration; mem carries pronoun
 * antecedents from one paragraph to the next (zero it for each entity). */
void clauses_extract(mandat_doc *doc, const mandat_entity *e, mandat_paragraph *p,
                     clause_memory *mem);

/* The verb of a paragraph of text that is already split (mandat classify): the
 * verb phrase at its start and its force, MANDAT_FORCE_NONE when it opens with
 * no operative verb.  *len gets the verb phrase length. */
mandat_force clauses_opening_verb(const mandat_lexicon *lx, const char *text, size_t n,
                                  size_t *len);

#endif
