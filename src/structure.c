/* structure.c: entities, metadata, paragraphs, sub-paragraphs and footnotes.
 *
 * One pass finds the chapeaux (« L'Assemblée générale, », "The Security Council,",
 * « Nous, chefs d'État … ») and the headings that open a draft or an annex; each
 * chapeau opens an entity whose header (the lines before it) gives the metadata and
 * whose body (the lines after it) gives the paragraphs.  Paragraph starts are
 * numbered operative paragraphs in sequence and preambular openers from the
 * lexicon; blank lines, page headers, URL lines and footnote blocks never end a
 * paragraph.  Everything is linear in the number of lines. */
#include "structure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexmatch.h"
#include "text.h"

/* ---------------------------------------------------------------- helpers */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static const cline *L(const clines *cl, size_t i) { return &cl->v[i]; }

static bool is_content(const cline *c) { return c->kind == CL_TEXT || c->kind == CL_HEADING; }

/* Last significant character of cleaned text: trailing blanks and footnote markers
 * skipped.  0 for empty text. */
static unsigned char last_char(const char *t, size_t n) {
  size_t i = n;
  while (i > 0) {
    unsigned char c = (unsigned char)t[i - 1];
    if (c == ' ') {
      i--;
    } else if (c == MARK) {
      i--;
      while (i > 0 && t[i - 1] != MARK) i--;
      if (i > 0) i--;
    } else {
      return c;
    }
  }
  return 0;
}

static bool closes(unsigned char c) { return c == '.' || c == ';' || c == ':'; }
static bool boundary_end(unsigned char c) { return c == 0 || closes(c) || c == ','; }

/* « 12. », « 12 bis. », OCR « 4, », « 1) »: the printed number of an operative
 * paragraph at the start of text.  Returns the number (or -1), the label in
 * `label` ("12 bis") and the bytes to skip in *skip. */
static int op_number(const char *t, size_t n, char label[24], bool *bis, size_t *skip) {
  size_t i = 0;
  int v = 0;
  while (i < n && i < 3 && is_digit(t[i])) v = v * 10 + (t[i++] - '0');
  if (!i || (i < n && is_digit(t[i]))) return -1;
  *bis = false;
  static const char *const suffixes[] = {" bis", " ter", " quater", NULL};
  for (int k = 0; suffixes[k]; k++) {
    size_t sl = strlen(suffixes[k]);
    if (i + sl <= n && memcmp(t + i, suffixes[k], sl) == 0) {
      i += sl;
      *bis = true;
      break;
    }
  }
  if (i >= n || !(t[i] == '.' || t[i] == ',' || t[i] == ')')) return -1;
  size_t after = i + 1;
  if (after < n && t[after] != ' ') return -1;
  if (t[i] == ',' && after >= n) return -1;
  snprintf(label, 24, "%.*s", (int)(i > 20 ? 20 : i), t);
  while (after < n && t[after] == ' ') after++;
  *skip = after;
  return v;
}

static const char *const romans[] = {"i",   "ii",  "iii",  "iv", "v",   "vi",   "vii",
                                     "viii", "ix", "x",    "xi", "xii", "xiii", "xiv",
                                     "xv",  "xvi", "xvii", "xviii", "xix", "xx", NULL};

static int roman_index(const char *s, size_t n) {
  for (int i = 0; romans[i]; i++)
    if (strlen(romans[i]) == n && memcmp(romans[i], s, n) == 0) return i;
  return -1;
}

/* A sub-paragraph label at the start of text: « a) », « (a) », « i) », « (iv) ».
 * Returns the label length (letters) and its offset, 0 if none. */
static size_t sub_label(const char *t, size_t n, size_t *lab, size_t *skip) {
  size_t i = 0;
  if (i < n && t[i] == '(') i++;
  size_t s = i;
  while (i < n && i - s < 5 && t[i] >= 'a' && t[i] <= 'z') i++;
  size_t ll = i - s;
  if (!ll || i >= n || t[i] != ')') return 0;
  if (ll > 1 && roman_index(t + s, ll) < 0) return 0;
  i++;
  if (i < n && t[i] != ' ') return 0;
  while (i < n && t[i] == ' ') i++;
  *lab = s;
  *skip = i;
  return ll;
}

/* Is label (a, b, …; i, ii, …) the next one after prev (NULL: the first)? */
static bool sub_next(const char *prev, const char *lab, size_t ll) {
  if (!prev) return (ll == 1 && (lab[0] == 'a' || lab[0] == 'i'));
  size_t pl = strlen(prev);
  int pr = roman_index(prev, pl), r = roman_index(lab, ll);
  if (pl == 1 && ll == 1 && lab[0] == prev[0] + 1) return true;
  if (pr >= 0 && r == pr + 1 && !(pl == 1 && prev[0] != 'i')) return true;
  return false;
}

/* ------------------------------------------------------------ lexicon use */

static bool is_chapeau(const mandat_lexicon *lx, const char *t, size_t n, const char **organ) {
  size_t k;
  int idx = lex_longest(t, n, LEX_LIST(lx->organs), &k);
  if (idx < 0) return false;
  while (k < n && (t[k] == ',' || t[k] == ':' || t[k] == ' ')) k++;
  if (k != n) return false;
  *organ = lx->organs[idx].organ;
  return true;
}

static bool is_decl_chapeau(const mandat_lexicon *lx, const char *t, size_t n) {
  size_t k;
  return lex_longest(t, n, LEX_LIST(lx->declaration_chapeaux), &k) >= 0;
}

/* A heading made of a form and an optional roman numeral or letter: « Projet de
 * résolution IV », « Annexe », « Annex II ».  The label goes in label. */
