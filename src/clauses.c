/* clauses.c: mandate clauses.
 *
 * One clause per main-clause verb whose subject is the adopting body: the verb
 * that opens the paragraph, and every later verb of the operative-verb table that
 * follows a separator (« , », « ; », « , et », "and"), possibly through a clitic
 * pronoun (« et lui demande », « les invite »).  Verbs inside quotations and
 * parentheses, and verbs after a subject (« comme elle le préconise »), are not
 * clauses.  For directive verbs the addressees follow the verb up to the
 * complementiser (« de », « à », "to") that opens the action.  All the words come
 * from the lexicon; this file holds only the procedure.  Linear in the paragraph
 * length (each scan is bounded by a constant number of lexicon lookups). */
#include "clauses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexmatch.h"

/* Bounds on what an addressee phrase may span, in words: past them the words are
 * not an addressee but the object of the verb (« encourage le renforcement … »). */
#define MAX_ADDRESSEE_WORDS 14
#define MAX_QUALIFIER_WORDS 12
/* Words that may still qualify the last addressee before the action (« les États
 * Parties au Protocole contre la fabrication et le trafic illicites d'armes à feu, de
 * leurs pièces, éléments et munitions à renforcer »). */
#define MAX_EXTENSION_WORDS 24
/* An apposition between an addressee and its action is a phrase or a short list
 * (« , concernant la vente d'enfants, la prostitution … et la pornographie …, »). */
#define MAX_APPOSITION_COMMAS 4

static size_t skip_sp(const char *t, size_t n, size_t i) {
  while (i < n && t[i] == ' ') i++;
  return i;
}

static bool is_word_char(const char *t, size_t n, size_t i) {
  unsigned char c = (unsigned char)t[i];
  return lex_is_letter(t + i, n - i) || (c >= '0' && c <= '9') || c == '-' || c == '\'' ||
         (c >= 0x80 && !(c == 0xC2 && i + 1 < n && ((unsigned char)t[i + 1] == 0xAB ||
                                                    (unsigned char)t[i + 1] == 0xBB ||
                                                    (unsigned char)t[i + 1] == 0xA0)));
}

/* End of the word starting at i. */
static size_t word_end(const char *t, size_t n, size_t i) {
  while (i < n && is_word_char(t, n, i)) {
    /* « d'élaborer »: an elided article ends its own word */
    if (t[i] == '\'') return i + 1;
    if ((unsigned char)t[i] == 0xE2 && i + 2 < n && (unsigned char)t[i + 1] == 0x80 &&
        (unsigned char)t[i + 2] == 0x99)
      return i + 3;
    i++;
  }
  return i;
}

/* The lexicon of a paragraph with the indexes of its lists, and the hash of the
 * word last looked up: the scans below try several lists at one word, which is
 * hashed once. */
typedef struct {
  const mandat_lexicon *lx;
  const lex_tables *T;
  lex_memo memo;
} lexi;

static bool any_form(lexi *L, const lex_table *list, const char *t, size_t n, size_t *k) {
  return lex_match(list, t, n, &L->memo, k) >= 0;
}

/* Is the word at i an infinitive (by the lexicon's suffixes; with no suffix list,
 * any lower-case word, as after English "to")? */
static bool infinitive_word(lexi *L, const char *t, size_t n, size_t i);

static bool is_infinitive(lexi *L, const char *t, size_t n, size_t i) {
  size_t k;
  if (infinitive_word(L, t, n, i)) return true;
  /* clitics before an infinitive: « à s'abstenir », « d'en appliquer », « de ne pas » */
  for (int guard = 0; guard < 3 && any_form(L, L->T->infinitive_clitics, t + i, n - i, &k); guard++)
    i = skip_sp(t, n, i + k);
  return infinitive_word(L, t, n, i);
}

/* The word at i itself is an infinitive. */
static bool infinitive_word(lexi *L, const char *t, size_t n, size_t i) {
  const mandat_lexicon *lx = L->lx;
  if (i >= n || !lex_is_lower(t + i, n - i)) return false;
  size_t e = word_end(t, n, i);
  if (!lx->infinitive_suffixes || !lx->infinitive_suffixes[0]) return e > i;
  for (int s = 0; lx->infinitive_suffixes[s]; s++) {
    size_t sl = strlen(lx->infinitive_suffixes[s]);
    if (e - i > sl + 1 && memcmp(t + e - sl, lx->infinitive_suffixes[s], sl) == 0) return true;
  }
  return false;
}

