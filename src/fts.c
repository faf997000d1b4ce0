/* fts.c: the "mandat" FTS5 tokenizer.  One FTS table holds paragraphs in French,
 * English and Spanish, and a query does not say its language, so every word is
 * indexed under its folded form (case folded, accents stripped: « Extrabudgétaires »
 * → "extrabudgetaires") and, at the same position (FTS5_TOKEN_COLOCATED), under its
 * Snowball stems in all three languages, duplicates dropped.  A query word is
 * expanded into its stems, alternatives, so "ressource extrabudgetaire" finds
 * « ressources extrabudgétaires », "request" finds "Requests" and « pide » finds
 * « pidió ».  Cost: one to four index entries per word instead of one (1.65 on
 * average on the bundled French corpus, 1.54 on English text: the three stems
 * mostly coincide), and some cross-language false friends (an English stem
 * matching a French word).  The alternative, one stemmer per document from its
 * language, would need the row's language inside the tokenizer, which FTS5 does not
 * pass, and would still need every stem of a query word, whose language is unknown.
 *
 * Stems are taken of the lowercased word with its accents (Snowball's rules use
 * them: Spanish « pidió » → "pid") and, when the word has accents, of the folded
 * word too (so the unaccented query "pidio" still meets it); stems are then
 * accent-stripped.  Prefix queries (word*) use the folded form only.
 *
 * UN symbols are one token, lowercased: a run of ASCII letters and digits joined by
 * '/', '.' or '-' that holds a '/' and a digit (A/RES/80/229, E/CN.15/2024/L.3,
 * A/C.3/77/L.2; "S/RES/2341 (2017)" keeps its year, spaced or not).  In documents the symbol is
 * also indexed under its number (the tail from the first part that starts with a
 * digit: "80/229", "2024/l.3", "2341"), so a bare "80/229" finds A/RES/80/229.
 *
 * Words are runs of letters, marks and decimal digits (Unicode categories L*, M*,
 * Nd, Nl); superscript digits (footnote markers) and apostrophes separate words.
 * Invalid UTF-8 bytes are separators: FTS5 may hand over any bytes.
 *
 * Limit: a word or symbol longer than MANDAT_FTS_MAX_TOKEN (64) bytes is cut there,
 * the rest skipped.  No word or symbol of the three languages comes near (the longest
 * symbols are some 25 bytes); longer runs are extraction debris (URLs, base64) that
 * would only bloat the term index, and the bound lets folding and stemming work in
 * fixed buffers with no allocation per token.
 *
 * Query words: a document word is indexed under its folded form and its stems, a
 * query word (without '*') asks for its stems alone.  Each form of a query word is
 * one more list of rows that FTS5 merges for every match, a merge that costs more
 * than reading the list (3 to 7 times as long for "corruption": corruption +
 * corrupt against corrupt alone), and the folded form adds almost nothing: a
 * document word with the same folded form has the same stems.  What it would add:
 * the document words that have the query word as a stem when no stemmer keeps the
 * query word as it is (when one does, "member" in English, the folded form is a
 * stem and is asked for: "member" finds "Members", whose English stem it is).  On
 * the 58 queries of bench/search_bench.c over 700,000 paragraphs that loses no
 * match.  Words whose only form is the folded form (numbers, "70/1") ask for it.
 *
 * Speed: stemming three times per word is the cost of indexing, so the forms of each
 * word are kept in a per-tokenizer cache (a hash table over a 1 MiB arena, emptied
 * when full); resolutions repeat their vocabulary, so nearly every word hits. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "fts.h"

#define MAX_TOK MANDAT_FTS_MAX_TOKEN
/* Room for a folded word: casefolding can triple a codepoint (ß → ss, ŉ → ʼn), and
 * one codepoint is at most 4 bytes of UTF-8. */
#define FOLD_CAP (MAX_TOK * 3)
/* folded form + 3 stems of the word + 3 of its folded form */
#define MAX_FORMS MANDAT_FTS_MAX_FORMS
#define NLANG 3
#define CACHE_SLOTS 16384 /* power of two; the cache is emptied at half load */
#define CACHE_ARENA (1 << 20)

static const char *const lang_code[NLANG] = {"fr", "en", "es"};
static const char *const lang_name[NLANG] = {"french", "english", "spanish"};