static bool is_labelled_heading(const char *const *forms, const char *t, size_t n, char label[16]) {
  size_t k;
  if (lex_longest(t, n, LEX_LIST(forms), &k) < 0) return false;
  if (!lex_is_upper(t, n)) return false;
  while (k < n && t[k] == ' ') k++;
  size_t s = k;
  while (k < n && ((t[k] >= 'A' && t[k] <= 'Z') || is_digit(t[k]))) k++;
  size_t ll = k - s;
  while (k < n && (t[k] == ' ' || t[k] == '.' || t[k] == ':')) k++;
  if (k != n || ll > 8) return false;
  snprintf(label, 16, "%.*s", (int)ll, t + s);
  return true;
}

static size_t first_word_len(const char *t, size_t n) {
  size_t i = 0;
  while (i < n && t[i] != ' ' && t[i] != ',' && t[i] != MARK) i++;
  return i;
}

static bool starts_op_verb(const mandat_lexicon *lx, const char *t, size_t n) {
  size_t k;
  return lex_is_upper(t, n) && lex_longest(t, n, LEX_LIST(lx->operative_verbs), &k) >= 0;
}

/* « 69e séance plénière », "69th plenary meeting". */
static bool is_meeting_line(const mandat_lexicon *lx, const char *t, size_t n) {
  if (!n || !is_digit(t[0]) || n > 60) return false;
  for (int i = 0; lx->plenary_meeting && lx->plenary_meeting[i]; i++)
    if (lex_find(t, n, lx->plenary_meeting[i], NULL) >= 0) return true;
  return false;
}

/* ------------------------------------------------------- paragraph building */

typedef struct {
  mandat_para_kind kind;
  char number[24];
  size_t *lines; /* cline indices of the paragraph's text lines */
  size_t n, cap;
  size_t skip; /* bytes of the first line before the paragraph text (« 12. ») */
  struct rsub {
    char label[8];
    size_t first; /* index into lines where the sub-paragraph starts */
    size_t skip;
  } *subs;
  size_t n_subs, cap_subs;
} rpara;

typedef struct {
  rpara *v;
  size_t n, cap;
} rparas;

static void rparas_free(rparas *ps) {
  for (size_t i = 0; i < ps->n; i++) {
    free(ps->v[i].lines);
    free(ps->v[i].subs);
  }
  free(ps->v);
  memset(ps, 0, sizeof *ps);
}

static rpara *rpara_new(rparas *ps, mandat_para_kind kind, size_t line, size_t skip) {
  VEC_GROW(ps->v, ps->n, ps->cap);
  rpara *p = &ps->v[ps->n++];
  memset(p, 0, sizeof *p);
  p->kind = kind;
  p->skip = skip;
  VEC_GROW(p->lines, p->n, p->cap);
  p->lines[p->n++] = line;
  return p;
}

static void rpara_add(rpara *p, size_t line) {
  VEC_GROW(p->lines, p->n, p->cap);
  p->lines[p->n++] = line;
}

/* ------------------------------------------------------------- the builder */

typedef struct {
  mandat_doc *doc;
  const clines *cl;
  const mandat_lexicon *lx;
  mandat_buf raw, clean; /* a paragraph's joined and finished text, reused */
} builder;

/* Join the text lines [from, to) of a paragraph, starting `skip` bytes into the
 * first, into out (raw: markers kept). */
static void join_lines(builder *b, const rpara *p, size_t from, size_t to, size_t skip,
                       mandat_buf *out) {
  buf_clear(out);
  for (size_t i = from; i < to; i++) {
    const cline *c = L(b->cl, p->lines[i]);
    const char *t = c->text;
    size_t n = c->len;
    if (i == from) t += skip, n -= skip;
    text_join(out, t, n);
  }
}

/* Footnote markers of raw text: collect their numbers into the paragraph. */
static void collect_notes(mandat_paragraph *mp, const char *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (t[i] != MARK) continue;
    int v = 0;
    size_t j = i + 1;
    while (j < n && is_digit(t[j])) v = v * 10 + (t[j++] - '0');
    if (j < n && t[j] == MARK) {
      if (v > 0) para_add_note(mp, v);
      i = j;
    }
  }
}

static void emit_paragraph(builder *b, mandat_entity *e, const rpara *p, const text_notes *known) {
  mandat_paragraph *mp = entity_add_para(e, p->kind);
  mandat_buf *raw = &b->raw, *clean = &b->clean;
  join_lines(b, p, 0, p->n, p->skip, raw);
  text_unglue_markers(raw, known, b->doc->pdf_layout);
  collect_notes(mp, raw->data ? raw->data : "", raw->len);
  text_finish(clean, raw->data ? raw->data : "", raw->len);
  mp->text = doc_str(b->doc, clean->data ? clean->data : "", clean->len);
  mp->lines.first = L(b->cl, p->lines[0])->src;
  mp->lines.last = cline_end(L(b->cl, p->lines[p->n - 1]));
  if (p->number[0]) mp->number = doc_strz(b->doc, p->number);
  if (p->kind == MANDAT_PARA_PREAMBLE) {
    size_t k = lex_opening(b->lx, mp->text, strlen(mp->text));
    if (!k) k = first_word_len(mp->text, strlen(mp->text));
    mp->opening = doc_str(b->doc, mp->text, k);
  }
  for (size_t s = 0; s < p->n_subs; s++) {
    size_t to = s + 1 < p->n_subs ? p->subs[s + 1].first : p->n;
    mandat_subparagraph *ms = para_add_sub(mp);
    join_lines(b, p, p->subs[s].first, to, p->subs[s].skip, raw);
    text_unglue_markers(raw, known, b->doc->pdf_layout);
    text_finish(clean, raw->data ? raw->data : "", raw->len);
    ms->label = doc_strz(b->doc, p->subs[s].label);
    ms->text = doc_str(b->doc, clean->data ? clean->data : "", clean->len);
    ms->lines.first = L(b->cl, p->lines[p->subs[s].first])->src;
    ms->lines.last = cline_end(L(b->cl, p->lines[to - 1]));
  }
}

