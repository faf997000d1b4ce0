/* render_akn.c: Akoma Ntoso 3.0 XML of a resolution in the AKN4UN conventions
 * (docs/export.md): <statement name="resolution"> with FRBR identification,
 * preface, preamble (one container per preambular paragraph), mainBody (one
 * paragraph per operative paragraph, sub-paragraphs as subparagraph), footnotes as
 * authorialNote, annexed entities as attachments.  Valid against the OASIS schema
 * (tests/akn/akomantoso30.xsd).
 *
 * libxml2 boundary: a xmlTextWriter writes into a xmlBuffer; both are created and
 * freed in render_akn, the writer first (it flushes), and the bytes are copied into
 * the caller's mandat_buf.  The writer escapes text and attribute values. */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"

#define AKN_NS "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#define EID_MAX 512 /* far above the deepest eId (att_1__att_1__para_12bis__subpara_iv…) */

typedef struct {
  xmlTextWriterPtr w;
  const mandat_doc *d;
  const char *lang3;    /* ISO 639-2: "fra" */
  char today[11];       /* manifestation date */
  char prefix[EID_MAX]; /* eId prefix of the current attachment: "" or "att_1__" */
  char **used;          /* every eId written in this document, for uniqueness */
  size_t n_used, cap_used;
  bool bad; /* a libxml2 call failed (out of memory) */
} akn;

/* --------------------------------------------------------------- writer */

static void check(akn *a, int rc) {
  if (rc < 0)
    a->bad = true;
}

static void start(akn *a, const char *name) {
  check(a, xmlTextWriterStartElement(a->w, (const xmlChar *)name));
}

static void end(akn *a) { check(a, xmlTextWriterEndElement(a->w)); }

/* A line break between block elements (element-only content: not text). */
static void nl(akn *a) { check(a, xmlTextWriterWriteRaw(a->w, (const xmlChar *)"\n")); }

static void attr(akn *a, const char *name, const char *value) {
  check(a, xmlTextWriterWriteAttribute(a->w, (const xmlChar *)name, (const xmlChar *)value));
}

/* n bytes of s as text, without the C0 controls XML 1.0 forbids. */
static void text_n(akn *a, const char *s, size_t n) {
  char *t = xmalloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
      t[k++] = (char)c;
  }
  t[k] = '\0';
  check(a, xmlTextWriterWriteString(a->w, (const xmlChar *)t));
  free(t);
}

static void text(akn *a, const char *s) {
  if (s)
    text_n(a, s, strlen(s));
}

/* An empty element with one attribute, and a line break. */
static void leaf(akn *a, const char *name, const char *k1, const char *v1, const char *k2,
                 const char *v2) {
  start(a, name);
  if (k1)
    attr(a, k1, v1);
  if (k2)
    attr(a, k2, v2);
  end(a), nl(a);
}

/* The eId `local` prefixed with the attachment prefix, written as an attribute and
 * remembered; a clash (two paragraphs printed with the same number) gets a
 * suffix "-2", "-3" … so that eIds stay unique as the schema requires. */
static void eid(akn *a, const char *local, char *out, size_t size) {
  char want[EID_MAX];
  snprintf(want, sizeof want, "%s%s", a->prefix, local);
  snprintf(out, size, "%s", want);
  for (int k = 2;; k++) {
    bool clash = false;
    for (size_t i = 0; i < a->n_used && !clash; i++)
      clash = strcmp(a->used[i], out) == 0;
    if (!clash)
      break;
    snprintf(out, size, "%.*s-%d", (int)(size > 16 ? size - 16 : 0), want, k);
  }
  VEC_GROW(a->used, a->n_used, a->cap_used);
  a->used[a->n_used++] = xstrdup(out);
  attr(a, "eId", out);
}

/* A reference "#<prefix>id" to an element of the current document's references. */
static void ref(akn *a, const char *name, const char *id) {
  char v[EID_MAX + 64];
  snprintf(v, sizeof v, "#%s%s", a->prefix, id);
  attr(a, name, v);
}

/* ------------------------------------------------------------ identity */

