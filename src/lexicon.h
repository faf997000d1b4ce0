/* lexicon.h: the language knowledge of mandat, as data.
 *
 * One table per language (lexicon_fr.c, lexicon_en.c, lexicon_es.c).  Code never
 * tests a word of a language itself: it asks the lexicon.  A new language is a new
 * table plus one line in lexicon.c.
 *
 * All strings are UTF-8, NFC, written with the ASCII apostrophe ' (matching folds the
 * typographic ’ to ').  Forms are written as they appear at the start of a paragraph
 * (capitalised); matching compares case-insensitively on the first letter only, so
 * « prie » inside a paragraph matches the form « Prie ».  Every list ends with a
 * NULL (or zeroed) entry. */
#ifndef MANDAT_LEXICON_H
#define MANDAT_LEXICON_H

#include "mandat.h"

/* A phrase with an integer value: month names (1..12), number words, etc. */
typedef struct {
  const char *form;
  int value;
} lex_value;

/* An operative verb (finite form used by the adopting body, or the first-person
 * plural of a declaration, or an infinitive heading a declaration item). */
typedef struct {
  const char *form;   /* "Prie", "Invite instamment", "Prend note", "Se félicite" */
  mandat_force force; /* MANDAT_FORCE_REQUEST, ... */
} lex_verb;

/* An adopting body as named in the chapeau (« L'Assemblée générale, »). */
typedef struct {
  const char *form;  /* "L'Assemblée générale", "The General Assembly" */
  const char *organ; /* "GA", "ECOSOC", "SC", "HRC", "CCPCJ", "CND" */
} lex_organ;

/* An addressee phrase and its vocabulary id (parse-json.md, "Addressee ids"). */
typedef struct {
  const char *form; /* "les États Membres", "l'Office des Nations Unies contre la drogue et le crime" */
  const char *id;   /* "member-states", "unodc", or NULL when outside the vocabulary */
  const char *name; /* short canonical name in this language: "États Membres", "ONUDC" */
} lex_addressee;

/* A named treaty or instrument and its short id. */
typedef struct {
  const char *form; /* "Convention des Nations Unies contre la criminalité transnationale organisée" */
  const char *id;   /* "UNTOC" */
} lex_treaty;