/* Footnote definitions of an entity, gathered while its body is read. */
typedef struct {
  int n;
  size_t first, last; /* cline indices */
  mandat_buf text;
} rnote;

typedef struct {
  rnote *v;
  size_t n, cap;
} rnotes;

static void rnotes_free(rnotes *ns) {
  for (size_t i = 0; i < ns->n; i++) buf_free(&ns->v[i].text);
  free(ns->v);
  memset(ns, 0, sizeof *ns);
}

static void emit_notes(builder *b, mandat_entity *e, const rnotes *ns) {
  mandat_buf *clean = &b->clean;
  for (size_t i = 0; i < ns->n; i++) {
    mandat_footnote *f = entity_add_footnote(e);
    f->n = ns->v[i].n;
    text_finish(clean, ns->v[i].text.data ? ns->v[i].text.data : "", ns->v[i].text.len);
    f->text = doc_str(b->doc, clean->data ? clean->data : "", clean->len);
    f->lines.first = L(b->cl, ns->v[i].first)->src;
    f->lines.last = cline_end(L(b->cl, ns->v[i].last));
  }
}

/* Result of reading an entity's body. */
typedef struct {
  rparas paras;
  rnotes notes;
  size_t end;       /* cline index of the last line that belongs to the entity */
  size_t last_text; /* cline index of the last paragraph line */
  const char *meeting;
  char date[11];
} body;

/* Read the body of an entity: lines [from, to). */
static void read_body(builder *b, size_t from, size_t to, body *out) {
  const clines *cl = b->cl;
  const mandat_lexicon *lx = b->lx;
  rpara *cur = NULL;
  int last_op = 0;
  bool has_op = false, numbered = false, footer = false;
  bool section = false; /* a heading followed the operative part */
  bool after_footer = false; /* text after the footer: the entity is over */
  unsigned char prev_end = 0; /* last character of the previous text line; 0 at start */
  rnote *note = NULL;
  size_t prev_blank = 0;
  memset(out, 0, sizeof *out);
  out->end = from ? from - 1 : 0;
  for (size_t i = from; i < to; i++) {
    const cline *c = L(cl, i);
    switch (c->kind) {
    case CL_BLANK:
      prev_blank = 1;
      continue;
    case CL_URL:
    case CL_PAGE:
    case CL_FNSEP:
    case CL_RULE:
      continue;
    case CL_FNDEF:
      if (after_footer) continue; /* the notes of whatever text follows */
      VEC_GROW(out->notes.v, out->notes.n, out->notes.cap);
      note = &out->notes.v[out->notes.n++];
      memset(note, 0, sizeof *note);
      note->n = c->fn;
      note->first = note->last = i;
      buf_put(&note->text, c->text, c->len);
      if (i > out->end) out->end = i;
      continue;
    case CL_FNCONT:
      if (note && !after_footer) {
        text_join(&note->text, c->text, c->len);
        note->last = i;
      }
      continue;
    case CL_HEADING:
      cur = NULL;
      prev_end = '.';
      prev_blank = 0;
      section = section || has_op;
      continue;
    case CL_TEXT:
      break;
    }
    const char *t = c->text;
    size_t n = c->len;
    bool was_blank = prev_blank;
    prev_blank = 0;
    if (!n) continue;
    if (footer) {
      /* after « 69e séance plénière »: the date, then nothing of the entity (the
       * notes of its last page may still follow, until other text does) */
      if (!out->date[0] && lex_date(lx, t, n, 0, out->date) >= 0) out->end = i;
      else after_footer = true;
      continue;
    }
    if (is_meeting_line(lx, t, n) && (has_op || out->paras.n)) {
      size_t mn = n;
      while (mn && (t[mn - 1] == ',' || t[mn - 1] == '.')) mn--; /* « 893rd plenary meeting, » */
      out->meeting = doc_str(b->doc, t, mn);
      lex_date(lx, t, n, 0, out->date);
      footer = true;
      cur = NULL;
      out->end = i;
      continue;
    }
    char label[24];
    bool bis;
    size_t skip, lab, ll;
    int num = op_number(t, n, label, &bis, &skip);
    /* a resolution in parts (« A », « B »; "I", "II") numbers each part from 1 */
    if (section && (num == 1 || (lex_is_upper(t, n) && lex_opening(lx, t, n) > 0))) {
      last_op = 0;
      numbered = has_op = false;
      section = false;
    }
    bool in_seq = num > 0 && (num == last_op + 1 || (bis && num == last_op && numbered) ||
                              (!numbered && num == 1));
    bool at_boundary = boundary_end(prev_end);
    size_t k;
    if (in_seq && (at_boundary || was_blank || c->indent > 0 || !cur)) {
      cur = rpara_new(&out->paras, MANDAT_PARA_OPERATIVE, i, skip);
      snprintf(cur->number, sizeof cur->number, "%s", label);
      last_op = num;
      has_op = numbered = true;
    } else if (!has_op && at_boundary && (k = lex_opening(lx, t, n)) > 0 && lex_is_upper(t, n)) {
      cur = rpara_new(&out->paras, MANDAT_PARA_PREAMBLE, i, 0);
    } else if (!numbered && at_boundary && starts_op_verb(lx, t, n)) {
      cur = rpara_new(&out->paras, MANDAT_PARA_OPERATIVE, i, 0);
      has_op = true;
    } else if (cur && cur->kind == MANDAT_PARA_OPERATIVE && (ll = sub_label(t, n, &lab, &skip)) &&
               (closes(prev_end) || prev_end == ',') &&
               sub_next(cur->n_subs ? cur->subs[cur->n_subs - 1].label : NULL, t + lab, ll)) {
      VEC_GROW(cur->subs, cur->n_subs, cur->cap_subs);
      struct rsub *s = &cur->subs[cur->n_subs++];
      snprintf(s->label, sizeof s->label, "%.*s", (int)ll, t + lab);
      s->first = cur->n;
      s->skip = skip;
      rpara_add(cur, i);
    } else if (lex_is_upper(t, n) &&
               (prev_end == 0 || prev_end == '.' ||
                (prev_end == ';' && !(cur && cur->kind == MANDAT_PARA_PREAMBLE)))) {
      /* (a preambular paragraph ends with a comma: inside one, « ; » is internal,
       * as in « … cybercriminalité ; » / « Renforcement de la coopération … ») */
      /* (after « : » an upper-case line goes on with the sentence: « (World
       * Wildlife Crime Report: » / « Trafficking in Protected Species) ») */
      /* a heading or chapeau between paragraphs (« Déclarons ce qui suit : »,
       * "Conditions of service …", « A », « II ») */
      cur = NULL;
      section = section || has_op;
      prev_end = '.'; /* the next line starts afresh, heading or paragraph */
      continue;
    } else if (!has_op && prev_end == ',' && lex_is_upper(t, n) && lex_is_letter(t, n) &&
               (c->emphasis || (b->doc->pdf_layout ? c->indent > 0 : was_blank))) {
      if (last_char(t, n) == ':') {
        cur = NULL; /* chapeau of a declaration: « Déclarons ce qui suit : » */
      } else {
        cur = rpara_new(&out->paras, MANDAT_PARA_PREAMBLE, i, 0);
      }
    } else if (cur) {
      rpara_add(cur, i);
    } else if (!has_op && lex_is_upper(t, n) && prev_end != 0) {
      cur = rpara_new(&out->paras, MANDAT_PARA_PREAMBLE, i, 0);
    } else {
      prev_end = last_char(t, n);
      continue;
    }
    prev_end = last_char(t, n);
    if (cur) out->last_text = i;
    if (i > out->end) out->end = i;
  }
}