typedef struct mandat_fts_tokenizer {
  struct sb_stemmer *stem[NLANG];
  int nstem;
  /* cache: slot holds 1 + offset of an entry in arena, 0 when empty.  An entry is
   * [key length][key][form count][fold_stem]([form length][form])... */
  uint32_t *slot;
  unsigned char *arena;
  size_t used, entries;
} tokenizer;

/* The forms of one word: forms[0] is the folded word, the rest its stems;
 * fold_stem is 1 when a stemmer also gave the folded word. */
typedef struct {
  int n, fold_stem;
  int len[MAX_FORMS];
  char text[MAX_FORMS][FOLD_CAP + 1];
} forms;

static void tok_delete(Fts5Tokenizer *p) {
  tokenizer *t = (tokenizer *)p;
  if (!t)
    return;
  for (int i = 0; i < t->nstem; i++)
    sb_stemmer_delete(t->stem[i]);
  free(t->slot);
  free(t->arena);
  free(t);
}

/* xCreate: arguments are language codes (fr en es) choosing the stemmers; none means
 * all three.  An unknown argument is an error, so a typo in a schema shows at once. */
static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)ctx;
  *out = NULL;
  tokenizer *t = calloc(1, sizeof *t);
  if (!t)
    return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  int want[NLANG] = {argc == 0, argc == 0, argc == 0};
  for (int i = 0; i < argc; i++) {
    int k = 0;
    while (k < NLANG && strcmp(argv[i], lang_code[k]) != 0)
      k++;
    if (k == NLANG) {
      rc = SQLITE_ERROR;
      goto done;
    }
    want[k] = 1;
  }
  for (int k = 0; k < NLANG; k++) {
    if (!want[k])
      continue;
    t->stem[t->nstem] = sb_stemmer_new(lang_name[k], "UTF_8");
    if (!t->stem[t->nstem]) {
      rc = SQLITE_NOMEM;
      goto done;
    }
    t->nstem++;
  }
  t->slot = calloc(CACHE_SLOTS, sizeof *t->slot);
  t->arena = malloc(CACHE_ARENA);
  if (!t->slot || !t->arena)
    rc = SQLITE_NOMEM;
done:
  if (rc != SQLITE_OK) {
    tok_delete((Fts5Tokenizer *)t);
    t = NULL;
  }
  *out = (Fts5Tokenizer *)t;
  return rc;
}

static int is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Default-ignorable characters that PDF extraction leaves inside words (soft hyphen,
 * zero-width joiners, BOM): part of the word, dropped by folding. */
static int is_ignorable(utf8proc_int32_t c) {
  return c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

/* Is the codepoint at s[0..n) a word character?  Sets *len to its byte length (1 for
 * an invalid byte, which is never a word character). */
static int word_char(const unsigned char *s, size_t n, size_t *len) {
  if (s[0] < 0x80) {
    *len = 1;
    return is_ascii_alnum(s[0]);
  }
  utf8proc_int32_t c;
  utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n < 4 ? n : 4), &c);
  if (k <= 0) {
    *len = 1;
    return 0;
  }
  *len = (size_t)k;
  if (is_ignorable(c))
    return 1;
  utf8proc_category_t cat = utf8proc_category(c);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) ||
         cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL;
}

/* Map s[0..n) (valid UTF-8) with utf8proc options into out (FOLD_CAP + 1 bytes),
 * NUL-terminated; returns the byte length, 0 when nothing is left. */
static int map_utf8(const char *s, int n, utf8proc_option_t opt, char *out) {
  utf8proc_int32_t buf[FOLD_CAP];
  opt |= UTF8PROC_IGNORE;
  utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)s, n, buf, FOLD_CAP, opt);
  while (k > FOLD_CAP && n > 1) { /* pathological expansion: fold a shorter prefix */
    n /= 2;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
    k = utf8proc_decompose((const utf8proc_uint8_t *)s, n, buf, FOLD_CAP, opt);
  }
  if (k <= 0 || k > FOLD_CAP)
    return 0;
  k = utf8proc_reencode(buf, k, opt);
  if (k <= 0)
    return 0;
  int len = (int)k < FOLD_CAP ? (int)k : FOLD_CAP;
  while (len > 0 && ((unsigned char)((char *)buf)[len] & 0xC0) == 0x80 && len < (int)k)
    len--;
  memcpy(out, buf, (size_t)len);
  out[len] = '\0';
  return len;
}

static int has_form(const forms *f, const char *s, int n) {
  for (int i = 0; i < f->n; i++)
    if (f->len[i] == n && memcmp(f->text[i], s, (size_t)n) == 0)
      return 1;
  return 0;
}