/* A complementiser opening the action at i (« de faire », « d'élaborer », « à
 * renforcer », "to consider").  Returns its length, 0 if none. */
static size_t complementiser(lexi *L, const char *t, size_t n, size_t i) {
  size_t k, q;
  /* after an addressee, « que » opens a finite action: « Pide a la Oficina que siga »
   * (not an elided « qu' »: « ainsi qu'à tous les organismes » goes on listing) */
  if (any_form(L, L->T->subjunctive_complementizers, t + i, n - i, &k) && t[i + k - 1] != '\'' &&
      !(k >= 3 && (unsigned char)t[i + k - 1] == 0x99))
    return k;
  if (!any_form(L, L->T->complementizers, t + i, n - i, &k)) return 0;
  size_t j = skip_sp(t, n, i + k);
  /* « Insta a los Estados a que ratifiquen » */
  if (any_form(L, L->T->subjunctive_complementizers, t + j, n - j, &q)) return k;
  return is_infinitive(L, t, n, j) ? k : 0;
}

/* ------------------------------------------------------------- verb phrases */

typedef struct {
  size_t at, len; /* the verb phrase */
  size_t pron_at, pron_len; /* a clitic pronoun before the verb (« lui demande ») */
  mandat_force force;
  bool declaration; /* first-person plural of a declaration */
} vphrase;

/* Longest match of the declaration verbs (declaration) or the operative verbs at
 * t; with skip_nous, the declaration verbs' first word (the pronoun « Nous ») is
 * skipped so that « et invitons » matches « Nous invitons ».  Returns the index
 * in the verb table, or -1. */
static int verb_match(lexi *L, bool declaration, const char *t, size_t n, bool skip_nous,
                      size_t *len) {
  if (!declaration) return lex_match(L->T->operative_verbs, t, n, &L->memo, len);
  if (!skip_nous) return lex_match(L->T->declaration_verbs, t, n, &L->memo, len);
  int b = lex_match_all(L->T->bare_declaration_verbs, t, n, len); /* few forms, all tried */
  return b < 0 ? -1 : L->T->bare_verb[b];
}

/* Formulaic adverbs and complements after a verb or head (« instamment », « de
 * nouveau », « avec satisfaction »); returns the new end.  *urging is set when an
 * adverb strengthens the verb (« instamment », "strongly"). */
static size_t verb_tail(lexi *L, const char *t, size_t n, size_t end, bool *urging) {
  size_t k;
  for (;;) {
    size_t j = skip_sp(t, n, end);
    if (any_form(L, L->T->urging_adverbs, t + j, n - j, &k)) {
      *urging = true;
      end = j + k;
    } else if (any_form(L, L->T->formulaic_adverbs, t + j, n - j, &k) ||
               any_form(L, L->T->complements, t + j, n - j, &k)) {
      end = j + k;
    } else {
      return end;
    }
  }
}

/* The verb phrase at t+i: formulaic adverbs before it ("Also requests"), the verb,
 * adverbs and complements after it. */
static bool verb_at(lexi *L, const char *t, size_t n, size_t i, bool declaration,
                    bool later, vphrase *vp) {
  size_t k, j = i;
  bool urging = false;
  int idx = -1;
  const mandat_lexicon *lx = L->lx;
  const lex_verb *table = lx->operative_verbs;
  for (int guard = 0; guard < 4; guard++) {
    if (declaration) {
      idx = verb_match(L, true, t + j, n - j, later, &k);
      if (idx >= 0) {
        table = lx->declaration_verbs;
        break;
      }
    }
    idx = verb_match(L, false, t + j, n - j, false, &k);
    if (idx >= 0) break;
    size_t a;
    if (any_form(L, L->T->urging_adverbs, t + j, n - j, &a)) urging = true;
    else if (!any_form(L, L->T->formulaic_adverbs, t + j, n - j, &a)) return false;
    j = skip_sp(t, n, j + a);
  }
  if (idx < 0) return false;
  if (later && !lex_is_lower(t + j, n - j)) return false;
  vp->at = i;
  vp->force = table[idx].force;
  vp->declaration = table == lx->declaration_verbs;
  size_t end = verb_tail(L, t, n, j + k, &urging);
  vp->len = end - i;
  if (urging && (vp->force == MANDAT_FORCE_REQUEST || vp->force == MANDAT_FORCE_INVITATION))
    vp->force = MANDAT_FORCE_URGE;
  return true;
}

/* The leading infinitives of a declaration item (« Élaborer et mettre en œuvre »,
 * « Promouvoir, faciliter et appuyer »): the first word, and further infinitives
 * coordinated with it. */