/* ------------------------------------------------------------- metadata */

typedef struct {
  const char *organ;    /* from « Résolution adoptée par … » */
  char date[11];        /* adoption date */
  const char *session;  /* « Quatre-vingtième session » → "80" */
  const char *agenda_number, *agenda_title;
  const char *number;   /* « 80/229 » of a numbered title */
  const char *sc_symbol;
  const char *title;
  const char *meeting;  /* "7911th meeting" in "Adopted by the Security Council at its …" */
  bool adopted;         /* a « Résolution adoptée par » line */
} header;

static bool is_distr(const char *t, size_t n) { return n >= 6 && memcmp(t, "Distr.", 6) == 0; }

/* « 80/229. Titre », « 2021/20. Titre », « S-32/1. Titre »: number length, and
 * the title's offset. */
static size_t numbered_title(const char *t, size_t n, size_t *title_off) {
  size_t i = 0;
  if (i + 1 < n && (t[i] == 'S' || t[i] == 'E') && t[i + 1] == '-') i += 2;
  size_t d = i;
  while (i < n && is_digit(t[i])) i++;
  if (i == d || i >= n) return 0;
  if (t[i] == ' ') {
    /* before 1976 the Assembly and the Council numbered serially, with the session
     * in roman numerals: « 1514 (XV). », « 217 A (III). », « 1818 (LV). » */
    size_t j = i + 1;
    if (j + 1 < n && t[j] >= 'A' && t[j] <= 'Z' && t[j + 1] == ' ') j += 2;
    if (j >= n || t[j] != '(') return 0;
    size_t r = ++j;
    while (j < n && strchr("IVXLC", t[j])) j++;
    if (j == r || j + 1 >= n || t[j] != ')' || t[j + 1] != '.') return 0;
    size_t numlen = j + 1;
    j += 2;
    while (j < n && t[j] == ' ') j++;
    if (j >= n) return 0;
    *title_off = j;
    return numlen;
  }
  if (t[i] != '/') return 0;
  i++;
  size_t d2 = i;
  while (i < n && is_digit(t[i])) i++;
  if (i == d2) return 0;
  if (i + 2 < n && t[i] == ' ' && t[i + 1] >= 'A' && t[i + 1] <= 'Z' && t[i + 2] == '.') i += 2;
  size_t numlen = i;
  if (i >= n || t[i] != '.') return 0;
  i++;
  while (i < n && t[i] == ' ') i++;
  if (i >= n) return 0;
  *title_off = i;
  return numlen;
}

/* "Resolution 2349 (2017)", « Résolution 2349 (2017) »: a Security Council
 * resolution's heading (word, number, year in brackets, nothing else). */
static bool sc_number(const mandat_lexicon *lx, const char *t, size_t n) {
  size_t k;
  if (lex_longest(t, n, LEX_LIST(lx->resolution_words), &k) < 0) return false;
  size_t i = k;
  if (i >= n || t[i] != ' ') return false;
  i++;
  size_t d = i;
  while (i < n && is_digit(t[i])) i++;
  if (i == d || i + 7 != n) return false;
  return t[i] == ' ' && t[i + 1] == '(' && is_digit(t[i + 2]) && is_digit(t[i + 5]) && t[i + 6] == ')';
}

