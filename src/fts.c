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
#include "rank.h"

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
  return mandat_rank_register(db, api);
}