typedef struct mandat_lexicon {
  const char *lang; /* ISO 639-1: "fr", "en", "es" */

  /* --- language detection: very frequent function words of the language ------ */
  const char *const *stopwords;

  /* --- preambular paragraphs -------------------------------------------------- */
  /* Participles / adjectives that open a preambular paragraph, every gender and
   * number ("Préoccupée", "Préoccupé", "Préoccupées"), multiword heads included
   * ("Tenant compte", "Ayant à l'esprit", "Prenant note", "Se déclarant",
   * "Bearing in mind", "Taking note", "Teniendo presente"). */
  const char *const *preamble_heads;
  /* Adverbs that may precede a head and belong to the opening ("Vivement",
   * "Profondément", "Deeply", "Gravely", "Profundamente"). */
  const char *const *preamble_pre_adverbs;
  /* Formulaic adverbs that may follow a head or a verb and belong to it
   * ("également", "en outre", "de nouveau", "à nouveau", "vivement", "instamment",
   * "also", "further", "again", "strongly", "asimismo", "además"). */
  const char *const *formulaic_adverbs;
  /* Fixed complements of a formula, following head (+ adverbs): "avec satisfaction",
   * "avec une profonde inquiétude", "en s'en félicitant", "sa profonde
   * préoccupation", "préoccupée" (after « Se déclarant »), "with appreciation",
   * "its deep concern", "con satisfacción". */
  const char *const *complements;

  /* --- operative paragraphs --------------------------------------------------- */
  /* Finite verbs of the adopting body (3rd person singular), multiword forms and
   * forms with a built-in adverb that changes the force ("Invite instamment" is
   * MANDAT_FORCE_URGE while "Invite" is MANDAT_FORCE_INVITATION). */
  const lex_verb *operative_verbs;
  /* First-person plural verbs of a declaration ("Nous nous engageons", "We commit"). */
  const lex_verb *declaration_verbs;

  /* --- entity headings and metadata ------------------------------------------ */
  const lex_organ *organs;           /* chapeau formulas */
  const char *const *declaration_chapeaux; /* "Nous, chefs d'État et de gouvernement" */
  const char *const *resolution_adopted;   /* "Résolution adoptée par" (… organ … le DATE) */
  const char *const *draft_headings;       /* "Projet de résolution", "Draft resolution" */
  const char *const *annex_headings;       /* "Annexe", "Annex", "Anexo" */
  const char *const *declaration_words;    /* "Déclaration", "Declaration", "Declaración" */
  const char *const *agenda_item;          /* "Point", "Agenda item", "Tema" (before the number) */
  const char *const *plenary_meeting;      /* "séance plénière", "plenary meeting", "sesión plenaria" */
  const char *const *session_words;        /* "session", "session", "período de sesiones" */
  const lex_value *months;                 /* "janvier" 1 … ; "January" 1 … */
  /* Number words, cardinal and ordinal, compound parts included ("quatre-vingt" 80,
   * "dix" 10, "unième" 1, "premier" 1, "eighty" 80, "first" 1, "octogésimo" 80,
   * "primer" 1).  A compound is the sum of its parts, longest part first. */
  const lex_value *numbers;
  /* Words ignored inside a number phrase ("et", "and", "y"). */
  const char *const *number_joiners;

  /* --- clauses (issue 4) ------------------------------------------------------ */
  const lex_addressee *addressees;
  const char *const *conditions; /* "dans la limite des ressources existantes", "within existing resources" */
  const lex_treaty *treaties;

  /* --- citations (cite.c) ----------------------------------------------------- */
  /* Words that introduce resolution or decision numbers, singular and plural
   * ("Résolution", "Résolutions", "Resolution", "Resoluciones"). */
  const char *const *resolution_words;
  const char *const *decision_words;
  /* A body named next to resolution numbers, with its organ id: after the numbers
   * or after the word (« du Conseil économique et social », "of the Security
   * Council", « de la Conférence des Parties à la Convention … ») or before the word
   * ("Security Council resolution 1373 (2001)").  Ids beyond the chapeau organs:
   * "CHR", "CSW", "STATCOM", "WHA", "CTOC-COP", "COSP", "COP" (a conference whose
   * convention is not named), "COMMISSION" (« de la Commission », not named). */
  const lex_organ *cite_bodies;
  /* Words before a date that follows a resolution number (« du », "of", « de »). */
  const char *const *cite_date_intros;
  /* Words joining the numbers of an enumeration (« et », "and", « y »). */
  const char *const *cite_joiners;

  /* --- clauses (clauses.c) ----------------------------------------------------- */
  /* Words that coordinate main clauses (« et », "and", « y », « e »). */
  const char *const *clause_coordinators;
  /* Pronouns standing for a previous addressee, before the verb in French and
   * Spanish (« lui », « les », « leur », « le ») or after it in English ("it",
   * "them"), and demonstratives (« celui-ci », « ce dernier »). */
  const char *const *pronouns;
  /* Articles and prepositions before an addressee (« les », « aux », « à l' »,
   * « tous les », "the", "all", « a los », « todos los »). */
  const char *const *determiners;
  /* Words that open the action after the addressee, when an infinitive follows
   * (« de », « d' », « à », "to", « a »). */
  const char *const *complementizers;
  /* Words that open a subjunctive action whose subject is the addressee
   * (« que », « qu' », "that", « que »). */
  const char *const *subjunctive_complementizers;
  /* Endings of infinitives (« er », « ir », « re »; « ar »); empty: any word. */
  const char *const *infinitive_suffixes;
  /* Clitics between a complementiser and its infinitive (« se », « s' », « y »,
   * « en », « ne »). */
  const char *const *infinitive_clitics;
  /* Fixed infinitive phrases heading a declaration item (« mettre en œuvre »,
   * « prendre en compte », « redoubler d'efforts »). */
  const char *const *infinitive_phrases;
  /* Words between two addressees (« et », « ainsi que », "and", "as well as"). */
  const char *const *addressee_separators;
  /* Adverbs that turn a request or invitation into an urging (« instamment »,
   * "strongly", "urgently", « encarecidamente »). */
  const char *const *urging_adverbs;
  /* Discourse adverbials that are not part of a verb (« à cet égard », "in this
   * regard"). */
  const char *const *discourse_adverbials;
  /* Words of a request to report (« rapport », « rendre compte », "report",
   * « informe »). */
  const char *const *reporting_words;
  /* Markers of a gapped second addressee (« et aux », « et à l' », "and upon"),
   * each ending with the preposition that governs the addressee. */
  const char *const *gapping_markers;
  /* The subject pronoun of a declaration's finite verbs (« Nous », "We"); verbs
   * coordinated later in a sentence are matched without it (« et invitons »). */
  const char *const *declaration_subjects;
  /* The pronouns of `pronouns` that stand for several addressees (« les »,
   * « leur », "them", « los »): they take the previous clause's addressees; the
   * others take the last single addressee. */
  const char *const *plural_pronouns;
  /* Relative pronouns (« qui », « dont », "which", "who"): a verb coordinated
   * after one without a comma belongs to the relative clause, not to the body. */
  const char *const *relative_pronouns;

  /* --- citations, continued (cite.c) ------------------------------------------- */
  /* Possessives before a resolution word that point to the subject: the adopting
   * body (« sa résolution », "its resolutions") or an organ just named (« la
   * Commission …, dans sa résolution 34/1 »): « sa », « ses », « sa propre », "its",
   * "its own", « su », « sus ». */
  const char *const *cite_possessives;
} mandat_lexicon;

/* All languages mandat knows, NULL-terminated, French first. */
extern const mandat_lexicon *const mandat_lexicons[];

extern const mandat_lexicon mandat_lexicon_fr;
extern const mandat_lexicon mandat_lexicon_en;
extern const mandat_lexicon mandat_lexicon_es;

/* The lexicon for a language code, or NULL. */
const mandat_lexicon *mandat_lexicon_get(const char *lang);

#endif