static size_t infinitive_head(lexi *L, const char *t, size_t n) {
  size_t k, end;
  if (any_form(L, L->T->infinitive_phrases, t, n, &k)) end = k;
  else end = word_end(t, n, 0);
  for (;;) {
    size_t j = end;
    if (j < n && t[j] == ',') j++;
    j = skip_sp(t, n, j);
    if (any_form(L, L->T->clause_coordinators, t + j, n - j, &k)) j = skip_sp(t, n, j + k);
    else if (j == skip_sp(t, n, end)) break; /* neither comma nor « et » */
    size_t e2;
    if (any_form(L, L->T->infinitive_phrases, t + j, n - j, &k)) e2 = j + k;
    else if (infinitive_word(L, t, n, j)) e2 = word_end(t, n, j);
    else break;
    /* only a bare coordination of verbs: the next must be an object, not « de » */
    end = e2;
  }
  bool urging = false;
  return verb_tail(L, t, n, end, &urging);
}

/* ------------------------------------------------------------- clause starts */

typedef struct {
  vphrase v[64]; /* a paragraph with more main verbs than this is cut (never seen: ~6) */
  size_t n;
} starts;

/* Is there a relative pronoun between from and to (word starts only)? */
static bool relative_since(lexi *L, const char *t, size_t from, size_t to) {
  size_t k;
  for (size_t i = from; i < to; i++)
    if ((i == from || t[i - 1] == ' ') && any_form(L, L->T->relative_pronouns, t + i, to - i, &k))
      return true;
  return false;
}

/* Find the main-clause verbs of the paragraph after the first. */
static void later_starts(lexi *L, const char *t, size_t n, bool declaration,
                         size_t from, starts *st) {
  /* the bytes that matter below: « » (lead byte), parentheses, separators and
   * blanks; the others are passed in a tight loop */
  static const bool stop[256] = {[0xC2] = 1, ['('] = 1, [')'] = 1, [','] = 1, [';'] = 1, [' '] = 1};
  int quote = 0, paren = 0;
  size_t clause_from = from;
  for (size_t i = from; i < n && st->n < sizeof st->v / sizeof *st->v; i++) {
    while (i < n && !stop[(unsigned char)t[i]]) i++;
    if (i == n) break;
    unsigned char c = (unsigned char)t[i];
    if (c == 0xC2 && i + 1 < n && (unsigned char)t[i + 1] == 0xAB) quote++;
    else if (c == 0xC2 && i + 1 < n && (unsigned char)t[i + 1] == 0xBB && quote) quote--;
    else if (c == '(') paren++;
    else if (c == ')' && paren) paren--;
    if (quote || paren) continue;
    size_t j, k;
    if (c == ',' || c == ';') clause_from = i + 1;
    if (c == ',' || c == ';') {
      j = skip_sp(t, n, i + 1);
      if (any_form(L, L->T->clause_coordinators, t + j, n - j, &k)) j = skip_sp(t, n, j + k);
    } else if (c == ' ' && any_form(L, L->T->clause_coordinators, t + i + 1, n - i - 1, &k) &&
               !relative_since(L, t, clause_from, i)) {
      /* « … et encourage »; but « … qui a été élaboré … et propose » belongs to
       * the relative clause */
      j = skip_sp(t, n, i + 1 + k);
    } else {
      continue;
    }
    vphrase vp = {0};
    size_t p = j;
    if (any_form(L, L->T->pronouns, t + j, n - j, &k)) {
      size_t after = skip_sp(t, n, j + k);
      if (verb_at(L, t, n, after, declaration, true, &vp)) {
        vp.pron_at = j, vp.pron_len = k;
        st->v[st->n++] = vp;
        i = after + vp.len - 1;
        continue;
      }
    }
    if (verb_at(L, t, n, p, declaration, true, &vp)) {
      /* a verb must be followed by its complement, not end the sentence */
      st->v[st->n++] = vp;
      i = p + vp.len - 1;
    }
  }
}

/* ------------------------------------------------------------- addressees */

static const char *organ_id(const char *organ) {
  static const char *const map[][2] = {{"GA", "general-assembly"}, {"ECOSOC", "ecosoc"},
                                       {"CCPCJ", "ccpcj"},         {"CND", "cnd"},
                                       {"SC", NULL},               {"HRC", NULL}};
  for (size_t i = 0; organ && i < sizeof map / sizeof *map; i++)
    if (strcmp(map[i][0], organ) == 0) return map[i][1];
  return NULL;
}

