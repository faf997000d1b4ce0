/* cite.c: citations in a paragraph or footnote: resolutions and decisions (with
 * the citing body resolved and a canonical symbol), document symbols and named
 * treaties. One left-to-right pass over the bytes; the words come from the
 * lexicon, the UN symbol conventions (A/RES/…, E/RES/…, S/RES/…) from the
 * tables below. */
#include "cite.h"

#include <stdio.h>
#include <string.h>

#include "lexmatch.h"

/* Limits, each with its reason. */
#define MAX_ITEMS 64 /* numbers in one enumeration: the longest seen in UN texts is ~20 */
#define MAX_SYMBOL                                                                                 \
  64                /* bytes of a document symbol: real ones stay under 40                         \
                     */
#define MAX_ROMAN 7 /* a roman session number: "XXXVIII" is the longest before 1976 */
#define MAX_NOTE_DIGITS                                                                            \
  3 /* digits after the slash of a resolution number: GA and ECOSOC                                \
     * never reached 1000 in a session or year; a longer run is a                                  \
     * number with a footnote marker glued to it (« 65/23211 » is                                \
     * 65/232 + note 11): the token is skipped, not guessed */

/* The shape of a resolution number tells much about who adopted it. */
typedef enum {
  SHAPE_SESSION, /* 46/152: session/number (GA from its 31st session, HRC,
                    CCPCJ, CND, COP) */
  SHAPE_YEAR,    /* 2016/16: year/number (ECOSOC since 1978) */
  SHAPE_SPECIAL, /* S-32/1: special session (GA, HRC) */
  SHAPE_ROMAN,   /* 217 A (III), 155 C (VII): serial number + roman session (GA,
                    ECOSOC before 1976) */
  SHAPE_SC,      /* 1373 (2001): serial number + year (Security Council) */
  SHAPE_DOT      /* 63.22: World Health Assembly */
} shape;

/* First GA session whose resolutions are numbered session/number (1976). */
#define GA_FIRST_SLASH_SESSION 31

/* Organs whose resolutions have a standard symbol: organ id, prefix of a
 * resolution, prefix of a decision (NULL: no standard decision symbol is
 * emitted).  Other bodies (CCPCJ, CND, the conferences of States parties, the
 * Statistical Commission…) number their resolutions but publish them inside a
 * report, without a symbol of their own: their citations get a null symbol and
 * keep the body in as_written. */
static const struct {
  const char *organ, *res, *dec;
} symbol_prefixes[] = {
    {"GA", "A/RES/", "A/DEC/"},  {"ECOSOC", "E/RES/", NULL}, {"SC", "S/RES/", NULL},
    {"HRC", "A/HRC/RES/", NULL}, {"WHA", "WHA", NULL},       {NULL, NULL, NULL},
};

/* Organs that number their resolutions session/number. */
static const char *const session_organs[] = {"GA",      "HRC",      "CCPCJ", "CND", "CHR", "CSW",
                                             "STATCOM", "CTOC-COP", "COSP",  "COP", NULL};

typedef struct {
  size_t start, end; /* bytes of the number as written */
  shape shp;
  int first;        /* session, year or serial number */
  char letter;      /* "57/270 B": 'B', else 0 */
  size_t letter_at; /* where the letter was written (it may stand apart: « A et
                       B ») */
} item;

/* A body as named in the text: organ id and where its name stands.  A weak body
 * (the organ a possessive points to, the context of the sentence) is only
 * applied to numbers its organ could have adopted (fits()). */
typedef struct {
  const char *organ;
  size_t at, len;
  bool weak;
} body_ref;

typedef struct {
  mandat_doc *doc;
  mandat_entity *e;
  const mandat_lexicon *lx;
  const char *t;
  size_t n;
  const char *in;
  const char *adopting; /* organ of e or of its nearest ancestor; NULL if unknown */
  /* Until the end of the sentence: the body of numberless « résolutions du
   * Conseil des droits de l'homme sur la question » (context for « y compris
   * les résolutions 23/9 … »), and the enumeration still open for numbers that
   * come back after a description (« 2004/27 du …, sur les lignes directrices
   * …, et 2011/33 du … »). */
  body_ref context;
  bool open;
  mandat_cite_kind open_kind;
  body_ref open_body;
  bool open_possessive;
  mandat_buf scratch;
  const lex_tables *T; /* the indexes of lx's lists */
  /* the hash of the word last looked up: the scanners try half a dozen tables
   * at each word start, the word is hashed once */
  lex_memo memo;
} scan;