/* ISO 639-1 to the ISO 639-2 code of AKN URIs; "und" when unknown. */
static const char *lang3(const char *lang) {
  static const char *const map[][2] = {{"fr", "fra"}, {"en", "eng"}, {"es", "spa"}, {"ar", "ara"},
                                       {"ru", "rus"}, {"zh", "zho"}, {"de", "deu"}, {"pt", "por"}};
  for (size_t i = 0; lang && i < sizeof map / sizeof *map; i++)
    if (strcmp(map[i][0], lang) == 0)
      return map[i][1];
  return "und";
}

/* The adopting organ: eId of its TLCOrganization, actor in URIs, ontology name,
 * and what to show. */
typedef struct {
  const char *organ, *id, *actor, *onto, *show;
} organ_info;

static const organ_info organs[] = {
    {"GA", "ga", "un-ga", "generalAssembly", "General Assembly"},
    {"ECOSOC", "ecosoc", "un-ecosoc", "economicAndSocialCouncil", "Economic and Social Council"},
    {"SC", "sc", "un-sc", "securityCouncil", "Security Council"},
    {"HRC", "hrc", "un-hrc", "humanRightsCouncil", "Human Rights Council"},
    {"CCPCJ", "ccpcj", "un-ccpcj", "commissionOnCrimePreventionAndCriminalJustice",
     "Commission on Crime Prevention and Criminal Justice"},
    {"CND", "cnd", "un-cnd", "commissionOnNarcoticDrugs", "Commission on Narcotic Drugs"},
    {NULL, "un", "un", "unitedNations", "United Nations"}};

/* The organ of e, else of the nearest ancestor that names one. */
static const organ_info *organ_of(const mandat_doc *d, const mandat_entity *e) {
  for (size_t depth = 0; e && depth <= d->n_ents; depth++) {
    for (const organ_info *o = organs; e->organ && o->organ; o++)
      if (strcmp(o->organ, e->organ) == 0)
        return o;
    e = e->parent >= 0 ? mandat_doc_entity(d, (size_t)e->parent) : NULL;
  }
  return &organs[sizeof organs / sizeof *organs - 1];
}

static bool iso_date(const char *s) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return false;
  return true;
}

/* The work date: the adoption date, else an ancestor's; "0001-01-01" (named
 * "unknown" in FRBRdate) when none is known, since AKN URIs and FRBRdate need one. */
static const char *date_of(const mandat_doc *d, const mandat_entity *e) {
  for (size_t depth = 0; e && depth <= d->n_ents; depth++) {
    if (iso_date(e->adoption_date))
      return e->adoption_date;
    e = e->parent >= 0 ? mandat_doc_entity(d, (size_t)e->parent) : NULL;
  }
  return "0001-01-01";
}

void akn_number(const mandat_entity *e, char *out, size_t size) {
  const char *s = e->symbol;
  size_t k = 0;
  if (!s || !*s) {
    snprintf(out, size, "nn");
    return;
  }
  const char *res = strstr(s, "/RES/");
  if (res)
    s = res + 5; /* A/RES/80/229 → 80/229 */
  for (; *s && k + 1 < size; s++) {
    char c = *s;
    if (c == '/' || c == ' ') {
      if (k && out[k - 1] != '-')
        out[k++] = '-';
    } else if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               c == '.') {
      out[k++] = c;
    } /* parentheses and anything else dropped: "2341 (2017)" → "2341-2017" */
  }
  while (k && out[k - 1] == '-')
    k--;
  out[k] = '\0';
  if (!k)
    snprintf(out, size, "nn");
}

static const char *statement_name(mandat_entity_kind k) {
  switch (k) {
  case MANDAT_ENTITY_DRAFT:
    return "resolutionDraft";
  case MANDAT_ENTITY_DECISION:
    return "decision";
  case MANDAT_ENTITY_DECLARATION:
    return "declaration";
  case MANDAT_ENTITY_ANNEX:
    return "annex";
  default:
    return "resolution";
  }
}

/* FRBR identification.  work: "/akn/un/statement/deliberation/un-ga/2016-12-19/71-209";
 * component: "!main", or "!att_1" for an attachment. */