static const char *join_block(builder *b, size_t from, size_t to) {
  mandat_buf raw = {0}, clean = {0};
  for (size_t i = from; i < to; i++) {
    const cline *c = L(b->cl, i);
    if (!is_content(c)) continue;
    text_join(&raw, c->text, c->len);
  }
  text_finish(&clean, raw.data ? raw.data : "", raw.len);
  const char *s = clean.len ? doc_str(b->doc, clean.data, clean.len) : NULL;
  buf_free(&raw);
  buf_free(&clean);
  return s;
}

static bool is_meta_line(builder *b, const char *t, size_t n) {
  size_t k, off;
  const char *organ;
  return is_distr(t, n) || lex_longest(t, n, LEX_LIST(b->lx->resolution_adopted), &k) >= 0 ||
         numbered_title(t, n, &off) || is_chapeau(b->lx, t, n, &organ) ||
         lex_longest(t, n, LEX_LIST(b->lx->agenda_item), &k) >= 0 || t[0] == '[';
}

static void read_header(builder *b, size_t from, size_t to, header *h) {
  const mandat_lexicon *lx = b->lx;
  memset(h, 0, sizeof *h);
  for (size_t i = from; i < to; i++) {
    const cline *c = L(b->cl, i);
    if (!is_content(c) || !c->len) continue;
    const char *t = c->text;
    size_t n = c->len, k, off;
    if (lex_longest(t, n, LEX_LIST(lx->resolution_adopted), &k) >= 0) {
      h->adopted = true;
      for (int o = 0; lx->organs[o].form; o++)
        if (lex_find(t + k, n - k, lx->organs[o].form, NULL) >= 0) {
          h->organ = lx->organs[o].organ;
          break;
        }
      if (lex_date(lx, t, n, 0, h->date) < 0) {
        /* the date wrapped to the next line ("…, on" / "11 August 2000") */
        size_t j = i + 1;
        while (j < to && L(b->cl, j)->kind == CL_BLANK) j++;
        if (j < to && is_content(L(b->cl, j)))
          lex_date(lx, L(b->cl, j)->text, L(b->cl, j)->len, 0, h->date);
      }
      /* "… at its 7911th meeting, on 31 March 2017": the meeting */
      for (size_t m = 0; m < n && !h->meeting; m++) {
        if (!is_digit(t[m]) || (m && t[m - 1] != ' ')) continue;
        size_t e = m;
        while (e < n && t[e] != ' ' && t[e] != ',') e++;
        size_t w = e < n ? e + 1 : e, mk;
        if (lex_longest(t + w, n - w, LEX_LIST(lx->plenary_meeting), &mk) >= 0)
          h->meeting = doc_str(b->doc, t + m, w + mk - m);
      }
    } else if (sc_number(lx, t, n)) {
      /* "Resolution 2349 (2017)" */
      size_t s0 = 0;
      while (s0 < n && !is_digit(t[s0])) s0++;
      h->number = doc_str(b->doc, t + s0, n - s0);
    } else if (lex_longest(t, n, LEX_LIST(lx->agenda_item), &k) >= 0 && k < n && t[k] == ' ' &&
               is_digit(t[k + 1])) {
      size_t s = k + 1, e = s;
      while (e < n && is_digit(t[e])) e++;
      if (e + 2 < n && t[e] == ' ' && t[e + 1] >= 'a' && t[e + 1] <= 'z' && t[e + 2] == ')')
        e += 3;
      h->agenda_number = doc_str(b->doc, t + s, e - s);
      /* the item's title: the next block of lines, unless it is other metadata */
      size_t j = i + 1;
      while (j < to && L(b->cl, j)->kind == CL_BLANK) j++;
      size_t blk = j;
      /* PDF text has no blank line between header lines: stop at the next one */
      while (j < to && is_content(L(b->cl, j)) && L(b->cl, j)->len &&
             (j == blk || !is_meta_line(b, L(b->cl, j)->text, L(b->cl, j)->len)))
        j++;
      if (blk < j && !is_meta_line(b, L(b->cl, blk)->text, L(b->cl, blk)->len)) {
        h->agenda_title = join_block(b, blk, j);
        i = j - 1;
      }
    } else if (numbered_title(t, n, &off)) {
      size_t nl = numbered_title(t, n, &off);
      h->number = doc_str(b->doc, t, nl);
      size_t j = i + 1;
      while (j < to && is_content(L(b->cl, j)) && L(b->cl, j)->len &&
             !is_meta_line(b, L(b->cl, j)->text, L(b->cl, j)->len))
        j++;
      mandat_buf raw = {0}, clean = {0};
      buf_put(&raw, t + off, n - off);
      for (size_t m = i + 1; m < j; m++) text_join(&raw, L(b->cl, m)->text, L(b->cl, m)->len);
      text_finish(&clean, raw.data, raw.len);
      h->title = doc_str(b->doc, clean.data, clean.len);
      buf_free(&raw);
      buf_free(&clean);
    } else {
      /* « Quatre-vingtième session », « Session de 2021 », "Eightieth session" */
      for (int s = 0; lx->session_words && lx->session_words[s]; s++) {
        long at = lex_find(t, n, lx->session_words[s], &k);
        if (at < 0 || n > 60) continue;
        int v = lex_number(lx, t, n, &k);
        if (v > 0 && k <= (size_t)at) {
          char num[16];
          snprintf(num, sizeof num, "%d", v);
          h->session = doc_strz(b->doc, num);
        } else {
          for (size_t m = 0; m + 4 <= n; m++)
            if (is_digit(t[m]) && is_digit(t[m + 1]) && is_digit(t[m + 2]) && is_digit(t[m + 3]) &&
                (m + 4 == n || !is_digit(t[m + 4])) && (m == 0 || !is_digit(t[m - 1]))) {
              h->session = doc_str(b->doc, t + m, 4);
              break;
            }
        }
        break;
      }
    }
  }
}