/* Longest form of a table (NULL: none) at s->t + i; returns the entry or -1, *k
 * the bytes matched (0 when none). */
static inline int lookup(scan *s, const lex_table *x, size_t i, size_t *k) {
  return lex_match(x, s->t + i, s->n - i, &s->memo, k);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum_ascii(char c) {
  unsigned char u = (unsigned char)c; /* two range tests, no branch */
  return ((unsigned char)(u - '0') < 10) | ((unsigned char)((u | 32) - 'a') < 26);
}

/* A Latin letter of two or more bytes starts at t+i (as lex_is_letter() and
 * word_start() read it: a lead byte C3..CF and a continuation byte). */
static bool latin_letter(const char *t, size_t n, size_t i) {
  unsigned char c = (unsigned char)t[i];
  return c >= 0xC3 && c <= 0xCF && i + 1 < n && ((unsigned char)t[i + 1] & 0xC0) == 0x80;
}

/* The character before t+i is an ASCII letter or digit or a Latin letter
 * (i > 0): t+i is no word start. */
static bool after_letter(const char *t, size_t i) {
  unsigned char p = (unsigned char)t[i - 1];
  if (p < 0x80) return is_alnum_ascii((char)p);
  return (p & 0xC0) == 0x80 && i >= 2 && (unsigned char)t[i - 2] >= 0xC3 &&
         (unsigned char)t[i - 2] <= 0xCF;
}

/* From t+i, after a letter: past the letters and digits that follow (O(bytes)). */
static size_t word_rest(const char *t, size_t n, size_t i) {
  while (i < n) {
    if (is_alnum_ascii(t[i])) {
      i++;
    } else if (latin_letter(t, n, i)) {
      i += 2;
      while (i < n && ((unsigned char)t[i] & 0xC0) == 0x80) i++;
    } else {
      break;
    }
  }
  return i;
}
static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Blanks, the no-break spaces (U+00A0, U+202F) included; returns the new
 * offset. */
static size_t skip_blanks(const char *t, size_t n, size_t i) {
  for (;;) {
    if (i < n && is_blank(t[i]))
      i++;
    else if (i + 1 < n && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA0)
      i += 2;
    else if (i + 2 < n && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
             (unsigned char)t[i + 2] == 0xAF)
      i += 3;
    else
      return i;
  }
}

/* Past blanks, an optional comma and the blanks after it. */
static size_t skip_comma(const char *t, size_t n, size_t i) {
  i = skip_blanks(t, n, i);
  return i < n && t[i] == ',' ? skip_blanks(t, n, i + 1) : i;
}

/* True when offset i starts a word: the byte before is not a letter, digit or
 * one of the joiners of a symbol ("/", ".", "-"). */
static bool word_start(const char *t, size_t i) {
  if (i == 0) return true;
  unsigned char c = (unsigned char)t[i - 1];
  if (c < 0x80)
    return !(is_digit((char)c) || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '/' || c == '.' ||
             c == '-' || c == '_');
  size_t j = i - 1;
  while (j > 0 && ((unsigned char)t[j] & 0xC0) == 0x80) j--; /* start of that character */
  return !lex_is_letter(t + j, i - j);
}

static size_t digits(const char *t, size_t n, size_t i, int *value) {
  size_t k = i;
  int v = 0;
  while (k < n && is_digit(t[k])) {
    if (k - i < 9) v = v * 10 + (t[k] - '0');
    k++;
  }
  if (value) *value = v;
  return k - i;
}

/* Longest form of a lexicon list at s->t + i; bytes matched or 0. */
static size_t match_list(scan *s, const lex_table *list, size_t i) {
  size_t k;
  return lookup(s, list, i, &k) >= 0 ? k : 0;
}

/* A body of the lexicon at s->t + i: its organ id, *len the bytes matched. */
static const char *match_body(scan *s, size_t i, size_t *len) {
  int idx = lookup(s, s->T->cite_bodies, i, len);
  return idx < 0 ? NULL : s->lx->cite_bodies[idx].organ;
}

/* A lone capital letter (A to H, the parts of a resolution adopted in parts) at
 * t+i, standing as a word. */
static bool part_letter(const char *t, size_t n, size_t i) {
  return i < n && t[i] >= 'A' && t[i] <= 'H' &&
         (i + 1 == n || !lex_is_letter(t + i + 1, n - i - 1)) &&
         !(i + 1 < n && (is_digit(t[i + 1]) || t[i + 1] == '/' || t[i + 1] == '-' ||
                         (t[i + 1] == '.' && i + 2 < n && is_digit(t[i + 2]))));
}

/* A parenthesised roman numeral or 4-digit year at t+i ("(III)", "(2001)").
 * Returns the bytes, 0 if none; *year says which. */
static size_t paren_group(const char *t, size_t n, size_t i, bool *year) {
  if (i >= n || t[i] != '(') return 0;
  size_t k = i + 1;
  int v;
  size_t d = digits(t, n, k, &v);
  if (d == 4 && k + d < n && t[k + d] == ')' && v >= 1946) return *year = true, d + 2;
  if (d) return 0;
  while (k < n && k - i - 1 < MAX_ROMAN &&
         (t[k] == 'I' || t[k] == 'V' || t[k] == 'X' || t[k] == 'L'))
    k++;
  if (k == i + 1 || k >= n || t[k] != ')') return 0;
  return *year = false, k + 1 - i;
}

/* Parse a resolution or decision number at t+i: 46/152, 57/270 B, S-32/1,
 * 2016/16, 217 A (III), 415 (V), 1373 (2001), 63.22.  Returns the end offset,
 * or 0 when there is no number; *skip is set for a number with a glued footnote
 * marker (consumed, not cited; see MAX_NOTE_DIGITS). */
static size_t parse_number(const char *t, size_t n, size_t i, item *it, bool *skip) {
  size_t k = i;
  bool special = false;
  *skip = false;
  memset(it, 0, sizeof *it);
  if (k + 2 < n && t[k] == 'S' && t[k + 1] == '-' && is_digit(t[k + 2]))
    special = true, k += 2;
  else if (k + 3 < n && t[k] == 'E' && t[k + 1] == 'S' && t[k + 2] == '-' && is_digit(t[k + 3]))
    special = true, k += 3;
  int a, b;
  size_t la = digits(t, n, k, &a);
  if (la == 0 || la > 4) return 0;
  k += la;
  it->start = i;
  it->first = a;
  if (k + 1 < n && (t[k] == '/' || t[k] == '.') && is_digit(t[k + 1])) {
    char sep = t[k];
    size_t lb = digits(t, n, k + 1, &b);
    size_t end = k + 1 + lb;
    /* 12/05/2020, 2010/REC, 1/2a, 63.22.1: not a resolution number */
    if (end < n && (t[end] == '/' || lex_is_letter(t + end, n - end) ||
                    (t[end] == '.' && end + 1 < n && is_digit(t[end + 1]))))
      return 0;
    if (sep == '.') {
      if (special || la > 2) return 0;
      it->shp = SHAPE_DOT;
    } else if (la == 4) {
      if (special || a < 1946) return 0;
      it->shp = SHAPE_YEAR;
    } else if (la <= 2) {
      it->shp = special ? SHAPE_SPECIAL : SHAPE_SESSION;
    } else {
      return 0;
    }
    if (lb > MAX_NOTE_DIGITS) return *skip = true, end;
    k = end;
    size_t s = skip_blanks(t, n, k);
    if (sep == '/' && s > k && part_letter(t, n, s))
      it->letter = t[s], it->letter_at = s, k = s + 1;
    it->end = k;
    return k;
  }
  if (special || (k < n && (t[k] == '/' || t[k] == '.' || lex_is_letter(t + k, n - k)))) return 0;
  /* serial number: optional part letter, then (roman session) or (year) */
  size_t s = skip_blanks(t, n, k);
  if (s > k && part_letter(t, n, s)) {
    it->letter = t[s], it->letter_at = s;
    s = skip_blanks(t, n, s + 1);
  }
  bool year;
  size_t g = paren_group(t, n, s, &year);
  if (!g || s == k) return 0;
  if (year && it->letter) return 0;
  it->shp = year ? SHAPE_SC : SHAPE_ROMAN;
  it->end = s + g;
  return it->end;
}

/* After a number: a date (« du 18 décembre 2014 », "of 25 September 2015",
 * « de 25 de septiembre de 2015 »), with an optional comma before it.  The year
 * may carry a glued note marker (« 201714 »): every digit is taken.  Returns
 * the end of the date or i. */
static size_t skip_date(scan *s, size_t i) {
  const char *t = s->t;
  size_t n = s->n;
  size_t k = skip_comma(t, n, i);
  size_t w = match_list(s, s->T->cite_date_intros, k);
  if (!w) return i;
  k = skip_blanks(t, n, k + w);
  int day;
  size_t d = digits(t, n, k, &day);
  if (d == 0 || d > 2 || day < 1 || day > 31) return i;
  k += d;
  if (k + 2 <= n &&
      (memcmp(t + k, "er", 2) == 0 || memcmp(t + k, "st", 2) == 0 || memcmp(t + k, "nd", 2) == 0 ||
       memcmp(t + k, "rd", 2) == 0 || memcmp(t + k, "th", 2) == 0))
    k += 2;
  k = skip_blanks(t, n, k);
  size_t de = match_list(s, s->T->cite_date_intros, k); /* « 25 de septiembre » */
  size_t m = 0;
  if (lookup(s, s->T->months, k, &m) < 0) {
    if (!de) return i;
    k = skip_blanks(t, n, k + de);
    if (lookup(s, s->T->months, k, &m) < 0) return i;
  }
  k = skip_blanks(t, n, k + m);
  de = match_list(s, s->T->cite_date_intros, k);
  size_t y = skip_blanks(t, n, k + de);
  d = digits(t, n, y, NULL);
  return d >= 4 ? y + d : k;
}

/* The adopting organ of e: its own, or the nearest ancestor's. */
static const char *adopting_organ(const mandat_doc *doc, const mandat_entity *e) {
  for (int guard = 0; e && guard < 64;
       guard++) { /* 64: nesting depth far above any real document */
    if (e->organ) return e->organ;
    if (e->parent < 0 || (size_t)e->parent >= doc->n_ents) break;
    e = &doc->ents[e->parent];
  }
  return NULL;
}

static bool in_list(const char *const *list, const char *s) {
  for (; s && *list; list++)
    if (strcmp(*list, s) == 0) return true;
  return false;
}

/* The body of a number when the text names none, from its shape and the
 * adopting organ (the documented rules):
 * - year/number (2016/16) is ECOSOC: no other principal organ numbers by year;
 * - serial (year) (1373 (2001)) is the Security Council;
 * - serial (roman) (217 A (III)) is the adopting organ when it is ECOSOC, else
 * GA;
 * - S-n/m is the adopting organ when it is the HRC, else GA;
 * - n.m is the World Health Assembly;
 * - session/number is the adopting organ when that organ numbers so (GA, HRC,
 * CCPCJ…), else GA; but a GA number needs a session >= 31
 * (GA_FIRST_SLASH_SESSION): « 9/2 » with a GA adopting organ and no body stated
 * is left unresolved (NULL). */
static const char *default_body(const item *it, const char *adopting) {
  bool is_ga = !adopting || strcmp(adopting, "GA") == 0;
  switch (it->shp) {
  case SHAPE_YEAR:
    return "ECOSOC";
  case SHAPE_SC:
    return "SC";
  case SHAPE_DOT:
    return "WHA";
  case SHAPE_ROMAN:
    return adopting && strcmp(adopting, "ECOSOC") == 0 ? "ECOSOC" : "GA";
  case SHAPE_SPECIAL:
    return adopting && strcmp(adopting, "HRC") == 0 ? "HRC" : "GA";
  case SHAPE_SESSION:
    if (!is_ga && in_list(session_organs, adopting)) return adopting;
    return it->first >= GA_FIRST_SLASH_SESSION ? "GA" : NULL;
  }
  return NULL;
}

/* True when an organ numbers its resolutions the way of this item (a body known
 * only from the context is applied only then: « les résolutions pertinentes du
 * Conseil économique et social, notamment la résolution 70/1 » keeps 70/1 for
 * GA). */
static bool fits(const char *organ, const item *it) {
  switch (it->shp) {
  case SHAPE_YEAR:
    return strcmp(organ, "ECOSOC") == 0;
  case SHAPE_SC:
    return strcmp(organ, "SC") == 0;
  case SHAPE_DOT:
    return strcmp(organ, "WHA") == 0;
  case SHAPE_ROMAN:
    return strcmp(organ, "GA") == 0 || strcmp(organ, "ECOSOC") == 0;
  case SHAPE_SPECIAL:
    return strcmp(organ, "GA") == 0 || strcmp(organ, "HRC") == 0;
  case SHAPE_SESSION:
    return in_list(session_organs, organ) &&
           (strcmp(organ, "GA") != 0 || it->first >= GA_FIRST_SLASH_SESSION);
  }
  return false;
}

/* Copy t[a..b) into the scratch buffer with every run of blanks made one space.
 */
static void put_words(mandat_buf *b, const char *t, size_t a, size_t z) {
  bool blank = false;
  for (size_t k = a; k < z;) {
    size_t s = skip_blanks(t, z, k);
    if (s > k) {
      blank = true;
      k = s;
      continue;
    }
    if (blank && b->len) buf_putc(b, ' ');
    blank = false;
    buf_putc(b, t[k++]);
  }
}

/* Add one citation; symbol and as_written are copied into the document arena. A
 * citation of the entity's own symbol is dropped. */
static void add(scan *s, mandat_cite_kind kind, const char *symbol, const char *written) {
  if (symbol && s->e->symbol && strcmp(symbol, s->e->symbol) == 0) return;
  mandat_citation *c = entity_add_citation(s->e);
  c->kind = kind;
  c->symbol = doc_strz(s->doc, symbol);
  c->as_written = doc_strz(s->doc, written);
  snprintf(c->in, sizeof c->in, "%s", s->in);
}

/* The number of an item as written, normalised: "57/270 B", "217 A (III)"; a
 * part letter written apart (« 74/550 A et B ») is attached to its number. */
static void number_text(const scan *s, const item *it, mandat_buf *b) {
  buf_clear(b);
  put_words(b, s->t, it->start, it->end);
  if (it->letter && !(it->letter_at >= it->start && it->letter_at < it->end)) {
    buf_putc(b, ' ');
    buf_putc(b, it->letter);
  }
}

/* Emit the items of one enumeration.  The body of each: the one stated for the
 * enumeration (named before or after the numbers, or the organ a possessive
 * points to), else the sentence's context body when it fits the number, else
 * default_body().  Without a possessive the context applies; with one it does
 * not (« sa résolution » is the adopting body's). */
static void emit_items(scan *s, mandat_cite_kind kind, const item *items, size_t n_items,
                       body_ref stated, bool possessive) {
  char sym[MAX_SYMBOL + 32];
  for (size_t i = 0; i < n_items; i++) {
    const item *it = &items[i];
    body_ref b = stated;
    if (b.organ && b.weak && !fits(b.organ, it)) b.organ = NULL;
    if (!b.organ && !possessive && s->context.organ && fits(s->context.organ, it)) b = s->context;
    const char *body = b.organ ? b.organ : default_body(it, s->adopting);
    number_text(s, it, &s->scratch);
    const char *num = buf_cstr(&s->scratch);
    const char *prefix = NULL;
    for (int p = 0; body && symbol_prefixes[p].organ; p++)
      if (strcmp(symbol_prefixes[p].organ, body) == 0)
        prefix = kind == MANDAT_CITE_DECISION ? symbol_prefixes[p].dec : symbol_prefixes[p].res;
    /* The shape must fit the organ's numbering: no "S/RES/46/152". */
    if (prefix && (strcmp(body, "SC") == 0 || strcmp(body, "WHA") == 0) && !fits(body, it))
      prefix = NULL;
    if (prefix) snprintf(sym, sizeof sym, "%s%s", prefix, num);
    if (!prefix && b.organ) { /* keep who adopted it: "25/2 de la Commission …" */
      buf_putc(&s->scratch, ' ');
      put_words(&s->scratch, s->t, b.at, b.at + b.len);
    }
    add(s, kind, prefix ? sym : NULL, buf_cstr(&s->scratch));
  }
}

/* After a number: a separator (a comma, a joiner, or both: « , et »).  Returns
 * the offset after it, or i when there is none. */
static size_t skip_separator(scan *s, size_t i) {
  const char *t = s->t;
  size_t n = s->n;
  size_t q = skip_comma(t, n, i);
  size_t j = match_list(s, s->T->cite_joiners, q);
  if (j) q = skip_blanks(t, n, q + j);
  return q == skip_blanks(t, n, i) ? i : q;
}

/* After a number: its date and a mention of its annex (« 76/181, annexe »). */
static size_t skip_extras(scan *s, size_t i) {
  const char *t = s->t;
  size_t n = s->n;
  i = skip_date(s, i);
  size_t q = skip_comma(t, n, i);
  size_t w = match_list(s, s->T->annex_headings, q);
  return w ? q + w : i;
}

/* The numbers of an enumeration from t+k: number (date) (, | joiner) number …
 * [body] (« 46/152 du 18 décembre 1991, 60/1 … et 78/229 », « 74/550 A et B »,
 * « 9/1 … et 10/1 … de la Conférence des Parties »).  A body right after the
 * last number applies to all of them.  Emits the citations and leaves the
 * enumeration open; returns the end of what was read, or 0 when there is no
 * number at k. */
static size_t scan_numbers(scan *s, size_t k, mandat_cite_kind kind, body_ref stated,
                           bool possessive) {
  const char *t = s->t;
  size_t n = s->n, end = 0;
  item items[MAX_ITEMS];
  size_t n_items = 0;
  bool any = false;
  for (;;) {
    item it;
    bool skip;
    size_t e = parse_number(t, n, k, &it, &skip);
    if (!e) break;
    any = true;
    if (!skip) {
      if (n_items == MAX_ITEMS) { /* flush: a body after so long a list is not
                                     waited for */
        emit_items(s, kind, items, n_items, stated, possessive);
        n_items = 0;
      }
      items[n_items++] = it;
    }
    end = skip_extras(s, e);
    size_t q = skip_separator(s, end);
    if (q == end) break;
    /* « 74/550 A et B »: a lone part letter continues the previous number */
    while (!skip && it.letter && part_letter(t, n, q) && n_items < MAX_ITEMS) {
      item more = it;
      more.letter = t[q], more.letter_at = q;
      items[n_items++] = more;
      end = q + 1;
      q = skip_separator(s, end);
    }
    k = q;
  }
  if (!any) return 0;
  size_t q = skip_blanks(t, n, end), blen;
  const char *organ;
  if (!stated.organ && (organ = match_body(s, q, &blen)) != NULL) {
    stated = (body_ref){organ, q, blen, false};
    end = q + blen;
  }
  emit_items(s, kind, items, n_items, stated, possessive);
  s->open = true, s->open_kind = kind, s->open_body = stated, s->open_possessive = possessive;
  return end;
}

/* A resolution or decision word with what surrounds it, at t+i: [body] word
 * [body] numbers ("Security Council resolution 1373 (2001)", « résolutions du
 * Conseil économique et social 2014/23 et 2015/23 », « sa décision 74/550 A »).
 * `stated` is the organ a possessive points to, if any.  A word with a body but
 * no number (« les résolutions du Conseil des droits de l'homme sur la
 * question ») sets the context body of the sentence.  Returns the end of what
 * was read, or 0. */
static size_t scan_list(scan *s, size_t i, body_ref stated, bool possessive) {
  const mandat_lexicon *lx = s->lx;
  const char *t = s->t;
  size_t n = s->n, k = i, w = 0, blen;
  const char *organ;
  int b;
  if (!stated.organ && (b = lookup(s, s->T->cite_bodies, k, &blen)) >= 0) {
    organ = lx->cite_bodies[b].organ;
    if (organ) {
      stated = (body_ref){organ, k, blen, false};
      k = skip_blanks(t, n, k + blen);
    }
  }
  mandat_cite_kind kind = MANDAT_CITE_RESOLUTION;
  if (lookup(s, s->T->resolution_words, k, &w) < 0) {
    if (lookup(s, s->T->decision_words, k, &w) < 0) return 0;
    kind = MANDAT_CITE_DECISION;
  }
  k = skip_blanks(t, n, k + w);
  if (!stated.organ && (organ = match_body(s, k, &blen)) != NULL) {
    stated = (body_ref){organ, k, blen, false};
    k = skip_blanks(t, n, k + blen);
  }
  size_t end = scan_numbers(s, k, kind, stated, possessive);
  if (end) return end;
  if (stated.organ && stated.at > i) { /* « résolutions du Conseil … » without numbers */
    s->context = stated;
    s->context.weak = true;
    return stated.at + stated.len;
  }
  return 0;
}

/* A possessive before a resolution word, at t+i (« sa résolution », "its
 * resolutions"): the adopting body's.  Returns the end of what was read, or 0.
 */
static size_t scan_possessive(scan *s, size_t i, body_ref subject) {
  size_t w;
  if (lookup(s, s->T->cite_possessives, i, &w) < 0) return 0;
  return scan_list(s, skip_blanks(s->t, s->n, i + w), subject, true);
}

/* An organ named as a subject, then its possessive within a few words: « la
 * Commission pour la prévention du crime et la justice pénale dans sa
 * résolution 34/1 », "the Security Council, in its resolution 2341 (2017)". The
 * possessive points to that organ.  Up to SUBJECT_GAP words (lower case) or
 * commas may stand between: « la Commission a, dans sa résolution ».  Returns
 * the end, or 0. */
#define SUBJECT_GAP                                                                                \
  4 /* « a, dans », « , dans », "has, in": the gap is a verb and a preposition                 \
     */
static size_t scan_subject(scan *s, size_t i) {
  const mandat_lexicon *lx = s->lx;
  const char *t = s->t;
  size_t n = s->n, len;
  int idx = lookup(s, s->T->organs, i, &len);
  if (idx < 0) return 0;
  body_ref subject = {lx->organs[idx].organ, i, len, true};
  size_t k = i + len;
  for (int gap = 0; gap <= SUBJECT_GAP; gap++) {
    k = skip_blanks(t, n, k);
    size_t end = scan_possessive(s, k, subject);
    if (end) return end;
    if (k < n && t[k] == ',') {
      k++;
    } else if (k < n && lex_is_lower(t + k, n - k)) {
      while (k < n &&
             (lex_is_letter(t + k, n - k) || t[k] == '\'' || (unsigned char)t[k] >= 0x80) &&
             !is_blank(t[k]))
        k++;
    } else {
      break;
    }
  }
  return 0;
}

/* A number that comes back to an open enumeration after a description, at t+i
 * (the separator): « 2004/27 du 21 juillet 2004, sur les lignes directrices …,
 * 2005/20 du 22 juillet 2005 ».  Returns the end, or 0. */
static size_t scan_continuation(scan *s, size_t i) {
  if (!s->open) return 0;
  size_t q = skip_separator(s, i);
  if (q == i) return 0;
  return scan_numbers(s, q, s->open_kind, s->open_body, s->open_possessive);
}

/* Quotation marks open (+1) or close (-1) at t+i: « », “ ”; 0 otherwise.  A
 * title in quotes (« … : harcèlement sexuel ») does not end the enumeration
 * around it. */
static int quote_at(const char *t, size_t n, size_t i) {
  unsigned char a = (unsigned char)t[i], b = i + 1 < n ? (unsigned char)t[i + 1] : 0;
  unsigned char c = i + 2 < n ? (unsigned char)t[i + 2] : 0;
  if (a == 0xC2 && b == 0xAB) return 1;
  if (a == 0xC2 && b == 0xBB) return -1;
  if (a == 0xE2 && b == 0x80 && c == 0x9C) return 1;
  if (a == 0xE2 && b == 0x80 && c == 0x9D) return -1;
  return 0;
}

/* True at the end of a sentence or of a clause that closes an enumeration:
 * « ; », « : », or a full stop before a capital letter or the end. */
static bool sentence_end(const char *t, size_t n, size_t i) {
  if (t[i] == ';' || t[i] == ':') return true;
  if (t[i] != '.') return false;
  size_t q = skip_blanks(t, n, i + 1);
  return q == n || (q > i + 1 && lex_is_upper(t + q, n - q));
}

/* A UN document symbol at t+i: capital letters, then "/"-separated parts of
 * letters, digits, "." and "-" (A/80/545, A/CONF.234/16, E/CN.15/2022/11,
 * A/C.3/77/L.2, CTOC/COP/2020/10), holding a digit.  A part "RES" makes it a
 * resolution (with its part letter or "(2017)" of a Security Council symbol),
 * "DEC" a decision.  Emits the citation; returns the end, or 0. */
static size_t scan_symbol(scan *s, size_t i) {
  const char *t = s->t;
  size_t n = s->n, k = i;
  if (!(t[k] >= 'A' && t[k] <= 'Z')) return 0;
  while (k < n && ((t[k] >= 'A' && t[k] <= 'Z') || is_digit(t[k]) || t[k] == '.')) k++;
  if (k >= n || t[k] != '/') return 0;
  bool digit = false, res = false, dec = false;
  size_t parts = 0;
  while (k < n && t[k] == '/') {
    size_t p = k + 1, q = p;
    while (q < n && (lex_is_letter(t + q, 1) || is_digit(t[q]) || t[q] == '.' || t[q] == '-') &&
           (unsigned char)t[q] < 0x80)
      digit |= is_digit(t[q]), q++;
    if (q == p) break;
    res |= q - p == 3 && memcmp(t + p, "RES", 3) == 0;
    dec |= q - p == 3 && memcmp(t + p, "DEC", 3) == 0;
    parts++;
    k = q;
  }
  while (k > i && (t[k - 1] == '.' || t[k - 1] == '-')) k--; /* sentence end: « A/71/114. » */
  if (!parts || !digit || k - i > MAX_SYMBOL || (k < n && lex_is_letter(t + k, n - k))) return 0;
  if (res || dec) { /* S/RES/2341 (2017), A/RES/57/270 B, A/RES/217 A (III) */
    size_t q = skip_blanks(t, n, k);
    if (q > k && part_letter(t, n, q)) k = q + 1, q = skip_blanks(t, n, k);
    bool year;
    size_t g = q > k ? paren_group(t, n, q, &year) : 0;
    if (g) k = q + g;
  }
  buf_clear(&s->scratch);
  put_words(&s->scratch, t, i, k);
  const char *sym = buf_cstr(&s->scratch);
  add(s,
      res   ? MANDAT_CITE_RESOLUTION
      : dec ? MANDAT_CITE_DECISION
            : MANDAT_CITE_DOCUMENT,
      sym, sym);
  return k;
}

/* A named treaty or instrument of the lexicon at t+i; emits it and returns the
 * end. */
static size_t scan_treaty(scan *s, size_t i) {
  size_t len;
  int idx = lookup(s, s->T->treaties, i, &len);
  if (idx < 0) return 0;
  buf_clear(&s->scratch);
  put_words(&s->scratch, s->t, i, i + len);
  add(s, MANDAT_CITE_TREATY, s->lx->treaties[idx].id, buf_cstr(&s->scratch));
  return i + len;
}

/* The scan: at each word start, in this order, a possessive, a subject organ
 * with its possessive, an enumeration, a number coming back to an open
 * enumeration, a document symbol, a treaty.  Each consumes what it read, so a
 * number is cited once. */
void cite_extract(mandat_doc *doc, mandat_entity *e, const char *text, const char *in) {
  if (!text || !doc->lex) return;
  scan s = {.doc = doc,
            .e = e,
            .lx = doc->lex,
            .t = text,
            .n = strlen(text),
            .in = in,
            .adopting = adopting_organ(doc, e),
            .T = lex_tables_of(doc->lex)};
  const body_ref none = {0};
  size_t i = 0;
  int quotes = 0; /* depth of quotation marks */
  while (i < s.n) {
    size_t next = 0;
    /* a letter or digit after another (ASCII, or a two-byte Latin letter) is
     * inside a word: no quote, no sentence end, no word start, nothing to scan
     * (most bytes of a text, passed in one tight loop) */
    if (i > 0 && after_letter(s.t, i)) {
      i = word_rest(s.t, s.n, i);
      if (i == s.n) break;
    }
    if (is_blank(s.t[i])) { /* blanks: no quote, no sentence end, no word start */
      while (i < s.n && is_blank(s.t[i])) i++;
      while (i < s.n && ((unsigned char)s.t[i] & 0xC0) == 0x80) i++;
      continue;
    }
    unsigned char lead = (unsigned char)s.t[i];
    if (lead == 0xC2 || lead == 0xE2) { /* the lead bytes of « » “ ” */
      quotes += quote_at(s.t, s.n, i);
      if (quotes < 0) quotes = 0; /* a stray closing mark */
    }
    if (quotes == 0 && sentence_end(s.t, s.n, i)) {
      s.open = false;
      s.context = none;
    }
    bool start = word_start(s.t, i);
    if (s.t[i] == ',' || start) next = scan_continuation(&s, i);
    /* only where a form of the scanners' tables or a symbol can start */
    const lex_table *open = &s.T->cite_openers;
    if (!next && start && lex_may_match(open, s.t + i, s.n - i)) {
      next = scan_possessive(&s, i, none);
      if (!next) next = scan_subject(&s, i);
      if (!next) next = scan_list(&s, i, none, false);
      if (!next) next = scan_symbol(&s, i);
      if (!next) next = scan_treaty(&s, i);
    }
    if (next > i) {
      i = next;
    } else { /* next character */
      i++;
      while (i < s.n && ((unsigned char)s.t[i] & 0xC0) == 0x80) i++;
    }
  }
  buf_free(&s.scratch);
}