static void identification(akn *a, const mandat_entity *e, const char *work, const char *component,
                           const char *date) {
  const organ_info *o = organ_of(a->d, e);
  char v[1024], author[EID_MAX + 64], num[128];
  const char *date_name = strcmp(date, "0001-01-01") == 0 ? "unknown" : "adoption";
  snprintf(author, sizeof author, "#%s%s", a->prefix, o->id);
  start(a, "identification"), ref(a, "source", "mandat"), nl(a);
  start(a, "FRBRWork"), nl(a);
  snprintf(v, sizeof v, "%s/%s", work, component);
  leaf(a, "FRBRthis", "value", v, NULL, NULL);
  leaf(a, "FRBRuri", "value", work, NULL, NULL);
  leaf(a, "FRBRdate", "date", date, "name", date_name);
  leaf(a, "FRBRauthor", "href", author, NULL, NULL);
  leaf(a, "FRBRcountry", "value", "un", NULL, NULL);
  leaf(a, "FRBRsubtype", "value", "deliberation", NULL, NULL);
  if (e->symbol) {
    akn_number(e, num, sizeof num);
    leaf(a, "FRBRnumber", "value", num, "showAs", e->symbol);
  }
  leaf(a, "FRBRname", "value", statement_name(e->kind), NULL, NULL);
  end(a), nl(a);
  start(a, "FRBRExpression"), nl(a);
  snprintf(v, sizeof v, "%s/%s@/%s", work, a->lang3, component);
  leaf(a, "FRBRthis", "value", v, NULL, NULL);
  snprintf(v, sizeof v, "%s/%s@", work, a->lang3);
  leaf(a, "FRBRuri", "value", v, NULL, NULL);
  leaf(a, "FRBRdate", "date", date, "name", date_name);
  leaf(a, "FRBRauthor", "href", author, NULL, NULL);
  leaf(a, "FRBRlanguage", "language", a->lang3, NULL, NULL);
  end(a), nl(a);
  start(a, "FRBRManifestation"), nl(a);
  snprintf(v, sizeof v, "%s/%s@/%s.xml", work, a->lang3, component);
  leaf(a, "FRBRthis", "value", v, NULL, NULL);
  snprintf(v, sizeof v, "%s/%s@.xml", work, a->lang3);
  leaf(a, "FRBRuri", "value", v, NULL, NULL);
  leaf(a, "FRBRdate", "date", a->today, "name", "generation");
  snprintf(v, sizeof v, "#%smandat", a->prefix);
  leaf(a, "FRBRauthor", "href", v, NULL, NULL);
  leaf(a, "FRBRformat", "value", "application/akn+xml", NULL, NULL);
  end(a), nl(a);
  end(a), nl(a);
}

/* A TLC element of <references> with a prefixed eId. */
static void tlc(akn *a, const char *name, const char *id, const char *href, const char *show) {
  char e[EID_MAX];
  start(a, name);
  eid(a, id, e, sizeof e);
  attr(a, "href", href);
  attr(a, "showAs", show);
  end(a), nl(a);
}

static bool force_used(const mandat_entity *e, mandat_force f) {
  for (size_t k = 0; k < e->n_operative; k++)
    for (size_t c = 0; c < e->operative[k].n_clauses; c++)
      if (e->operative[k].clauses[c].force == f)
        return true;
  return false;
}

static void references(akn *a, const mandat_entity *e) {
  const organ_info *o = organ_of(a->d, e);
  char href[160];
  start(a, "references"), ref(a, "source", "mandat"), nl(a);
  tlc(a, "TLCOrganization", "mandat", "/akn/ontology/organizations/mandat", "mandat");
  snprintf(href, sizeof href, "/akn/ontology/organizations/un/%s", o->onto);
  tlc(a, "TLCOrganization", o->id, href, o->show);
  /* One concept per clause force used, for the operative verbs' refersTo. */
  for (int f = MANDAT_FORCE_DECISION; f <= MANDAT_FORCE_OTHER; f++) {
    if (!force_used(e, (mandat_force)f))
      continue;
    const char *name = mandat_force_name((mandat_force)f);
    snprintf(href, sizeof href, "/akn/ontology/concepts/un/mandateForce/%s", name);
    tlc(a, "TLCConcept", name, href, name);
  }
  end(a), nl(a);
}

/* ---------------------------------------------------------------- body */

static const mandat_footnote *footnote(const mandat_entity *e, int n) {
  for (size_t i = 0; i < e->n_footnotes; i++)
    if (e->footnotes[i].n == n)
      return &e->footnotes[i];
  return NULL;
}

/* <authorialNote> for footnote n of e, inside the current <p>; `owner` is the eId
 * of the element that carries it. */