/* The last block of text lines before `to` that is not metadata: the title of a
 * document that states no number (a draft). */
static const char *title_before(builder *b, size_t from, size_t to) {
  size_t j = to;
  while (j > from && !(is_content(L(b->cl, j - 1)) && L(b->cl, j - 1)->len)) j--;
  size_t e = j;
  while (j > from) {
    const cline *c = L(b->cl, j - 1);
    if (c->kind == CL_BLANK) {
      /* double-spaced text: a blank line inside the title block */
      if (j - 1 > from && is_content(L(b->cl, j - 2)) && L(b->cl, j - 2)->len &&
          last_char(L(b->cl, j - 2)->text, L(b->cl, j - 2)->len) != '.' &&
          !is_meta_line(b, L(b->cl, j - 2)->text, L(b->cl, j - 2)->len))
        j--;
      else
        break;
    } else if (is_content(c) && c->len && !is_meta_line(b, c->text, c->len)) {
      j--;
    } else {
      break;
    }
  }
  return j < e ? join_block(b, j, e) : NULL;
}

static const char *symbol_for(builder *b, const char *organ, const char *number) {
  char s[64];
  if (!organ || !number) return NULL;
  if (strcmp(organ, "GA") == 0) snprintf(s, sizeof s, "A/RES/%s", number);
  else if (strcmp(organ, "ECOSOC") == 0) snprintf(s, sizeof s, "E/RES/%s", number);
  else if (strcmp(organ, "HRC") == 0) snprintf(s, sizeof s, "A/HRC/RES/%s", number);
  else if (strcmp(organ, "SC") == 0) snprintf(s, sizeof s, "S/RES/%s", number);
  else return NULL;
  return doc_strz(b->doc, s);
}

/* Session from a symbol: A/RES/80/229 → 80, A/C.3/77/L.2 → 77, E/RES/2021/20 → 2021. */
static const char *session_of(builder *b, const char *sym) {
  if (!sym) return NULL;
  const char *p = sym;
  if (strncmp(p, "A/RES/", 6) == 0) p += 6;
  else if (strncmp(p, "E/RES/", 6) == 0) p += 6;
  else if (strncmp(p, "A/C.", 4) == 0) {
    p = strchr(p + 4, '/');
    if (!p) return NULL;
    p++;
  } else if (strncmp(p, "A/", 2) == 0) p += 2;
  else return NULL;
  size_t d = 0;
  while (is_digit(p[d])) d++;
  const char *rb = strchr(p, '(');
  if (rb && p[d] != '/') {
    /* « A/RES/1514 (XV) »: the session is the roman numeral */
    static const struct {
      char c;
      int v;
    } digits[] = {{'I', 1}, {'V', 5}, {'X', 10}, {'L', 50}, {'C', 100}};
    int total = 0, prev = 0;
    for (const char *r = rb + 1; *r && *r != ')'; r++) {
      int v = 0;
      for (size_t k = 0; k < sizeof digits / sizeof *digits; k++)
        if (digits[k].c == *r) v = digits[k].v;
      if (!v) return NULL;
      total += v > prev ? v - 2 * prev : v; /* IV = 1 + 5 - 2 */
      prev = v;
    }
    char num[16];
    snprintf(num, sizeof num, "%d", total);
    return total > 0 ? doc_strz(b->doc, num) : NULL;
  }
  if (strncmp(sym, "E/RES/", 6) == 0 && d != 4) return NULL; /* E/RES/2021/20: the year */
  return d ? doc_str(b->doc, p, d) : NULL;
}

/* The running-header symbol most often seen in the document (A/C.3/66/L.15). */
static const char *running_symbol(const clines *cl) {
  const char *best = NULL;
  int best_n = 0;
  for (size_t i = 0; i < cl->n; i++) {
    if (cl->v[i].kind != CL_PAGE || !cl->v[i].len) continue;
    int cnt = 0;
    for (size_t j = i; j < cl->n && cnt < 1000; j++)
      if (cl->v[j].kind == CL_PAGE && strcmp(cl->v[j].text, cl->v[i].text) == 0) cnt++;
    if (cnt > best_n) best_n = cnt, best = cl->v[i].text;
    if (best_n >= 3) break;
  }
  return best;
}

/* Draft resolutions of a committee report: the report's own text names each draft
 * by its symbol and its number (« a adopté le projet de résolution A/C.3/77/L.3
 * (voir par. 31 ci-après, projet de résolution II) »), and the date of the
 * meeting just before.  Fills symbol and date of the entity labelled `label`. */