typedef struct {
  mandat_doc *doc;
  const mandat_lexicon *lx;
  lexi *L;
  const mandat_entity *e;
  mandat_paragraph *p;
  clause_memory *mem;
} ctx;

/* t[*a, *b) without leading blanks and commas, trailing blanks, commas and
 * semicolons. */
static void trim(const char *t, size_t *a, size_t *b) {
  while (*a < *b && (t[*a] == ' ' || t[*a] == ',')) (*a)++;
  while (*b > *a && (t[*b - 1] == ' ' || t[*b - 1] == ',' || t[*b - 1] == ';')) (*b)--;
}

static const char *trimmed(ctx *x, const char *t, size_t a, size_t b) {
  trim(t, &a, &b);
  return doc_str(x->doc, t + a, b - a);
}

/* Plural addressee names end in -s in the languages mandat reads (États Membres,
 * Member States, Estados Miembros). */
static bool plural_name(const char *name) {
  size_t n = name ? strlen(name) : 0;
  return n && name[n - 1] == 's';
}

/* After a clause: its addressees become the antecedents of later pronouns. */
static void remember(clause_memory *m, const mandat_clause *c) {
  if (!c->n_addressees) return;
  m->n_last = 0;
  for (size_t i = 0; i < c->n_addressees && m->n_last < 8; i++) {
    m->last[m->n_last++] = c->addressees[i];
    if (c->addressees[i].id && !plural_name(c->addressees[i].name))
      m->one = c->addressees[i], m->has_one = true;
  }
}

static void add_addressee(mandat_clause *c, const char *id, const char *name, const char *text) {
  for (size_t i = 0; i < c->n_addressees; i++)
    if (c->addressees[i].name && name && strcmp(c->addressees[i].name, name) == 0) return;
  mandat_addressee *a = clause_add_addressee(c);
  a->id = id;
  a->name = name;
  a->text = text;
}

/* Resolve a pronoun: a plural one (« les », « leur », "them") to the previous
 * clause's addressees, a singular one to the last single addressee. */
static void add_pronoun(ctx *x, mandat_clause *c, const char *t, size_t at, size_t len) {
  const char *text = doc_str(x->doc, t + at, len);
  size_t k;
  bool many = any_form(x->L, x->L->T->plural_pronouns, t + at, len, &k) && k == len;
  clause_memory *m = x->mem;
  if (!many) {
    /* the last single addressee asked earlier in this paragraph (« Prie le
     * Secrétaire général … et le prie également »); failing that, the last one of
     * the vocabulary named before the pronoun (« Salue les efforts déployés par
     * l'Office … et lui demande »); failing that, the last one asked to act */
    for (size_t ci = x->p->n_clauses; ci-- > 0;) {
      const mandat_clause *pc = &x->p->clauses[ci];
      if (pc == c) continue;
      for (size_t ai = pc->n_addressees; ai-- > 0;)
        if (pc->addressees[ai].id && !plural_name(pc->addressees[ai].name)) {
          add_addressee(c, pc->addressees[ai].id, pc->addressees[ai].name, text);
          return;
        }
    }
    int found = -1;
    for (size_t i = 0; i < at; i++) {
      if (i > 0 && t[i - 1] != ' ' && t[i - 1] != '\'' && (unsigned char)t[i - 1] != 0x99) continue;
      size_t ak;
      int a = lex_match(x->L->T->addressees, t + i, at - i, &x->L->memo, &ak);
      if (a >= 0 && x->lx->addressees[a].id && !plural_name(x->lx->addressees[a].name)) found = a, i += ak - 1;
    }
    if (found >= 0) {
      add_addressee(c, x->lx->addressees[found].id, x->lx->addressees[found].name, text);
      return;
    }
    if (m->has_one) {
      add_addressee(c, m->one.id, m->one.name, text);
      return;
    }
  }
  for (size_t i = 0; i < m->n_last; i++) add_addressee(c, m->last[i].id, m->last[i].name, text);
}

/* « États parties » is qualified by the instrument the paragraph names. */
static const char *qualify_parties(ctx *x, const char *id, const char *name) {
  if (!id || strcmp(id, "states-parties") != 0 || !x->lx->treaties || strchr(name, '(')) return name;
  const char *t = x->p->text;
  int i;
  if (lex_find_in(x->L->T->treaties, t, strlen(t), &i, NULL) >= 0) {
    char buf[200];
    snprintf(buf, sizeof buf, "%s (%s)", name, x->lx->treaties[i].id);
    return doc_strz(x->doc, buf);
  }
  return name;
}