static void note(akn *a, const mandat_entity *e, int n, const char *owner) {
  const mandat_footnote *f = footnote(e, n);
  char local[EID_MAX], id[EID_MAX], marker[16];
  if (!f)
    return;
  snprintf(marker, sizeof marker, "%d", n);
  snprintf(local, sizeof local, "%s__authorialNote_%d", owner + strlen(a->prefix), n);
  start(a, "authorialNote");
  attr(a, "marker", marker);
  attr(a, "placement", "bottom");
  eid(a, local, id, sizeof id);
  start(a, "p"), text(a, f->text), end(a);
  end(a);
}

static void notes(akn *a, const mandat_entity *e, const mandat_paragraph *p, const char *owner) {
  for (size_t i = 0; i < p->n_notes; i++)
    note(a, e, p->notes[i], owner);
}

static bool word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Where `verb` stands in s[from..n) as whole words, its first letter in either
 * case (« Prie » at the start, « prie » after a comma); n when absent. */
static size_t find_verb(const char *s, size_t from, size_t n, const char *verb) {
  size_t vl = strlen(verb);
  if (!vl)
    return n;
  for (size_t i = from; i + vl <= n; i++) {
    if (lower((unsigned char)s[i]) != lower((unsigned char)verb[0]))
      continue;
    if (memcmp(s + i + 1, verb + 1, vl - 1) != 0)
      continue;
    if (i > 0 && word_byte((unsigned char)s[i - 1]))
      continue;
    if (i + vl < n && word_byte((unsigned char)s[i + vl]))
      continue;
    return i;
  }
  return n;
}

/* Text s[0..n) with each clause's verb marked <span class="italic" refersTo="#force">,
 * in clause order. */
static void marked_text(akn *a, const char *s, size_t n, const mandat_paragraph *p) {
  size_t at = 0;
  for (size_t c = 0; c < p->n_clauses; c++) {
    const mandat_clause *cl = &p->clauses[c];
    if (!cl->verb || cl->force == MANDAT_FORCE_NONE)
      continue;
    size_t i = find_verb(s, at, n, cl->verb);
    if (i >= n)
      continue;
    text_n(a, s + at, i - at);
    start(a, "span");
    attr(a, "class", "italic");
    ref(a, "refersTo", mandat_force_name(cl->force));
    text_n(a, s + i, strlen(cl->verb));
    end(a);
    at = i + strlen(cl->verb);
  }
  text_n(a, s + at, n - at);
}

/* The eId-safe form of a printed number: "12 bis" → "12bis". */
static void safe(const char *s, char *out, size_t size) {
  size_t k = 0;
  for (; s && *s && k + 1 < size; s++)
    if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
      out[k++] = *s;
  out[k] = '\0';
}

static void preamble(akn *a, const mandat_entity *e) {
  if (!e->n_preamble)
    return;
  start(a, "preamble"), nl(a);
  for (size_t i = 0; i < e->n_preamble; i++) {
    const mandat_paragraph *p = &e->preamble[i];
    char local[64], id[EID_MAX];
    snprintf(local, sizeof local, "preamble__container_%zu", i + 1);
    start(a, "container");
    attr(a, "name", "preambularParagraph");
    eid(a, local, id, sizeof id);
    start(a, "p");
    const char *t = p->text ? p->text : "";
    size_t ol = p->opening ? strlen(p->opening) : 0;
    if (ol && strncmp(t, p->opening, ol) == 0) {
      start(a, "span"), attr(a, "class", "italic"), text_n(a, t, ol), end(a);
      t += ol;
    }
    text(a, t);
    notes(a, e, p, id);
    end(a); /* p */
    end(a), nl(a);
  }
  end(a), nl(a);
}

/* Length of the paragraph's own words before its first sub-paragraph, label
 * (« a) », "(a)", "a.") removed; (size_t)-1 when the sub-paragraph's text is not
 * found in the paragraph's. */
static size_t intro_len(const mandat_paragraph *p) {
  const char *t = p->text, *first = p->subs[0].text;
  if (!t || !first || !*first)
    return (size_t)-1;
  const char *at = strstr(t, first);
  if (!at)
    return (size_t)-1;
  size_t n = (size_t)(at - t);
  while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n'))
    n--;
  if (n && (t[n - 1] == ')' || t[n - 1] == '.')) {
    size_t ll = p->subs[0].label ? strlen(p->subs[0].label) : 0;
    if (ll && n - 1 >= ll && strncmp(t + n - 1 - ll, p->subs[0].label, ll) == 0) {
      n -= 1 + ll;
      if (n && t[n - 1] == '(')
        n--;
    }
  }
  while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n'))
    n--;
  return n;
}