static void report_draft(builder *b, const char *report, size_t n, const char *label,
                         const char **symbol, char date[11]) {
  const mandat_lexicon *lx = b->lx;
  for (int f = 0; lx->draft_headings[f]; f++) {
    const char *form = lx->draft_headings[f];
    size_t k, off = 0;
    long at;
    while ((at = lex_find(report + off, n - off, form, &k)) >= 0) {
      size_t p = off + (size_t)at + k;
      off = p;
      while (p < n && report[p] == ' ') p++;
      size_t ll = strlen(label);
      if (!(p + ll < n && strncmp(report + p, label, ll) == 0 &&
            (report[p + ll] == ')' || report[p + ll] == ',' || report[p + ll] == ' ')))
        continue;
      /* the symbol: the last « A/… » token before, within the same paragraph */
      size_t lo = (size_t)(off > 600 ? off - 600 : 0);
      const char *sym = NULL;
      size_t symlen = 0;
      for (size_t q = lo; q + 2 < off; q++) {
        if (report[q] == 'A' && report[q + 1] == '/' && (q == 0 || report[q - 1] == ' ' || report[q - 1] == '(')) {
          size_t e = q;
          while (e < n && report[e] != ' ' && report[e] != ')' && report[e] != ',') e++;
          while (e > q && report[e - 1] == '.') e--;
          sym = report + q, symlen = e - q;
        }
      }
      if (!sym) continue;
      *symbol = doc_str(b->doc, sym, symlen);
      /* the date: the last date stated before, the year carried from earlier dates */
      int year = 0;
      size_t q = 0;
      char iso[11];
      long e;
      while (q < off && (e = lex_date(lx, report + q, off - q, year, iso)) >= 0) {
        memcpy(date, iso, 11);
        year = atoi(iso);
        q += (size_t)e;
      }
      return;
    }
  }
}

/* ------------------------------------------------------------- entities */

typedef enum { MK_CHAPEAU, MK_DECL, MK_DRAFT, MK_ANNEX } mk_kind;

typedef struct {
  mk_kind kind;
  size_t line;
  const char *organ;
  char label[16];
} marker;

static bool is_decl_title(const mandat_lexicon *lx, const char *t) {
  size_t k;
  return t && lex_longest(t, strlen(t), LEX_LIST(lx->declaration_words), &k) >= 0;
}