/* One addressee phrase at i: determiners, then a known addressee or unknown words,
 * then qualifiers (« qui ne l'ont pas encore fait »).  Returns its end, 0 if none
 * (no complementiser or separator within bounds). */
static size_t one_addressee(ctx *x, mandat_clause *c, const char *t, size_t end, size_t i,
                            bool need_known, const char *det, size_t det_len) {
  const mandat_lexicon *lx = x->lx;
  lexi *L = x->L;
  size_t k, j = i;
  for (int guard = 0; guard < 3 && any_form(L, L->T->determiners, t + j, end - j, &k); guard++)
    j = skip_sp(t, end, j + k);
  if (j >= end) return 0;
  /* a later name the vocabulary does not know must share the first one's
   * determiner: « les États parties à la Convention et aux protocoles » is one
   * addressee, « aux États Membres et aux organisations … » two */
  if (det && lex_match(L->T->addressees, t + j, end - j, &L->memo, &k) < 0 &&
      !(j - i >= det_len && memcmp(t + i, det, det_len) == 0))
    return 0;
  if (j > i && any_form(L, L->T->pronouns, t + j, end - j, &k) &&
      complementiser(L, t, end, skip_sp(t, end, j + k))) {
    add_pronoun(x, c, t, i, j + k - i); /* « à celui-ci de » */
    return j + k;
  }
  int known = lex_match(L->T->addressees, t + j, end - j, &L->memo, &k);
  size_t e = known >= 0 ? j + k : j;
  if (known < 0 && (need_known || !lex_is_letter(t + j, end - j))) return 0;
  /* words up to the complementiser, a separator or the end */
  size_t words = 0, limit = known >= 0 ? MAX_QUALIFIER_WORDS : MAX_ADDRESSEE_WORDS;
  size_t w = skip_sp(t, end, e);
  while (w < end && words <= limit) {
    if (complementiser(L, t, end, w) || t[w] == ',' || t[w] == ';' || t[w] == ':' ||
        any_form(L, L->T->addressee_separators, t + w, end - w, &k))
      break;
    if (t[w] == '(' ) {
      const char *rp = memchr(t + w, ')', end - w);
      if (!rp) break;
      w = skip_sp(t, end, (size_t)(rp - t) + 1);
      e = w;
      continue;
    }
    size_t we = word_end(t, end, w);
    if (we == w) break;
    /* a relative clause (« … en ce qui concerne … ») is not part of an unknown name */
    if (known < 0 && any_form(L, L->T->relative_pronouns, t + w, end - w, &k) && k == we - w)
      return 0;
    e = we;
    w = skip_sp(t, end, we);
    words++;
  }
  if (words > limit) return 0;
  if (known < 0 && e == j) return 0;
  const char *text = trimmed(x, t, i, e);
  if (known >= 0) {
    const char *name = qualify_parties(x, lx->addressees[known].id, lx->addressees[known].name);
    add_addressee(c, lx->addressees[known].id, name, text);
  } else {
    add_addressee(c, NULL, trimmed(x, t, j, e), text);
  }
  return e;
}

/* The addressees after a directive verb, from i up to the complementiser; returns
 * where the action starts. */
