/* text.h: assembling the cleaned text of a paragraph from its lines: joining PDF
 * line breaks, footnote markers glued to words, spacing damage. */
#ifndef MANDAT_TEXT_H
#define MANDAT_TEXT_H

#include <stdbool.h>

#include "buf.h"

/* The footnote numbers an entity defines (a bitmap: notes run from 1 to a few
 * hundred in a resolution; larger numbers are never treated as markers). */
#define TEXT_MAX_NOTE 1024
typedef struct {
  unsigned char bits[TEXT_MAX_NOTE / 8];
} text_notes;

void text_notes_add(text_notes *ns, int n);
bool text_notes_has(const text_notes *ns, int n);
static inline void text_notes_free(text_notes *ns) { (void)ns; }

/* Append a line to text being assembled: a space between lines, none after a
 * hyphen that ends a compound (« soixante-dix- » + « septième »). */
void text_join(mandat_buf *out, const char *t, size_t n);

/* PDF text carries footnote numbers as plain digits: « afférents1 », « 20063, »
 * (2006 + note 3), « 76/18742 » (76/187 + note 42), « 2030 2 , ».  Rewrite those
 * whose number the entity defines as markers (MARK n MARK), in place. */
void text_unglue_markers(mandat_buf *raw, const text_notes *known, bool pdf);

/* The final text: markers removed, « l ’état » → « l’état », « bien -être » →
 * « bien-être », blanks collapsed, trimmed.  Writes into out (cleared first). */
void text_finish(mandat_buf *out, const char *raw, size_t n);

#endif