mandat_status structure_build(mandat_doc *doc, const clines *cl, structure_group_fn group,
                              void *ctx) {
  builder b = {doc, cl, doc->lex, {0}, {0}};
  const mandat_lexicon *lx = doc->lex;
  marker *mk = NULL;
  size_t nmk = 0, capmk = 0;
  for (size_t i = 0; i < cl->n; i++) {
    const cline *c = L(cl, i);
    if (!is_content(c) || !c->len) continue;
    marker m = {MK_CHAPEAU, i, NULL, {0}};
    if (is_chapeau(lx, c->text, c->len, &m.organ)) m.kind = MK_CHAPEAU;
    else if (is_decl_chapeau(lx, c->text, c->len)) m.kind = MK_DECL;
    else if (is_labelled_heading(lx->draft_headings, c->text, c->len, m.label)) m.kind = MK_DRAFT;
    else if (is_labelled_heading(lx->annex_headings, c->text, c->len, m.label)) m.kind = MK_ANNEX;
    else continue;
    VEC_GROW(mk, nmk, capmk);
    mk[nmk++] = m;
  }
  /* A committee report's own text precedes its drafts (report_draft()): the text
   * from the end of the last entity that was not one of its drafts to the first
   * draft heading.  Built once per report, so a file of many reports stays linear. */
  mandat_buf report = {0};
  size_t report_from = 0;
  bool report_ready = false;
  size_t hdr_from = 0;
  const char *runsym = running_symbol(cl);
  for (size_t m = 0; m < nmk; m++) {
    if (mk[m].kind != MK_CHAPEAU && mk[m].kind != MK_DECL) continue;
    size_t ch = mk[m].line;
    /* the opening heading: the last draft/annex heading since hdr_from */
    const marker *open = NULL;
    for (size_t q = m; q-- > 0 && mk[q].line >= hdr_from;)
      if (mk[q].kind == MK_DRAFT || mk[q].kind == MK_ANNEX) {
        open = &mk[q];
        break;
      } else if (mk[q].kind == MK_CHAPEAU || mk[q].kind == MK_DECL) {
        break;
      }
    /* the body ends at the next chapeau or at the heading that opens its entity */
    size_t next = cl->n;
    for (size_t q = m + 1; q < nmk; q++)
      if (mk[q].kind == MK_CHAPEAU || mk[q].kind == MK_DECL) {
        next = mk[q].line;
        for (size_t r = q; r-- > m + 1;)
          if (mk[r].kind == MK_DRAFT || mk[r].kind == MK_ANNEX) {
            next = mk[r].line;
            break;
          }
        break;
      }
    doc_mark mark = doc_mark_now(doc); /* strings from here on are this entity's */
    body bd;
    read_body(&b, ch + 1, next, &bd);
    if (bd.paras.n == 0) {
      rparas_free(&bd.paras);
      rnotes_free(&bd.notes);
      continue;
    }
    mandat_entity *prev = doc->n_ents ? &doc->ents[doc->n_ents - 1] : NULL;
    mandat_entity_kind kind = MANDAT_ENTITY_RESOLUTION;
    int parent = -1;
    header h;
    size_t hfrom = open ? open->line + 1 : hdr_from;
    read_header(&b, hfrom, ch, &h);
    if (open && open->kind == MK_DRAFT) {
      kind = MANDAT_ENTITY_DRAFT;
    } else if (open && open->kind == MK_ANNEX) {
      kind = MANDAT_ENTITY_ANNEX;
      if (prev) parent = (int)(doc->n_ents - 1);
    } else if (prev && prev->n_operative && ch <= hdr_from + 2 &&
               last_char(prev->operative[prev->n_operative - 1].text,
                         strlen(prev->operative[prev->n_operative - 1].text)) == ':') {
      /* « Recommande à l'Assemblée générale d'adopter le projet de résolution suivant : » */
      kind = MANDAT_ENTITY_DRAFT;
      parent = (int)(doc->n_ents - 1);
    } else if (!h.adopted && !h.number && runsym && strstr(runsym, "/L.")) {
      kind = MANDAT_ENTITY_DRAFT;
    }
    if (mk[m].kind == MK_DECL || (kind == MANDAT_ENTITY_ANNEX && is_decl_title(lx, h.title)))
      kind = MANDAT_ENTITY_DECLARATION;
    if (kind == MANDAT_ENTITY_ANNEX || kind == MANDAT_ENTITY_DECLARATION) {
      if (!h.title) h.title = title_before(&b, hfrom, ch);
      if (kind == MANDAT_ENTITY_ANNEX && is_decl_title(lx, h.title)) kind = MANDAT_ENTITY_DECLARATION;
      if (parent < 0 && prev) parent = (int)(doc->n_ents - 1);
    }
    if (parent < 0 && doc->n_ents && group) group(doc, mark, ctx); /* prev is gone */
    mandat_entity *e = doc_add_entity(doc, kind);
    e->parent = parent;
    doc->n_roots += parent < 0;
    prev = parent >= 0 ? &doc->ents[parent] : NULL;
    if (kind != MANDAT_ENTITY_DECLARATION && kind != MANDAT_ENTITY_ANNEX) e->organ = mk[m].organ;
    if (h.organ && !e->organ) e->organ = h.organ;
    e->title = h.title;
    if (!e->title && kind == MANDAT_ENTITY_DRAFT && (open || parent < 0))
      e->title = title_before(&b, hfrom, ch);
    e->agenda_number = h.agenda_number;
    e->agenda_title = h.agenda_title;
    e->session = h.session;
    /* the closing « 69e séance plénière » of nested texts is their root's */
    mandat_entity *root = e;
    while (root->parent >= 0) root = &doc->ents[root->parent];
    if (!root->meeting) root->meeting = bd.meeting ? bd.meeting : h.meeting;
    if (h.date[0]) e->adoption_date = doc_strz(doc, h.date);
    if (bd.date[0] && !root->adoption_date) root->adoption_date = doc_strz(doc, bd.date);
    if (h.number) e->symbol = symbol_for(&b, e->organ, h.number);
    if (kind == MANDAT_ENTITY_DRAFT && open && open->label[0]) {
      if (!report_ready) {
        buf_clear(&report);
        for (size_t i = report_from; i < open->line; i++)
          if (L(cl, i)->kind == CL_TEXT) text_join(&report, L(cl, i)->text, L(cl, i)->len);
        report_ready = true;
      }
      char date[11] = {0};
      const char *sym = NULL;
      report_draft(&b, report.data ? report.data : "", report.len, open->label, &sym, date);
      if (sym) e->symbol = sym;
      if (date[0] && !e->adoption_date) e->adoption_date = doc_strz(doc, date);
    } else if (kind == MANDAT_ENTITY_DRAFT && parent < 0 && !e->symbol && runsym &&
               strstr(runsym, "/L.")) {
      e->symbol = doc_strz(doc, runsym);
    }
    if (!e->session) e->session = session_of(&b, e->symbol);
    if (!e->session && kind == MANDAT_ENTITY_DRAFT && e->organ && strcmp(e->organ, "GA") == 0 &&
        prev && prev->adoption_date) {
      /* a draft recommended to the Assembly goes to the session that opens in the
       * year of the recommendation (the 1st session opened in 1946) */
      char s[16];
      snprintf(s, sizeof s, "%d", atoi(prev->adoption_date) - 1945);
      e->session = doc_strz(doc, s);
    }
    size_t start = open ? open->line : hfrom;
    while (start < ch && !is_content(L(cl, start))) start++;
    if (parent >= 0 && !open) start = ch;
    e->lines.first = L(cl, start)->src;
    e->lines.last = cline_end(L(cl, bd.end));
    /* footnotes: the known numbers let text_unglue_markers() tell a glued note
     * from a digit of the text */
    text_notes known = {0};
    for (size_t k = 0; k < bd.notes.n; k++) text_notes_add(&known, bd.notes.v[k].n);
    for (size_t k = 0; k < bd.paras.n; k++) emit_paragraph(&b, e, &bd.paras.v[k], &known);
    emit_notes(&b, e, &bd.notes);
    text_notes_free(&known);
    for (int p = e->parent; p >= 0; p = doc->ents[p].parent)
      if (doc->ents[p].lines.last < e->lines.last) doc->ents[p].lines.last = e->lines.last;
    hdr_from = bd.end + 1;
    if (!(kind == MANDAT_ENTITY_DRAFT && open && open->label[0])) {
      report_from = hdr_from; /* the next report starts after this text */
      report_ready = false;
    }
    rparas_free(&bd.paras);
    rnotes_free(&bd.notes);
  }
  free(mk);
  buf_free(&report);
  buf_free(&b.raw);
  buf_free(&b.clean);
  return doc->ent_base + doc->n_ents ? MANDAT_OK : MANDAT_ERR_NO_RESOLUTION;
}

/* ------------------------------------------------------------- language */

const mandat_lexicon *structure_language(const clines *cl) {
  /* the text lines of the first 30 kB decide: enough for any language, bounded time */
  mandat_buf sample = {0};
  for (size_t i = 0; i < cl->n && sample.len < 30000; i++)
    if (cl->v[i].kind == CL_TEXT) text_join(&sample, cl->v[i].text, cl->v[i].len);
  const mandat_lexicon *lx = lex_detect(sample.data ? sample.data : "", sample.len);
  buf_free(&sample);
  return lx;
}