static size_t addressees(ctx *x, mandat_clause *c, const char *t, size_t end, size_t i) {
  lexi *L = x->L;
  size_t k;
  i = skip_sp(t, end, i);
  while (any_form(L, L->T->discourse_adverbials, t + i, end - i, &k)) {
    i = skip_sp(t, end, i + k);
    if (i < end && t[i] == ',') i = skip_sp(t, end, i + 1);
  }
  if (any_form(L, L->T->pronouns, t + i, end - i, &k)) {
    size_t j = skip_sp(t, end, i + k);
    if (complementiser(L, t, end, j)) {
      add_pronoun(x, c, t, i, k);
      return j;
    }
  }
  if (any_form(L, L->T->subjunctive_complementizers, t + i, end - i, &k)) {
    /* « Recommande que les États Membres … adoptent »: the subject acts */
    size_t j = skip_sp(t, end, i + k);
    size_t e = one_addressee(x, c, t, end, j, true, NULL, 0);
    if (!e) return i;
    e = skip_sp(t, end, e);
    /* « que les États Membres, agissant en fonction de leur situation propre,
     * adoptent »: the action starts at the verb, after the apposition */
    if (e < end && t[e] == ',') {
      const char *comma = memchr(t + e + 1, ',', end - e - 1);
      if (comma && (size_t)(comma - t) - e < 200) e = skip_sp(t, end, (size_t)(comma - t) + 1);
    }
    return e;
  }
  size_t pos = i, first = 1;
  /* a list of more than 3 names none of which the vocabulary knows is an object */
  size_t det_len = 0, prev_start = i;
  any_form(L, L->T->determiners, t + i, end - i, &det_len);
  for (int guard = 0; guard < 12; guard++) {
    if (guard >= 3) {
      bool any_known = false;
      for (size_t a = 0; a < c->n_addressees; a++) any_known |= c->addressees[a].id != NULL;
      if (!any_known) break;
    }
    size_t e = one_addressee(x, c, t, end, pos, false, first ? NULL : t + i, det_len);
    if (!e) {
      if (first) return i;
      /* not another addressee: words that qualify the last one (« … et aux
       * protocoles s'y rapportant »), when the action follows soon; only a name
       * of the vocabulary is qualified so (an unknown one is likely no addressee) */
      if (!c->addressees[c->n_addressees - 1].id) break;
      size_t w = pos;
      for (int words = 0; w < end && words < MAX_EXTENSION_WORDS; words++) {
        if (complementiser(L, t, end, w)) {
          mandat_addressee *last = &c->addressees[c->n_addressees - 1];
          last->text = trimmed(x, t, prev_start, w);
          return w;
        }
        w = skip_sp(t, end, word_end(t, end, w) + (w < end && (t[w] == ',' || t[w] == '(' || t[w] == ')')));
      }
      break;
    }
    prev_start = pos;
    first = 0;
    pos = skip_sp(t, end, e);
    size_t cl = complementiser(L, t, end, pos);
    if (cl) return pos;
    /* apposition: « les États Membres, agissant conformément à leur droit interne, à » */
    if (pos < end && t[pos] == ',') {
      size_t q = skip_sp(t, end, pos + 1);
      size_t d;
      bool another = any_form(L, L->T->determiners, t + q, end - q, &d) ||
                     lex_match(L->T->addressees, t + q, end - q, &L->memo, &d) >= 0 ||
                     any_form(L, L->T->addressee_separators, t + q, end - q, &d);
      if (!another) {
        /* the apposition runs to the comma that the action follows; it may hold
         * commas of its own (« , concernant la vente d'enfants, la prostitution
         * des enfants et …, de respecter »): look a few commas ahead */
        size_t from = q;
        for (int commas = 0; commas < MAX_APPOSITION_COMMAS; commas++) {
          const char *comma = memchr(t + from, ',', end - from);
          if (!comma) break;
          size_t after = skip_sp(t, end, (size_t)(comma - t) + 1);
          if (complementiser(L, t, end, after)) return after;
          from = after;
        }
        const char *comma = memchr(t + q, ',', end - q);
        if (!comma) break;
        pos = skip_sp(t, end, (size_t)(comma - t) + 1);
        continue;
      }
      pos = q;
    }
    if (any_form(L, L->T->addressee_separators, t + pos, end - pos, &k))
      pos = skip_sp(t, end, pos + k);
    else if (pos >= end || !(t[pos - 1] == ' ' || t[pos - 1] == ',')) break;
  }
  /* no complementiser: the words after the verb were its object, not addressees
   * (« encourage le renforcement … »); only addressees of the vocabulary stay */
  size_t kept = 0;
  for (size_t a = 0; a < c->n_addressees; a++)
    if (c->addressees[a].id) c->addressees[kept++] = c->addressees[a];
  c->n_addressees = kept;
  return kept ? pos : i;
}

/* Gapped requests: « Demande aux États Membres d'… et aux États Parties d'… »:
 * further addressees inside the action, after a gapping marker. */
static void gapped(ctx *x, mandat_clause *c, const char *t, size_t from, size_t end) {
  const mandat_lexicon *lx = x->lx;
  lexi *L = x->L;
  if (!lx->gapping_markers) return;
  for (size_t i = from; i < end; i++) {
    if (t[i] != ' ' && t[i] != ',') continue;
    size_t j = skip_sp(t, end, i + 1), k;
    int g = lex_match(L->T->gapping_markers, t + j, end - j, &L->memo, &k);
    if (g < 0) continue;
    /* the marker ends with its preposition; the addressee phrase follows */
    size_t a = skip_sp(t, end, j + k);
    /* « … et à veiller à ce que … » coordinates an infinitive, not an addressee;
     * and « … et au fait que … » is no addressee of the vocabulary */
    if (is_infinitive(L, t, end, a)) continue;
    size_t before = c->n_addressees;
    size_t e = one_addressee(x, c, t, end, a, true, NULL, 0);
    if (e && complementiser(L, t, end, skip_sp(t, end, e))) {
      i = e;
      continue;
    }
    c->n_addressees = before; /* not a gapped request: undo */
  }
}

