/* lexicon.c: the registry of language tables (lexicon_fr.c, lexicon_en.c, lexicon_es.c).
 * A new language is a new table and one line here. */
#include "lexicon.h"

#include <stddef.h>
#include <string.h>

const mandat_lexicon *const mandat_lexicons[] = {&mandat_lexicon_fr, &mandat_lexicon_en,
                                                 &mandat_lexicon_es, NULL};

const mandat_lexicon *mandat_lexicon_get(const char *lang) {
  if (!lang) return NULL;
  for (size_t i = 0; mandat_lexicons[i]; i++)
    if (strcmp(mandat_lexicons[i]->lang, lang) == 0) return mandat_lexicons[i];
  return NULL;
}