static void operative(akn *a, const mandat_entity *e, const mandat_paragraph *p) {
  char local[EID_MAX], id[EID_MAX], num[64], sid[EID_MAX];
  safe(p->number, num, sizeof num);
  if (!*num)
    snprintf(num, sizeof num, "%d", p->n); /* unnumbered: its rank */
  snprintf(local, sizeof local, "para_%s", num);
  start(a, "paragraph");
  eid(a, local, id, sizeof id);
  if (p->number) {
    snprintf(num, sizeof num, "%.40s.", p->number);
    start(a, "num"), text(a, num), end(a);
  }
  const char *t = p->text ? p->text : "";
  size_t il = p->n_subs ? intro_len(p) : (size_t)-1;
  if (il == (size_t)-1) {
    start(a, "content"), start(a, "p");
    marked_text(a, t, strlen(t), p);
    notes(a, e, p, id);
    end(a), end(a);
  } else {
    if (il) {
      start(a, "intro"), start(a, "p");
      marked_text(a, t, il, p);
      end(a), end(a);
    }
    for (size_t s = 0; s < p->n_subs; s++) {
      const mandat_subparagraph *sp = &p->subs[s];
      char label[40];
      safe(sp->label, label, sizeof label);
      if (!*label)
        snprintf(label, sizeof label, "%zu", s + 1);
      snprintf(local, sizeof local, "%s__subpara_%s", id + strlen(a->prefix), label);
      start(a, "subparagraph");
      eid(a, local, sid, sizeof sid);
      if (sp->label) {
        snprintf(num, sizeof num, strcmp(a->lang3, "eng") == 0 ? "(%.30s)" : "%.30s)", sp->label);
        start(a, "num"), text(a, num), end(a);
      }
      start(a, "content"), start(a, "p");
      text(a, sp->text);
      if (s + 1 == p->n_subs)
        notes(a, e, p, id); /* footnotes at the paragraph's end */
      end(a), end(a);
      end(a);
    }
  }
  end(a), nl(a);
}

static bool note_referenced(const mandat_entity *e, int n) {
  for (int part = 0; part < 2; part++) {
    const mandat_paragraph *v = part ? e->operative : e->preamble;
    size_t count = part ? e->n_operative : e->n_preamble;
    for (size_t i = 0; i < count; i++)
      for (size_t k = 0; k < v[i].n_notes; k++)
        if (v[i].notes[k] == n)
          return true;
  }
  return false;
}

/* Footnotes no paragraph carries (typically the title's) go with the title. */
static void loose_notes(akn *a, const mandat_entity *e, const char *owner) {
  for (size_t i = 0; i < e->n_footnotes; i++)
    if (!note_referenced(e, e->footnotes[i].n))
      note(a, e, e->footnotes[i].n, owner);
}

static bool has_loose_notes(const mandat_entity *e) {
  for (size_t i = 0; i < e->n_footnotes; i++)
    if (!note_referenced(e, e->footnotes[i].n))
      return true;
  return false;
}

static void preface(akn *a, const mandat_entity *e) {
  bool loose = has_loose_notes(e);
  if (!e->symbol && !e->title && !iso_date(e->adoption_date) && !e->agenda_title &&
      !e->agenda_number && !loose)
    return;
  char id[EID_MAX];
  start(a, "preface"), nl(a);
  if (e->symbol)
    start(a, "p"), start(a, "docNumber"), text(a, e->symbol), end(a), end(a), nl(a);
  if (e->title || loose) {
    start(a, "p");
    eid(a, "preface__p_title", id, sizeof id);
    if (e->title)
      start(a, "docTitle"), text(a, e->title), end(a);
    loose_notes(a, e, id);
    end(a), nl(a);
  }
  if (iso_date(e->adoption_date)) {
    start(a, "p"), start(a, "docDate"), attr(a, "date", e->adoption_date);
    text(a, e->adoption_date), end(a), end(a), nl(a);
  }
  if (e->agenda_number || e->agenda_title) {
    start(a, "p"), start(a, "inline"), attr(a, "name", "agendaItem");
    if (e->agenda_number && e->agenda_title)
      text(a, e->agenda_number), text(a, ". ");
    text(a, e->agenda_title ? e->agenda_title : e->agenda_number);
    end(a), end(a), nl(a);
  }
  end(a), nl(a);
}