/* ------------------------------------------------------------- conditions */

typedef struct {
  size_t at, len;
} span;

static void conditions(ctx *x, mandat_clause *c, const char *t, size_t from, size_t end) {
  const lex_table *cond = x->L->T->conditions;
  span found[16]; /* a clause names a handful of conditions at most */
  size_t nf = 0;
  size_t k, off = from;
  long at;
  /* one indexed lookup per word; the longest condition at a word wins, and
   * matches come in text order */
  while (cond && off < end && nf < 16 &&
         (at = lex_find_in(cond, t + off, end - off, NULL, &k)) >= 0) {
    found[nf++] = (span){off + (size_t)at, k};
    off += (size_t)at + k;
  }
  for (size_t f = 0; f < nf; f++) {
    bool seen = false; /* the same words twice in a clause are one condition */
    for (size_t g = 0; g < f; g++)
      seen |= found[g].len == found[f].len && memcmp(t + found[g].at, t + found[f].at, found[f].len) == 0;
    if (!seen) clause_add_condition(c, doc_str(x->doc, t + found[f].at, found[f].len));
  }
}

/* ------------------------------------------------------------- reporting */

static void reporting(ctx *x, mandat_clause *c, const char *t, size_t from, size_t end) {
  const mandat_lexicon *lx = x->lx;
  lexi *L = x->L;
  size_t k;
  long rw = lex_find_in(L->T->reporting_words, t + from, end - from, NULL, &k);
  if (rw < 0) return;
  c->has_reporting = true;
  /* the session: a number phrase right before a session word */
  for (int s = 0; lx->session_words && lx->session_words[s] && !c->report_session; s++) {
    size_t off = from, sk;
    long at;
    while (!c->report_session && (at = lex_find(t + off, end - off, lx->session_words[s], &sk)) >= 0) {
      size_t sp = off + (size_t)at;
      size_t lo = sp > from + 80 ? sp - 80 : from;
      for (size_t w = lo; w < sp; w++) {
        if (w > lo && t[w - 1] != ' ' && t[w - 1] != '-') continue;
        size_t nk;
        int v = lex_number(lx, t + w, sp - w, &nk);
        if (v > 0 && skip_sp(t, sp, w + nk) == sp) {
          /* « à ses quatre-vingt-unième et quatre-vingt-deuxième sessions »: the
           * first of the sessions named */
          for (size_t w2 = lo; w2 < w; w2++) {
            if (w2 > lo && t[w2 - 1] != ' ') continue;
            size_t k2, ck;
            int v2 = lex_number(lx, t + w2, w - w2, &k2);
            size_t after = skip_sp(t, w, w2 + k2);
            if (v2 > 0 && any_form(L, L->T->clause_coordinators, t + after, w - after, &ck) &&
                skip_sp(t, w, after + ck) == w) {
              v = v2;
              break;
            }
          }
          char num[16];
          snprintf(num, sizeof num, "%d", v);
          c->report_session = doc_strz(x->doc, num);
          break;
        }
      }
      off = sp + sk;
    }
  }
  char iso[11];
  if (lex_date(lx, t + from, end - from, 0, iso) >= 0) c->report_date = doc_strz(x->doc, iso);
  /* to whom: an organ named after the reporting word, else the adopting body */
  for (size_t i = from + (size_t)rw; i < end; i++) {
    if (i > from && t[i - 1] != ' ') continue;
    int a = lex_match(L->T->addressees, t + i, end - i, &L->memo, &k);
    if (a >= 0 && lx->addressees[a].id &&
        (strcmp(lx->addressees[a].id, "general-assembly") == 0 ||
         strcmp(lx->addressees[a].id, "ecosoc") == 0 || strcmp(lx->addressees[a].id, "ccpcj") == 0 ||
         strcmp(lx->addressees[a].id, "cnd") == 0)) {
      c->report_to = lx->addressees[a].id;
      return;
    }
  }
  const mandat_entity *e = x->e;
  while (e && !e->organ && e->parent >= 0) e = &x->doc->ents[e->parent];
  c->report_to = organ_id(e ? e->organ : NULL);
}

/* ------------------------------------------------------------- clauses */