static void add_form(forms *f, const char *s, int n) {
  if (n <= 0 || n > FOLD_CAP || f->n == MAX_FORMS || has_form(f, s, n))
    return;
  memcpy(f->text[f->n], s, (size_t)n);
  f->text[f->n][n] = '\0';
  f->len[f->n++] = n;
}

/* Add the accent-stripped stems of w[0..n) (lowercase) in every language. */
static void add_stems(tokenizer *t, forms *f, const char *w, int n) {
  for (int i = 0; i < t->nstem; i++) {
    const sb_symbol *s = sb_stemmer_stem(t->stem[i], (const sb_symbol *)w, n);
    if (!s)
      continue; /* out of memory inside Snowball: the word keeps its other forms */
    int len = sb_stemmer_length(t->stem[i]);
    int ascii = 1;
    for (int k = 0; k < len; k++)
      ascii &= s[k] < 0x80;
    char out[FOLD_CAP + 1];
    const char *stem = (const char *)s;
    if (!ascii)
      stem = out, len = map_utf8((const char *)s, len, UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK, out);
    if (f->n > 0 && len == f->len[0] && memcmp(stem, f->text[0], (size_t)len) == 0)
      f->fold_stem = 1;
    add_form(f, stem, len);
  }
}

/* The forms of the word w[0..n): folded form first, then stems (none when stems is
 * 0).  Leaves f->n == 0 when the word folds to nothing. */
static void word_forms(tokenizer *t, const char *w, int n, int stems, forms *f) {
  f->n = f->fold_stem = 0;
  int ascii = 1;
  for (int i = 0; i < n; i++)
    ascii &= (unsigned char)w[i] < 0x80;
  if (ascii) {
    char low[MAX_TOK + 1];
    for (int i = 0; i < n; i++)
      low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
    add_form(f, low, n);
    if (stems)
      add_stems(t, f, low, n);
    return;
  }
  char low[FOLD_CAP + 1], fold[FOLD_CAP + 1];
  int nl = map_utf8(w, n, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE, low);
  int nf = map_utf8(w, n, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK, fold);
  add_form(f, fold, nf);
  if (!stems || f->n == 0)
    return;
  add_stems(t, f, low, nl);
  if (nl != nf || memcmp(low, fold, (size_t)nf) != 0)
    add_stems(t, f, fold, nf);
}