static void statement(akn *a, size_t i, const char *work, const char *component);

/* Entities annexed to entity i, each an <attachment> holding its own statement. */
static void attachments(akn *a, size_t i, const char *work) {
  size_t n = 0;
  for (size_t k = 0; k < mandat_doc_entity_count(a->d); k++) {
    if (mandat_doc_entity(a->d, k)->parent != (int)i)
      continue;
    if (!n)
      start(a, "attachments"), nl(a);
    n++;
    char local[32], id[EID_MAX - 8], saved[sizeof a->prefix], component[EID_MAX];
    snprintf(local, sizeof local, "att_%zu", n);
    start(a, "attachment");
    eid(a, local, id, sizeof id);
    nl(a);
    memcpy(saved, a->prefix, sizeof saved);
    snprintf(a->prefix, sizeof a->prefix, "%s__", id);
    snprintf(component, sizeof component, "!%s", id);
    statement(a, k, work, component);
    memcpy(a->prefix, saved, sizeof saved);
    end(a), nl(a);
  }
  if (n)
    end(a), nl(a);
}

static void statement(akn *a, size_t i, const char *work, const char *component) {
  const mandat_entity *e = mandat_doc_entity(a->d, i);
  start(a, "statement");
  attr(a, "name", statement_name(e->kind));
  nl(a);
  start(a, "meta"), nl(a);
  identification(a, e, work, component, date_of(a->d, e));
  references(a, e);
  end(a), nl(a);
  preface(a, e);
  preamble(a, e);
  start(a, "mainBody"), nl(a);
  for (size_t k = 0; k < e->n_operative; k++)
    operative(a, e, &e->operative[k]);
  if (!e->n_operative)
    start(a, "p"), end(a), nl(a); /* mainBody may not be empty */
  end(a), nl(a);
  if (e->meeting) {
    start(a, "conclusions"), nl(a);
    start(a, "p"), start(a, "inline"), attr(a, "name", "meeting"), text(a, e->meeting), end(a);
    end(a), nl(a);
    end(a), nl(a);
  }
  attachments(a, i, work);
  end(a), nl(a);
}

/* Today (UTC) as YYYY-MM-DD, or the day of $SOURCE_DATE_EPOCH for reproducible
 * output. */
static void today(char out[11]) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
  struct tm tm;
  if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
    snprintf(out, 11, "1970-01-01");
}

bool render_akn(const mandat_doc *d, size_t i, mandat_buf *out) {
  const mandat_entity *e = mandat_doc_entity(d, i);
  if (!e || e->parent >= 0)
    return false;
  bool ok = false;
  akn a = {0};
  a.d = d;
  a.lang3 = lang3(mandat_doc_language(d));
  today(a.today);
  xmlBufferPtr xb = xmlBufferCreate();
  if (!xb)
    goto done;
  a.w = xmlNewTextWriterMemory(xb, 0);
  if (!a.w)
    goto done;
  char num[128], work[320];
  akn_number(e, num, sizeof num);
  snprintf(work, sizeof work, "/akn/un/statement/deliberation/%s/%s/%s", organ_of(d, e)->actor,
           date_of(d, e), num);
  check(&a, xmlTextWriterStartDocument(a.w, NULL, "UTF-8", NULL));
  start(&a, "akomaNtoso");
  attr(&a, "xmlns", AKN_NS);
  nl(&a);
  statement(&a, i, work, "!main");
  end(&a);
  check(&a, xmlTextWriterEndDocument(a.w));
  xmlFreeTextWriter(a.w); /* flushes into xb */
  a.w = NULL;
  if (a.bad)
    goto done;
  buf_put(out, (const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
  ok = true;
done:
  if (a.w)
    xmlFreeTextWriter(a.w);
  if (xb)
    xmlBufferFree(xb);
  for (size_t k = 0; k < a.n_used; k++)
    free(a.used[k]);
  free(a.used);
  return ok;
}