static bool directive(mandat_force f) {
  return f == MANDAT_FORCE_REQUEST || f == MANDAT_FORCE_URGE || f == MANDAT_FORCE_INVITATION ||
         f == MANDAT_FORCE_RECOMMENDATION;
}

static void fill_clause(ctx *x, const vphrase *vp, size_t end) {
  const mandat_lexicon *lx = x->lx;
  lexi *L = x->L;
  const char *t = x->p->text;
  mandat_clause *c = para_add_clause(x->p);
  c->verb = doc_str(x->doc, t + vp->at, vp->len);
  c->force = vp->force;
  size_t i = vp->at + vp->len, k;
  size_t action = i;
  if (directive(vp->force)) {
    if (vp->pron_len) {
      add_pronoun(x, c, t, vp->pron_at, vp->pron_len);
      action = skip_sp(t, end, i);
    } else {
      action = addressees(x, c, t, end, i);
    }
    gapped(x, c, t, action, end);
  } else {
    for (;;) {
      size_t j = skip_sp(t, end, action);
      if (j < end && t[j] == ',') j = skip_sp(t, end, j + 1);
      if (any_form(L, L->T->discourse_adverbials, t + j, end - j, &k)) action = j + k;
      else break;
    }
  }
  /* the action, trimmed, less a trailing coordinator left by the next clause
   * (« …, et »), trimmed again: bounds first, one copy */
  size_t a = action, b = end;
  trim(t, &a, &b);
  for (int i2 = 0; lx->clause_coordinators && lx->clause_coordinators[i2]; i2++) {
    size_t cl = strlen(lx->clause_coordinators[i2]);
    if (b - a > cl + 1 && t[b - cl - 1] == ' ' &&
        memcmp(t + b - cl, lx->clause_coordinators[i2], cl) == 0) {
      b -= cl;
      trim(t, &a, &b);
      break;
    }
  }
  c->action = doc_str(x->doc, t + a, b - a);
  conditions(x, c, t, vp->at, end);
  if (directive(vp->force)) reporting(x, c, t, action, end);
  remember(x->mem, c);
}

void clauses_extract(mandat_doc *doc, const mandat_entity *e, mandat_paragraph *p,
                     clause_memory *mem) {
  const mandat_lexicon *lx = doc->lex;
  const char *t = p->text;
  size_t n = strlen(t);
  if (!n || !lx) return;
  lexi lk = {lx, lex_tables_of(lx), {0}}, *L = &lk;
  ctx x = {doc, lx, L, e, p, mem};
  bool decl = e->kind == MANDAT_ENTITY_DECLARATION;
  starts st = {.n = 0};
  vphrase first = {0};
  size_t k;
  bool item = decl && lex_is_upper(t, n) &&
              !(any_form(L, L->T->declaration_subjects, t, n, &k) && k == word_end(t, n, 0));
  if (item) {
    /* an item under « Nous entendons … prendre les mesures suivantes : »: its
     * leading infinitives; the force of the first when the lexicon knows it */
    size_t vk;
    int idx = verb_match(L, true, t, n, false, &vk);
    first.len = infinitive_head(L, t, n);
    first.force = idx >= 0 ? lx->declaration_verbs[idx].force : MANDAT_FORCE_OTHER;
    st.v[st.n++] = first;
  } else if (verb_at(L, t, n, 0, decl, false, &first)) {
    st.v[st.n++] = first;
  } else {
    /* no known verb: the first word stands for it, so no clause is lost */
    first.len = word_end(t, n, 0);
    first.force = MANDAT_FORCE_OTHER;
    if (!first.len) return;
    st.v[st.n++] = first;
  }
  later_starts(L, t, n, decl, st.v[0].len, &st);
  for (size_t i = 0; i < st.n; i++) {
    size_t end = i + 1 < st.n ? (st.v[i + 1].pron_len ? st.v[i + 1].pron_at : st.v[i + 1].at) : n;
    /* back over the separator and coordinator before the next clause */
    while (end > st.v[i].at + st.v[i].len && (t[end - 1] == ' ')) end--;
    fill_clause(&x, &st.v[i], end);
  }
}

mandat_force clauses_opening_verb(const mandat_lexicon *lx, const char *text, size_t n, size_t *len) {
  vphrase vp = {0};
  lexi L = {lx, lex_tables_of(lx), {0}};
  if (!verb_at(&L, text, n, 0, true, false, &vp)) {
    *len = 0;
    return MANDAT_FORCE_NONE;
  }
  *len = vp.len;
  return vp.force;
}