static uint32_t hash(const char *s, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* word_forms with stems, through the cache. */
static void cached_forms(tokenizer *t, const char *w, int n, forms *f) {
  uint32_t h = hash(w, n) & (CACHE_SLOTS - 1);
  while (t->slot[h]) {
    const unsigned char *e = t->arena + t->slot[h] - 1;
    if (e[0] == n && memcmp(e + 1, w, (size_t)n) == 0) {
      const unsigned char *p = e + 1 + n;
      f->n = *p++;
      f->fold_stem = *p++;
      for (int i = 0; i < f->n; i++) {
        f->len[i] = *p++;
        memcpy(f->text[i], p, (size_t)f->len[i]);
        f->text[i][f->len[i]] = '\0';
        p += f->len[i];
      }
      return;
    }
    h = (h + 1) & (CACHE_SLOTS - 1);
  }
  word_forms(t, w, n, 1, f);
  size_t need = 3 + (size_t)n;
  for (int i = 0; i < f->n; i++)
    need += 1 + (size_t)f->len[i];
  for (int i = 0; i < f->n; i++)
    if (f->len[i] > 255)
      return; /* not representable in the entry: not cached */
  if (t->used + need > CACHE_ARENA || t->entries >= CACHE_SLOTS / 2) {
    memset(t->slot, 0, CACHE_SLOTS * sizeof *t->slot);
    t->used = t->entries = 0;
    h = hash(w, n) & (CACHE_SLOTS - 1);
  }
  unsigned char *p = t->arena + t->used;
  t->slot[h] = (uint32_t)t->used + 1;
  *p++ = (unsigned char)n;
  memcpy(p, w, (size_t)n);
  p += n;
  *p++ = (unsigned char)f->n;
  *p++ = (unsigned char)f->fold_stem;
  for (int i = 0; i < f->n; i++) {
    *p++ = (unsigned char)f->len[i];
    memcpy(p, f->text[i], (size_t)f->len[i]);
    p += f->len[i];
  }
  t->used += need;
  t->entries++;
}

/* Length of the UN symbol starting at s[0..n), 0 if none (see the top comment);
 * *core is its length without a trailing " (2017)". */
static size_t symbol_len(const unsigned char *s, size_t n, size_t *core) {
  size_t j = 0;
  int slash = 0, digit = 0;
  while (j < n) {
    if (is_ascii_alnum(s[j])) {
      digit |= s[j] >= '0' && s[j] <= '9';
      j++;
    } else if ((s[j] == '/' || s[j] == '.' || s[j] == '-') && j + 1 < n &&
               is_ascii_alnum(s[j + 1])) {
      slash |= s[j] == '/';
      j++;
    } else {
      break;
    }
  }
  if (!slash || !digit)
    return 0;
  size_t k;
  if (j < n && word_char(s + j, n - j, &k))
    return 0; /* glued to a non-ASCII letter */
  *core = j;
  /* "S/RES/2341 (2017)": the year belongs to the symbol */
  size_t y = j + (j < n && s[j] == ' ');
  if (y + 6 <= n && s[y] == '(' && s[y + 5] == ')') {
    int year = 1;
    for (int i = 1; i <= 4; i++)
      year &= s[y + i] >= '0' && s[y + i] <= '9';
    if (year)
      j = y + 6;
  }
  return j;
}

/* The next word or symbol of s[*i..n) as the flags (FTS5_TOKENIZE_*) ask for it: its
 * bytes [*start, *end), and in f its forms, of which f->text[*first..*last) are
 * emitted (the first at the token's position, the others colocated; none when the
 * word folds to nothing).  *i moves past it.  Returns 0 at the end of the text. */
static int next_token(tokenizer *t, int flags, const unsigned char *s, size_t n, size_t *i,
                      forms *f, size_t *start, size_t *end, int *first, int *last) {
  int query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  int prefix = (flags & FTS5_TOKENIZE_PREFIX) != 0;
  int aux = (flags & FTS5_TOKENIZE_AUX) != 0; /* highlight/snippet: offsets only */
  size_t len;
  while (*i < n && !word_char(s + *i, n - *i, &len))
    *i += len;
  if (*i >= n)
    return 0;
  *start = *i;
  size_t core = 0;
  size_t sym = is_ascii_alnum(s[*i]) ? symbol_len(s + *i, n - *i, &core) : 0;
  if (sym) {
    *end = *start + sym;
    if (core > MAX_TOK)
      core = MAX_TOK;
    char low[MAX_TOK + 8]; /* the symbol, then " (yyyy)" whatever the spacing */
    for (size_t k = 0; k < core; k++) {
      unsigned char c = s[*start + k];
      low[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    size_t cut = core;
    if (sym > core) {
      memcpy(low + core, " (", 2);
      memcpy(low + core + 2, s + *start + sym - 5, 5);
      cut = core + 7;
    }
    f->n = f->fold_stem = 0;
    add_form(f, low, (int)cut);
    if (!query && !aux) { /* colocated: the symbol without its year, then its number */
      add_form(f, low, (int)core);
      for (size_t k = 1; k + 1 < core && !(low[0] >= '0' && low[0] <= '9'); k++)
        if (low[k] == '/' && low[k + 1] >= '0' && low[k + 1] <= '9') {
          add_form(f, low + k + 1, (int)(core - k - 1));
          break;
        }
    }
  } else {
    *end = *i;
    while (*end < n && word_char(s + *end, n - *end, &len))
      *end += len;
    size_t cut = *end - *start;
    if (cut > MAX_TOK) {
      cut = MAX_TOK;
      while (cut > 0 && (s[*start + cut] & 0xC0) == 0x80)
        cut--;
    }
    if (aux || (query && prefix))
      word_forms(t, (const char *)s + *start, (int)cut, 0, f);
    else
      cached_forms(t, (const char *)s + *start, (int)cut, f);
  }
  /* A query word without '*' asks for its stems alone: see "Query words" at the
   * top.  Documents index every form. */
  *first = query && !prefix && !sym && f->n > 1 && !f->fold_stem;
  *last = aux ? 1 : MAX_FORMS;
  if (*last > f->n)
    *last = f->n;
  *i = *end;
  return 1;
}

/* Emit forms[first..last): the first at the position, the rest colocated. */
static int emit(void *ctx, int (*x)(void *, int, const char *, int, int, int), const forms *f,
                int first, int last, int start, int end) {
  int rc = SQLITE_OK;
  for (int i = first; i < last && rc == SQLITE_OK; i++)
    rc = x(ctx, i > first ? FTS5_TOKEN_COLOCATED : 0, f->text[i], f->len[i], start, end);
  return rc;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
                        int (*x)(void *, int, const char *, int, int, int)) {
  tokenizer *t = (tokenizer *)p;
  const unsigned char *s = (const unsigned char *)text;
  size_t n = ntext > 0 ? (size_t)ntext : 0, i = 0, start, end;
  int first, last, rc = SQLITE_OK;
  forms f;
  if ((flags & FTS5_TOKENIZE_QUERY) && !(flags & FTS5_TOKENIZE_PREFIX) && n > 1 &&
      s[0] == MANDAT_FTS_EXACT) /* one term, as it is */
    return x(ctx, 0, text + 1, (int)n - 1, 0, (int)n);
  while (rc == SQLITE_OK && next_token(t, flags, s, n, &i, &f, &start, &end, &first, &last))
    rc = emit(ctx, x, &f, first, last, (int)start, (int)end);
  return rc;
}

typedef struct {
  char (*out)[MANDAT_FTS_TERM_MAX];
  int max, n, positions;
} term_list;

static int collect_term(void *ctx, int flags, const char *s, int n, int start, int end) {
  (void)start, (void)end;
  term_list *l = ctx;
  if (!(flags & FTS5_TOKEN_COLOCATED))
    l->positions++;
  if (n <= 0 || n >= MANDAT_FTS_TERM_MAX || l->n == l->max)
    return SQLITE_ERROR;
  memcpy(l->out[l->n], s, (size_t)n);
  l->out[l->n++][n] = '\0';
  return SQLITE_OK;
}

int mandat_fts_query_terms(const char *w, size_t n, char (*out)[MANDAT_FTS_TERM_MAX], int max) {
  Fts5Tokenizer *t = NULL;
  term_list l = {out, max, 0, 0};
  if (n == 0 || n > 4 * MAX_TOK || tok_create(NULL, NULL, 0, &t) != SQLITE_OK)
    return 0;
  int rc = tok_tokenize(t, &l, FTS5_TOKENIZE_QUERY, w, (int)n, collect_term);
  tok_delete(t);
  return rc == SQLITE_OK && l.positions == 1 ? l.n : 0;
}

mandat_fts_tokenizer *mandat_fts_tokenizer_new(void) {
  Fts5Tokenizer *t = NULL;
  return tok_create(NULL, NULL, 0, &t) == SQLITE_OK ? (mandat_fts_tokenizer *)t : NULL;
}

void mandat_fts_tokenizer_free(mandat_fts_tokenizer *t) { tok_delete((Fts5Tokenizer *)t); }

int mandat_fts_tokens(mandat_fts_tokenizer *t, int flags, const char *text, size_t n,
                      int (*fn)(void *ctx, const mandat_fts_token *tok), void *ctx) {
  const unsigned char *s = (const unsigned char *)text;
  mandat_fts_token tok = {.pos = 0};
  if (n > INT32_MAX)
    return SQLITE_TOOBIG;
  if ((flags & FTS5_TOKENIZE_QUERY) && !(flags & FTS5_TOKENIZE_PREFIX) && n > 1 &&
      s[0] == MANDAT_FTS_EXACT) { /* as tok_tokenize */
    tok.end = (int)n, tok.nform = 1, tok.form[0] = text + 1, tok.len[0] = (int)n - 1;
    return fn(ctx, &tok);
  }
  forms f;
  size_t i = 0, start, end;
  int first, last, rc = SQLITE_OK;
  while (rc == SQLITE_OK && next_token(t, flags, s, n, &i, &f, &start, &end, &first, &last)) {
    if (first >= last)
      continue; /* nothing emitted: no position */
    tok.start = (int)start, tok.end = (int)end, tok.nform = 0;
    for (int k = first; k < last; k++, tok.nform++)
      tok.form[tok.nform] = f.text[k], tok.len[tok.nform] = f.len[k];
    rc = fn(ctx, &tok);
    tok.pos++;
  }
  return rc;
}

int mandat_fts_has_word(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t len;
  for (size_t i = 0; i < n; i += len)
    if (word_char(u + i, n - i, &len))
      return 1;
  return 0;
}

/* ---- mandat_bm25(paragraphs_fts): FTS5's bm25, with lengths from memory ---------
 *
 * The same score as bm25() (k1 = 1.2, b = 0.75, one IDF per phrase counted over
 * the whole table, FTS5's own formula and sign: lower is better), but the length of
 * each matching row comes from an array instead of FTS5's %_docsize table.  bm25()
 * looks that length up with one B-tree search per matching row, which is nearly all
 * of its time (100 ms of the 110 for the 77,000 paragraphs that hold "corruption"
 * in a registry of 700,000); an array costs nothing per row.
 *
 * The array is per connection, read whole from paragraphs_fts_docsize (about 2 bytes
 * a paragraph; some 50 ms for 700,000) once the connection has looked up enough
 * lengths one by one to have paid as much (docsizes_use), and again on the same
 * terms when the file has changed since (SQLite's data version of the file:
 * another connection's ingest, or this one's).  A row the array does not know (a length over 65,534
 * tokens, a rowid past its end, a table that is not paragraphs_fts) falls back to
 * FTS5's own lookup, so the score is always bm25's. */

#define DOCSIZE_TABLE "paragraphs_fts"
#define DOCSIZE_MAX_ROWID (1 << 25) /* 64 MiB of array at most; past it, no array */

typedef struct {
  sqlite3 *db;
  void *slot; /* mandat_row_keep's callers' (below) */
  void (*slot_free)(void *);
  unsigned version;  /* the file's data version when len was read */
  int state;         /* 0 not read, 1 read, -1 cannot be read (no such table...) */
  sqlite3_int64 lookups; /* rows whose length FTS5 looked up since */
  uint16_t *len;     /* len[rowid]: tokens; 0 unknown */
  sqlite3_int64 cap; /* entries of len */
  sqlite3_int64 rows;
} docsizes;

static void docsizes_free(void *p) {
  docsizes *d = p;
  if (d) {
    if (d->slot && d->slot_free)
      d->slot_free(d->slot);
    free(d->len);
    free(d);
  }
}

/* FTS5's varints (SQLite's): big-endian groups of 7 bits, 9 bytes at most. */
static const unsigned char *get_varint(const unsigned char *p, const unsigned char *end,
                                       uint64_t *v) {
  *v = 0;
  for (int i = 0; i < 9 && p < end; i++) {
    unsigned char c = *p++;
    if (i == 8)
      return *v = (*v << 8) | c, p;
    *v = (*v << 7) | (c & 0x7f);
    if (!(c & 0x80))
      return p;
  }
  return NULL;
}

/* Read the table's row lengths into d (state 1), or give up (state -1). */
static void docsizes_load(docsizes *d, unsigned version) {
  sqlite3_stmt *st = NULL;
  free(d->len);
  d->len = NULL;
  d->cap = d->rows = 0;
  d->state = -1;
  d->version = version;
  if (sqlite3_prepare_v2(d->db, "SELECT max(id) FROM " DOCSIZE_TABLE "_docsize", -1, &st, NULL) !=
          SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW)
    goto done;
  sqlite3_int64 max = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  st = NULL;
  if (max < 0 || max >= DOCSIZE_MAX_ROWID)
    goto done;
  d->cap = max + 1;
  d->len = calloc((size_t)d->cap, sizeof *d->len);
  if (!d->len ||
      sqlite3_prepare_v2(d->db, "SELECT id, sz FROM " DOCSIZE_TABLE "_docsize", -1, &st, NULL) !=
          SQLITE_OK)
    goto done;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    const unsigned char *p = sqlite3_column_blob(st, 1);
    const unsigned char *end = p + sqlite3_column_bytes(st, 1);
    uint64_t total = 0, v;
    while (p && p < end && (p = get_varint(p, end, &v)) != NULL)
      total += v;
    if (id >= 0 && id < d->cap && total < 0xFFFF)
      d->len[id] = (uint16_t)total;
    d->rows++;
  }
  if (rc == SQLITE_DONE)
    d->state = 1;
done:
  sqlite3_finalize(st);
  if (d->state != 1) {
    free(d->len);
    d->len = NULL;
    d->cap = 0;
  }
}

/* What one query keeps between rows (FTS5 auxiliary data, freed with the query). */
typedef struct {
  int nphrase, ngroups;
  int *group;   /* group[phrase]: the phrases of a group are one word's forms */
  double avgdl;
  double *idf, *freq; /* by group */
  long *last;         /* by group: the last place counted in freq */
  const docsizes *len; /* NULL: ask FTS5 for every row */
  docsizes *d;         /* the connection's, NULL when not to be used */
  unsigned version;    /* the file's data version */
  sqlite3_int64 rows;  /* the table's */
} rank_query;

/* Point q->len at the connection's array of lengths when it is up to date, reading
 * it first once the connection has asked FTS5 for as many lengths as a sixteenth of
 * the table's rows: reading the whole table costs about as much as that many
 * lookups (50 ms, against 1.2 us a lookup, for 700,000 rows), so a connection that
 * searches little (`mandat search`: once) seldom pays for it, and one that
 * searches often pays once.  A file changed since (another connection's ingest)
 * drops the array, and the count starts again. */
static void docsizes_use(rank_query *q) {
  docsizes *d = q->d;
  if (d->state == 1 && d->version != q->version) {
    free(d->len);
    d->len = NULL;
    d->cap = d->rows = d->lookups = 0;
    d->state = 0;
  }
  if (d->state == 0 && d->lookups >= q->rows / 16)
    docsizes_load(d, q->version);
  /* the array is this table's only if it has as many rows */
  if (d->state == 1 && d->rows == q->rows)
    q->len = d;
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *n) {
  (void)api, (void)fts;
  (*(sqlite3_int64 *)n)++;
  return SQLITE_OK;
}

/* The distinct rows of a group's phrases, for its IDF. */
typedef struct {
  uint8_t *bits;
  size_t cap;
  sqlite3_int64 n;
} rowset;

static int add_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *p) {
  rowset *s = p;
  sqlite3_int64 id = api->xRowid(fts);
  if (id < 0)
    return SQLITE_OK;
  size_t byte = (size_t)(id >> 3);
  if (byte >= s->cap) {
    size_t cap = s->cap ? s->cap : 4096;
    while (cap <= byte)
      cap *= 2;
    uint8_t *b = realloc(s->bits, cap);
    if (!b)
      return SQLITE_NOMEM;
    memset(b + s->cap, 0, cap - s->cap);
    s->bits = b, s->cap = cap;
  }
  if (!(s->bits[byte] & (1u << (id & 7))))
    s->bits[byte] |= (uint8_t)(1u << (id & 7)), s->n++;
  return SQLITE_OK;
}

double mandat_fts_idf(sqlite3_int64 rows, sqlite3_int64 hits) {
  double idf = log(((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
  return idf <= 0.0 ? 1e-6 : idf; /* FTS5's bm25 */
}

static int rank_query_new(const Fts5ExtensionApi *api, Fts5Context *fts, docsizes *d,
                          mandat_fts_rank *p, rank_query **out) {
  int n = api->xPhraseCount(fts);
  if (n < 1)
    n = 1;
  /* the caller's groups, when they fit this expression */
  bool groups = p && p->group && p->nphrase == api->xPhraseCount(fts) && p->ngroups >= 1;
  for (int i = 0; groups && i < n; i++)
    groups = p->group[i] >= 0 && p->group[i] < p->ngroups;
  int ng = groups ? p->ngroups : n;
  rank_query *q = calloc(1, sizeof *q + 3 * (size_t)ng * sizeof(double) + (size_t)n * sizeof(int));
  if (!q)
    return SQLITE_NOMEM;
  q->nphrase = n;
  q->ngroups = ng;
  q->idf = (double *)(q + 1);
  q->freq = q->idf + ng;
  q->last = (long *)(q->freq + ng);
  q->group = (int *)(q->last + ng);
  for (int i = 0; i < n; i++)
    q->group[i] = groups ? p->group[i] : i;
  sqlite3_int64 rows = 0, tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK)
    rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc == SQLITE_OK) {
    if (rows <= 0)
      rows = 1;
    q->avgdl = (double)tokens / (double)rows;
    if (p && ng == 1) { /* the caller counts the rows, and scales */
      p->deferred = 1;
      p->rows = rows;
      q->idf[0] = 1.0;
    }
    for (int g = 0; rc == SQLITE_OK && g < ng && !(p && p->deferred); g++) {
      rowset set = {NULL, 0, 0};
      sqlite3_int64 hits = 0;
      int nforms = 0;
      for (int i = 0; i < n; i++)
        nforms += q->group[i] == g;
      for (int i = 0; rc == SQLITE_OK && i < n; i++)
        if (q->group[i] == g)
          rc = nforms == 1 ? api->xQueryPhrase(fts, i, &hits, count_row)
                          : api->xQueryPhrase(fts, i, &set, add_row);
      free(set.bits);
      q->idf[g] = mandat_fts_idf(rows, nforms == 1 ? hits : set.n);
    }
  }
  if (rc == SQLITE_OK && d) {
    q->rows = rows;
    q->d = d;
    if (sqlite3_file_control(d->db, "main", SQLITE_FCNTL_DATA_VERSION, &q->version) != SQLITE_OK)
      q->d = NULL;
    else
      docsizes_use(q);
  }
  if (rc != SQLITE_OK) {
    free(q);
    q = NULL;
  }
  *out = q;
  return rc;
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                    sqlite3_value **argv) {
  const double k1 = 1.2, b = 0.75;
  rank_query *q = api->xGetAuxdata(fts, 0);
  int rc = SQLITE_OK;
  if (!q) {
    mandat_fts_rank *p = argc > 0 ? sqlite3_value_pointer(argv[0], MANDAT_FTS_RANK) : NULL;
    rc = rank_query_new(api, fts, api->xUserData(fts), p, &q);
    if (rc == SQLITE_OK)
      rc = api->xSetAuxdata(fts, q, free);
  }
  int ninst = 0;
  if (rc == SQLITE_OK) {
    for (int g = 0; g < q->ngroups; g++)
      q->freq[g] = 0.0, q->last[g] = -1;
    rc = api->xInstCount(fts, &ninst);
  }
  /* a group's frequency is the number of places where any of its phrases is (one
   * word's forms at one place are colocated), as FTS5 counts a word with synonyms;
   * FTS5 lists instances by place, so a place's instances come together */
  for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
    int phrase, col, off;
    rc = api->xInst(fts, i, &phrase, &col, &off);
    if (rc != SQLITE_OK || phrase < 0 || phrase >= q->nphrase)
      continue;
    int g = q->group[phrase];
    long place = (long)col << 32 | off;
    if (place != q->last[g])
      q->freq[g] += 1.0, q->last[g] = place;
  }
  int tokens = 0;
  if (rc == SQLITE_OK) {
    sqlite3_int64 id = api->xRowid(fts);
    if (q->len && id >= 0 && id < q->len->cap && q->len->len[id])
      tokens = q->len->len[id];
    else {
      rc = api->xColumnSize(fts, -1, &tokens);
      if (q->d && !q->len && ++q->d->lookups >= q->rows / 16)
        docsizes_use(q);
    }
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  double score = 0.0, dl = (double)tokens;
  for (int i = 0; i < q->ngroups; i++)
    score += q->idf[i] * (q->freq[i] * (k1 + 1.0)) /
             (q->freq[i] + k1 * (1.0 - b + b * dl / q->avgdl));
  sqlite3_result_double(ctx, -score);
}

/* mandat_row_keep(paragraphs_fts, F): F->test(F->arg, ...) for the row (fts.h). */
static void keep_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                    sqlite3_value **argv) {
  docsizes *d = api->xUserData(fts);
  const mandat_fts_row_filter *f =
      argc > 0 ? sqlite3_value_pointer(argv[0], MANDAT_FTS_ROW_FILTER) : NULL;
  if (!f) {
    sqlite3_result_int(ctx, 1);
    return;
  }
  int r = f->test(f->arg, d->db, &d->slot, &d->slot_free, api->xRowid(fts));
  if (r < 0)
    sqlite3_result_error_code(ctx, -r);
  else
    sqlite3_result_int(ctx, r);
}

static fts5_api *fts5_api_of(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
  }
  sqlite3_finalize(st);
  return api;
}

int mandat_fts_register(sqlite3 *db) {
  fts5_api *api = fts5_api_of(db);
  if (!api || api->iVersion < 2)
    return SQLITE_ERROR;
  fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
  int rc = api->xCreateTokenizer(api, "mandat", NULL, &tok, NULL);
  if (rc != SQLITE_OK)
    return rc;
  docsizes *d = calloc(1, sizeof *d);
  if (!d)
    return SQLITE_NOMEM;
  d->db = db;
  rc = api->xCreateFunction(api, "mandat_bm25", d, rank_fn, docsizes_free);
  if (rc == SQLITE_OK) /* d is freed with mandat_bm25, which goes last */
    rc = api->xCreateFunction(api, "mandat_row_keep", d, keep_fn, NULL);
  return rc;
}
