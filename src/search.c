/* search.c: the user's query → a safe FTS5 expression, and the ranked SQL search
 * with its filters.  A hand-written lexer and recursive-descent parser; every value
 * reaches SQLite as a bound parameter. */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "filter.h"
#include "fts.h"
#include "search.h"
#include "store.h"
#include "snippet.h"

/* ---- query translation ---------------------------------------------------- */

typedef enum { T_END, T_WORD, T_PHRASE, T_AND, T_OR, T_NOT, T_LP, T_RP } tok_kind;

typedef struct {
  tok_kind kind;
  const char *s; /* word or phrase text (without quotes or '*') */
  size_t n;
  bool prefix;
} token;

typedef struct {
  token *t;
  size_t n, cap, pos;
  int terms, depth;
  char *err;
  size_t errlen;
  bool failed;
} parser;

static void fail(parser *p, const char *fmt, ...) {
  if (p->failed)
    return;
  p->failed = true;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err, p->errlen, fmt, ap);
  va_end(ap);
}

/* Does s[0..n) hold something the tokenizer indexes? */
static bool has_word(const char *s, size_t n) { return mandat_fts_has_word(s, n) != 0; }

static size_t word_chars(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += isalnum((unsigned char)s[i]) || ((unsigned char)s[i] & 0xC0) == 0xC0;
  return k;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void push(parser *p, tok_kind k, const char *s, size_t n, bool prefix) {
  VEC_GROW(p->t, p->n, p->cap);
  p->t[p->n++] = (token){k, s, n, prefix};
}

/* Split q into tokens.  Quotes are checked first, so `"unclosed (` reports the
 * quote; parentheses are counted here too, for a message that names them. */
static void lex(parser *p, const char *q) {
  size_t len = strlen(q);
  int quotes = 0, depth = 0;
  bool unbalanced = false;
  for (size_t i = 0; i < len; i++) {
    if (q[i] == '"')
      quotes++;
    else if (!(quotes & 1) && q[i] == '(')
      depth++;
    else if (!(quotes & 1) && q[i] == ')' && --depth < 0)
      unbalanced = true;
  }
  if (quotes & 1) {
    fail(p, "unbalanced quote in query");
    return;
  }
  if (depth != 0 || unbalanced) {
    fail(p, "unbalanced parenthesis in query");
    return;
  }
  size_t i = 0;
  while (i < len && !p->failed) {
    char c = q[i];
    if (is_space(c)) {
      i++;
    } else if (c == '(') {
      push(p, T_LP, NULL, 0, false), i++;
    } else if (c == ')') {
      push(p, T_RP, NULL, 0, false), i++;
    } else if (c == '"') {
      size_t j = i + 1;
      while (q[j] != '"')
        j++;
      bool prefix = q[j + 1] == '*';
      if (!has_word(q + i + 1, j - i - 1)) {
        fail(p, "empty phrase in query");
        return;
      }
      push(p, T_PHRASE, q + i + 1, j - i - 1, prefix);
      i = j + 1;
      while (q[i] == '*')
        i++;
    } else {
      size_t j = i;
      while (j < len && !is_space(q[j]) && q[j] != '"' && q[j] != '(' && q[j] != ')')
        j++;
      /* "S/RES/2341 (2017)": a symbol's year in parentheses is part of the symbol */
      if (memchr(q + i, '/', j - i)) {
        size_t y = j + (q[j] == ' ');
        if (q[y] == '(' && isdigit((unsigned char)q[y + 1]) && isdigit((unsigned char)q[y + 2]) &&
            isdigit((unsigned char)q[y + 3]) && isdigit((unsigned char)q[y + 4]) && q[y + 5] == ')')
          j = y + 6;
      }
      size_t n = j - i;
      bool prefix = false;
      while (n > 0 && q[i + n - 1] == '*')
        n--, prefix = true;
      if (n == 3 && memcmp(q + i, "AND", 3) == 0 && !prefix)
        push(p, T_AND, NULL, 0, false);
      else if (n == 2 && memcmp(q + i, "OR", 2) == 0 && !prefix)
        push(p, T_OR, NULL, 0, false);
      else if (n == 3 && memcmp(q + i, "NOT", 3) == 0 && !prefix)
        push(p, T_NOT, NULL, 0, false);
      else if (has_word(q + i, n)) {
        if (prefix && word_chars(q + i, n) < 2) {
          fail(p, "a prefix needs at least 2 letters before '*'");
          return;
        }
        push(p, T_WORD, q + i, n, prefix);
      } else if (prefix) {
        {
          fail(p, "'*' must follow a word");
          return;
        }
      } /* else punctuation alone: nothing to search, skipped */
      i = j;
    }
  }
  push(p, T_END, NULL, 0, false);
}

static const char *op_name(tok_kind k) {
  return k == T_AND ? "AND" : k == T_OR ? "OR" : k == T_NOT ? "NOT" : "?";
}

static bool starts_operand(tok_kind k) { return k == T_WORD || k == T_PHRASE || k == T_LP; }

static void parse_or(parser *p, mandat_buf *out);

/* primary: word | phrase | ( or-expression ) */
static void parse_primary(parser *p, mandat_buf *out) {
  if (p->failed)
    return;
  token *t = &p->t[p->pos];
  switch (t->kind) {
  case T_WORD:
  case T_PHRASE:
    if (++p->terms > SEARCH_MAX_TERMS) {
      fail(p, "query has more than %d words and phrases", SEARCH_MAX_TERMS);
      return;
    }
    buf_putc(out, '"');
    buf_put(out, t->s, t->n); /* holds no '"': the lexer ended the word or phrase there */
    buf_putc(out, '"');
    if (t->prefix)
      buf_puts(out, " *");
    p->pos++;
    return;
  case T_LP:
    if (p->t[p->pos + 1].kind == T_RP) {
      fail(p, "empty parentheses in query");
      return;
    }
    if (++p->depth > SEARCH_MAX_DEPTH) {
      fail(p, "parentheses nested deeper than %d in query", SEARCH_MAX_DEPTH);
      return;
    }
    p->pos++;
    buf_putc(out, '(');
    parse_or(p, out);
    buf_putc(out, ')');
    if (p->failed)
      return;
    if (p->t[p->pos].kind != T_RP) {
      fail(p, "unbalanced parenthesis in query");
      return;
    }
    p->pos++;
    p->depth--;
    return;
  case T_NOT: {
    fail(p, "NOT needs a term before it (write: a NOT b)");
    return;
  }
  case T_AND:
  case T_OR: {
    fail(p, "%s needs a term on each side", op_name(t->kind));
    return;
  }
  case T_RP: {
    fail(p, "unbalanced parenthesis in query");
    return;
  }
  case T_END:
    if (p->pos > 0 && p->t[p->pos - 1].kind >= T_AND && p->t[p->pos - 1].kind <= T_NOT) {
      fail(p, "%s needs a term on each side", op_name(p->t[p->pos - 1].kind));
      return;
    }
    {
      fail(p, "empty query");
      return;
    }
  }
}

/* not: primary (NOT primary)* — FTS5's NOT is binary: "a NOT b" */
static void parse_not(parser *p, mandat_buf *out) {
  mandat_buf left = {0};
  parse_primary(p, &left);
  while (!p->failed && p->t[p->pos].kind == T_NOT) {
    p->pos++;
    mandat_buf right = {0};
    parse_primary(p, &right);
    mandat_buf both = {0};
    buf_printf(&both, "(%s NOT %s)", buf_cstr(&left), buf_cstr(&right));
    buf_free(&left);
    buf_free(&right);
    left = both;
  }
  buf_puts(out, buf_cstr(&left));
  buf_free(&left);
}

/* and: not ((AND)? not)*, where "a AND NOT b" means a NOT b */
static void parse_and(parser *p, mandat_buf *out) {
  mandat_buf left = {0};
  parse_not(p, &left);
  while (!p->failed) {
    tok_kind k = p->t[p->pos].kind;
    bool and_not = false;
    if (k == T_AND) {
      p->pos++;
      if (p->t[p->pos].kind == T_NOT)
        and_not = true, p->pos++;
      else if (!starts_operand(p->t[p->pos].kind)) {
        fail(p, "AND needs a term on each side");
        break;
      }
    } else if (!starts_operand(k)) {
      break;
    }
    mandat_buf right = {0};
    if (and_not)
      parse_primary(p, &right);
    else
      parse_not(p, &right);
    mandat_buf both = {0};
    buf_printf(&both, "(%s %s %s)", buf_cstr(&left), and_not ? "NOT" : "AND", buf_cstr(&right));
    buf_free(&left);
    buf_free(&right);
    left = both;
  }
  buf_puts(out, buf_cstr(&left));
  buf_free(&left);
}

/* or: and (OR and)* */
static void parse_or(parser *p, mandat_buf *out) {
  mandat_buf left = {0};
  parse_and(p, &left);
  while (!p->failed && p->t[p->pos].kind == T_OR) {
    p->pos++;
    if (!starts_operand(p->t[p->pos].kind)) {
      fail(p, "OR needs a term on each side");
      break;
    }
    mandat_buf right = {0};
    parse_and(p, &right);
    mandat_buf both = {0};
    buf_printf(&both, "(%s OR %s)", buf_cstr(&left), buf_cstr(&right));
    buf_free(&left);
    buf_free(&right);
    left = both;
  }
  buf_puts(out, buf_cstr(&left));
  buf_free(&left);
}

search_status search_translate(const char *query, char **out, char *err, size_t errlen) {
  parser p = {.err = err, .errlen = errlen};
  mandat_buf b = {0};
  *out = NULL;
  if (!query || strlen(query) > SEARCH_MAX_QUERY) {
    fail(&p, query ? "query longer than %d bytes" : "empty query", SEARCH_MAX_QUERY);
    goto done;
  }
  for (const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)query; *u;) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(u, -1, &c);
    if (k <= 0) {
      fail(&p, "query is not valid UTF-8");
      goto done;
    }
    u += k;
  }
  lex(&p, query);
  if (p.failed)
    goto done;
  if (p.n == 1) {
    fail(&p, "empty query");
    goto done;
  }
  parse_or(&p, &b);
  if (!p.failed && p.t[p.pos].kind != T_END) {
    tok_kind k = p.t[p.pos].kind;
    if (k == T_RP)
      fail(&p, "unbalanced parenthesis in query");
    else
      fail(&p, "%s needs a term on each side", op_name(k));
  }
  if (!p.failed)
    *out = buf_detach(&b);
done:
  buf_free(&b);
  free(p.t);
  return p.failed ? SEARCH_BAD_QUERY : SEARCH_OK;
}

/* ---- filters ---------------------------------------------------------------- */

static int parse_year(const char *s, size_t n, int *y) {
  if (n == 0)
    return *y = 0, 0;
  if (n != 4)
    return -1;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i]))
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  *y = v;
  return 0;
}

int search_parse_years(const char *s, int *from, int *to) {
  const char *dash = strchr(s, '-');
  if (!dash) {
    if (parse_year(s, strlen(s), from) != 0 || *from == 0)
      return -1;
    *to = *from;
    return 0;
  }
  if (parse_year(s, (size_t)(dash - s), from) != 0 ||
      parse_year(dash + 1, strlen(dash + 1), to) != 0)
    return -1;
  if ((*from == 0 && *to == 0) || (*to && *from > *to))
    return -1;
  return 0;
}

/* A filter value: printable ASCII letters, digits and a few marks (ids, symbols,
 * organ names), at most 100 bytes.  Anything else cannot be a stored value, and
 * refusing it gives a clearer message than an empty result. */
static bool plain_value(const char *v, const char *extra) {
  size_t n = strlen(v);
  if (n == 0 || n > 100)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)v[i]) && !strchr(extra, v[i]))
      return false;
  return true;
}

static search_status check_filters(const search_opts *o, char *err, size_t errlen) {
  const char *bad = NULL, *val = NULL;
  if (o->organ && !plain_value(o->organ, "-_"))
    bad = "--organ", val = o->organ;
  else if (o->lang && !(strlen(o->lang) == 2 && isalpha((unsigned char)o->lang[0]) &&
                        isalpha((unsigned char)o->lang[1])))
    bad = "--lang", val = o->lang;
  else if (o->kind && strcmp(o->kind, "preamble") != 0 && strcmp(o->kind, "operative") != 0)
    bad = "--kind", val = o->kind;
  else if (o->addressee && !plain_value(o->addressee, "-_."))
    bad = "--addressee", val = o->addressee;
  else if (o->force && !plain_value(o->force, "-_"))
    bad = "--force", val = o->force;
  else if (o->symbol && !plain_value(o->symbol, "/.-*() "))
    bad = "--symbol", val = o->symbol;
  else if (o->limit < 0 || o->limit > SEARCH_MAX_LIMIT)
    bad = "--limit";
  else if (o->offset < 0)
    bad = "--offset";
  if (!bad)
    return SEARCH_OK;
  if (strcmp(bad, "--kind") == 0)
    snprintf(err, errlen, "--kind must be preamble or operative");
  else if (strcmp(bad, "--limit") == 0)
    snprintf(err, errlen, "--limit must be 1 to %d", SEARCH_MAX_LIMIT);
  else if (strcmp(bad, "--offset") == 0)
    snprintf(err, errlen, "--offset must be 0 or more");
  else if (strcmp(bad, "--lang") == 0)
    snprintf(err, errlen, "--lang must be a two-letter code (fr, en, es)");
  else
    snprintf(err, errlen, "%s: not a valid value: '%.60s'", bad, val);
  return SEARCH_BAD_FILTER;
}

/* ---- the SQL ---------------------------------------------------------------- */

/* Two statements.  The ranking statement finds the first match and, from there,
 * mandat_search() (rank.c, fts.h) does the whole ranking in C: every row the
 * expression matches, the filters (superseded versions included, filter.c,
 * left out when there is no filter and the registry has no superseded version;
 * both statements then run in one read transaction, so that stays true for them),
 * the total, bm25 and the best offset + limit.  The detail statement then reads
 * symbol, file, line and text for each hit of the page alone, and snippet.h makes
 * its snippet.
 *
 * Parameters, bound by number: ?1 FTS5 expression  ?2 the search (a pointer).  No
 * value is ever spliced into the SQL. */
static const char ranking_sql[] = "SELECT mandat_search(paragraphs_fts, ?2) FROM paragraphs_fts"
                                  " WHERE paragraphs_fts MATCH ?1 LIMIT 1";

/* The detail of the hits of the page: each row by its id, one B-tree search in each
 * of three tables (some 7 us a hit), and its snippet computed from its text
 * (snippet.h), FTS5's byte for byte.  Asking FTS5 for the snippet cost 0.1 ms a hit
 * or more, because FTS5 starts the whole expression for each row (2.2 ms for the 20
 * hits of "prie", 3.2 ms for "Member States" over 700,000 paragraphs; 25 ms a hit for
 * a prefix, whose words' lists it merges every time).  ?1 the paragraph's id. */
static const char detail_sql[] =
    "SELECT p.text, e.symbol, p.kind, p.n, p.number, d.file, p.line_first, p.line_last, e.id,"
    " e.title, e.organ, e.year, d.language FROM paragraphs p"
    " CROSS JOIN entities e ON e.id = p.entity_id CROSS JOIN documents d ON d.id = e.document_id"
    " WHERE p.id = ?1";

/* FTS5 is still asked for a snippet snippet_make leaves to it, by the statement that
 * asked it before snippet.c, since FTS5's snippet of such a row can depend on the rows
 * the statement went through before it (snippet.c): one statement per hit (?2 its
 * rowid), or, for an expression with a prefix, one for the page, which starts the
 * expression once and steps through the rows between the page's lowest and highest
 * rowids (?6, ?7), keeping those asked for (mandat_search_page(?8, rowid): ?8 points to
 * their rowids, sorted).  ?1 expression  ?3 ?4 marks  ?5 words */
#define SNIPPET_SQL(where)                                                                         \
  "SELECT rowid, snippet(paragraphs_fts, 0, ?3, ?4, '…', ?5) FROM paragraphs_fts"                 \
  " WHERE paragraphs_fts MATCH ?1 AND " where
static const char snippet_sql[] = SNIPPET_SQL("rowid = ?2");
static const char snippet_page_sql[] =
    SNIPPET_SQL("rowid BETWEEN ?6 AND ?7 AND mandat_search_page(?8, rowid)");

typedef struct {
  const sqlite3_int64 *id; /* sorted */
  int n;
} page_ids;

static int cmp_id(const void *a, const void *b) {
  sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
  return x < y ? -1 : x > y;
}

/* mandat_search_page(P, ROWID): 1 when ROWID is one of P's (a page_ids bound
 * with sqlite3_bind_pointer, type "mandat_search_page"). */
static void on_page(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const page_ids *p = sqlite3_value_pointer(argv[0], "mandat_search_page");
  sqlite3_int64 id = sqlite3_value_int64(argv[1]);
  sqlite3_result_int(ctx, p && bsearch(&id, p->id, (size_t)p->n, sizeof id, cmp_id) != NULL);
}

/* Bind a text parameter if the statement has it.  SQLITE_STATIC: every string
 * outlives the statement's use (all are freed after sqlite3_finalize). */
static int bind_text(sqlite3_stmt *st, int i, const char *v) {
  if (!v || i > sqlite3_bind_parameter_count(st) || !sqlite3_bind_parameter_name(st, i))
    return SQLITE_OK;
  return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static char *upper_dup(const char *s) {
  char *u = xstrdup(s);
  for (char *c = u; *c; c++)
    *c = (char)toupper((unsigned char)*c);
  return u;
}

/* The paragraph reference of a hit: PP3, OP12, OP12bis. */
static void para_ref(char *out, size_t n, bool preamble, int rank, const char *number) {
  if (preamble || !number || !*number) {
    snprintf(out, n, "%s%d", preamble ? "PP" : "OP", rank);
    return;
  }
  size_t k = (size_t)snprintf(out, n, "OP");
  for (const char *c = number; *c && k + 1 < n; c++)
    if (!is_space(*c))
      out[k++] = *c;
  out[k] = '\0';
}


/* Fill h from a row of the detail statement; snippet is h's (malloc'd or NULL). */
static void fill_hit(search_hit *h, sqlite3_stmt *st, char *snippet) {
  h->snippet = snippet;
  h->symbol = store_col_dup(st, 1);
  const char *kind = (const char *)sqlite3_column_text(st, 2);
  bool pre = kind && strcmp(kind, "preamble") == 0;
  h->kind = pre ? "preamble" : "operative";
  para_ref(h->paragraph, sizeof h->paragraph, pre, sqlite3_column_int(st, 3),
           (const char *)sqlite3_column_text(st, 4));
  h->n = sqlite3_column_int(st, 3);
  h->number = store_col_dup(st, 4);
  h->file = store_col_dup(st, 5);
  h->line = sqlite3_column_int(st, 6);
  h->line_last = sqlite3_column_int(st, 7);
  h->entity_id = (long)sqlite3_column_int64(st, 8);
  h->title = store_col_dup(st, 9);
  h->organ = store_col_dup(st, 10);
  h->year = sqlite3_column_int(st, 11);
  h->language = store_col_dup(st, 12);
}

/* The hits asked of FTS5: hit[k] (rowid id[k]) for k < n, their snippets still NULL. */
typedef struct {
  search_hit **hit;
  sqlite3_int64 *id;
  int n;
} fts5_asked;

/* FTS5's snippets of the hits in a (statements above).  page: the expression has a
 * prefix, and the page's hits are the rowids ids[0..nids). */
static int fts5_snippets(sqlite3 *db, const char *expr, const fts5_asked *a, bool page,
                         const sqlite3_int64 *ids, int nids, const char *open, const char *close,
                         int tokens) {
  sqlite3_stmt *st = NULL;
  sqlite3_int64 *sorted = NULL, lo = 0, hi = 0;
  page_ids asked = {NULL, 0};
  int rc = SQLITE_OK;
  if (page) {
    rc = sqlite3_create_function_v2(db, "mandat_search_page", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                    NULL, on_page, NULL, NULL, NULL);
    lo = hi = ids[0]; /* the bounds of the whole page, as before snippet.c */
    for (int i = 1; i < nids; i++) {
      if (ids[i] < lo)
        lo = ids[i];
      if (ids[i] > hi)
        hi = ids[i];
    }
    sorted = xmalloc((size_t)a->n * sizeof *sorted);
    memcpy(sorted, a->id, (size_t)a->n * sizeof *sorted);
    qsort(sorted, (size_t)a->n, sizeof *sorted, cmp_id);
    asked = (page_ids){sorted, a->n};
  }
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, page ? snippet_page_sql : snippet_sql, -1, &st, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 3, open, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 4, close, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int(st, 5, tokens);
  if (rc == SQLITE_OK && page)
    rc = sqlite3_bind_int64(st, 6, lo);
  if (rc == SQLITE_OK && page)
    rc = sqlite3_bind_int64(st, 7, hi);
  if (rc == SQLITE_OK && page)
    rc = sqlite3_bind_pointer(st, 8, &asked, "mandat_search_page", NULL);
  /* one pass for the page, else one a hit */
  for (int k = 0; rc == SQLITE_OK && k < (page ? 1 : a->n); k++) {
    sqlite3_reset(st);
    if (!page)
      rc = sqlite3_bind_int64(st, 2, a->id[k]);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
      sqlite3_int64 id = sqlite3_column_int64(st, 0);
      for (int j = 0; j < a->n; j++) /* a rowid is on the page once */
        if (a->id[j] == id && !a->hit[j]->snippet)
          a->hit[j]->snippet = store_col_dup(st, 1);
      rc = SQLITE_OK;
    }
    if (rc == SQLITE_DONE) /* a hit not found cannot happen inside one read */
      rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  free(sorted);
  return rc;
}

/* Does the registry hold a superseded version (documents.current = 0)? */
static int superseded_any(sqlite3 *db, bool *any) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, "SELECT EXISTS (SELECT 1 FROM documents WHERE current = 0)", -1,
                              &st, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    *any = sqlite3_column_int(st, 0) != 0;
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return rc;
}

/* The expression FTS5 runs: each quoted word of expr (one word, no '*') that has
 * several forms becomes ("\1form" OR "\1form"...), each form a plain term (fts.h:
 * MANDAT_FTS_EXACT); rank gets the group of each phrase, so that mandat_search scores
 * the forms of a word as the word.  FTS5 reads a word's forms as an OR several
 * times as fast as the word with synonyms ("prie": pri + prie, 2 ms against 6 for
 * its 48,000 rows).  NULL when no word has several forms. */
static char *expand_words(const char *expr, mandat_fts_search *rank, int **groups) {
  mandat_buf b = {0};
  int nphrase = 0, ngroups = 0, cap = 0, expanded = 0;
  *groups = NULL;
  for (const char *c = expr; *c;) {
    if (*c != '"') {
      buf_putc(&b, *c++);
      continue;
    }
    const char *end = strchr(c + 1, '"'); /* a phrase holds no '"' */
    if (!end)
      break;
    bool prefix = strncmp(end + 1, " *", 2) == 0;
    char terms[8][MANDAT_FTS_TERM_MAX];
    int k = prefix ? 0 : mandat_fts_query_terms(c + 1, (size_t)(end - c - 1), terms, 8);
    int add = k >= 2 ? k : 1;
    while (nphrase + add > cap)
      cap = cap ? 2 * cap : 16, *groups = xrealloc(*groups, (size_t)cap * sizeof **groups);
    for (int i = 0; i < add; i++)
      (*groups)[nphrase++] = ngroups;
    ngroups++;
    if (k >= 2) {
      expanded = 1;
      buf_putc(&b, '(');
      for (int i = 0; i < k; i++)
        buf_printf(&b, "%s\"%c%s\"", i ? " OR " : "", MANDAT_FTS_EXACT, terms[i]);
      buf_putc(&b, ')');
    } else {
      buf_put(&b, c, (size_t)(end - c + 1));
    }
    c = end + 1;
  }
  if (!expanded) {
    buf_free(&b);
    free(*groups);
    *groups = NULL;
    return NULL;
  }
  rank->group = *groups;
  rank->nphrase = nphrase;
  rank->ngroups = ngroups;
  return buf_detach(&b);
}

search_status search_run(sqlite3 *db, const search_opts *o, search_result *r, char *err,
                         size_t errlen) {
  memset(r, 0, sizeof *r);
  mandat_fts_search q = {.group = NULL};
  int *groups = NULL;
  char *expr = NULL, *expanded = NULL, *organ = NULL, *sym_lo = NULL, *sym_hi = NULL, *lang = NULL;
  sqlite3_stmt *rank = NULL, *detail = NULL;
  snippet_query *sq = NULL;
  int rc = SQLITE_OK;
  bool began = false;
  search_status st = search_translate(o->query, &expr, err, errlen);
  if (st != SEARCH_OK)
    goto done;
  st = check_filters(o, err, errlen);
  if (st != SEARCH_OK)
    goto done;
  expanded = expand_words(expr, &q, &groups);
  const char *run_expr = expanded ? expanded : expr;
  if (o->organ)
    organ = upper_dup(o->organ);
  if (o->lang) {
    lang = xstrdup(o->lang);
    for (char *c = lang; *c; c++)
      *c = (char)tolower((unsigned char)*c);
  }
  if (o->symbol) {
    sym_lo = upper_dup(o->symbol);
    size_t n = strlen(sym_lo);
    if (n && sym_lo[n - 1] == '*') {
      /* prefix P: P <= symbol < P with its last byte + 1 */
      while (n && sym_lo[n - 1] == '*')
        sym_lo[--n] = '\0';
      if (n == 0) {
        snprintf(err, errlen, "--symbol: a prefix needs text before '*'");
        st = SEARCH_BAD_FILTER;
        goto done;
      }
      sym_hi = xstrdup(sym_lo);
      sym_hi[n - 1]++;
    }
  }
  int limit = o->limit ? o->limit : 20;

  /* One read of the registry for every statement below, unless the caller has a
   * transaction open already. */
  if (sqlite3_get_autocommit(db)) {
    rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    began = rc == SQLITE_OK;
  }
  bool superseded = true;
  if (rc == SQLITE_OK)
    rc = superseded_any(db, &superseded);
  /* the filters, superseded versions included; none (keep every row) when there is
   * no filter, no facet and no superseded version */
  search_filter *filter =
      search_filter_new(o, organ, lang, sym_lo, sym_hi, superseded);
  mandat_fts_row_filter keep = {search_filter_test, filter};
  q.expr = run_expr;
  q.filter = search_filter_any(filter) ? &keep : NULL;
  q.offset = o->offset;
  q.limit = limit;

  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, ranking_sql, -1, &rank, NULL);
  if (rc == SQLITE_OK)
    rc = bind_text(rank, 1, run_expr);
  if (rc == SQLITE_OK) /* SQLite keeps the pointer only while the statement runs */
    rc = sqlite3_bind_pointer(rank, 2, &q, MANDAT_FTS_SEARCH, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(rank)) == SQLITE_ROW)
    rc = SQLITE_OK;
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  if (rc == SQLITE_OK)
    search_filter_facets(filter, r);
  search_filter_free(filter);
  r->total = q.kept;
  const sqlite3_int64 *ids = q.id;
  const double *scores = q.score;
  int n = q.n;

  if (n)
    r->hits = xcalloc((size_t)n, sizeof *r->hits);
  const char *open = o->mark_open ? o->mark_open : "[";
  const char *close = o->mark_close ? o->mark_close : "]";
  int tokens = o->snippet_tokens > 0 && o->snippet_tokens <= 64 ? o->snippet_tokens : 24;
  /* NULL: every snippet is FTS5's (an expression snippet.c does not take) */
  sq = n ? snippet_query_new(expr) : NULL;
  fts5_asked asked = {NULL, NULL, 0};
  if (n) {
    asked.hit = xmalloc((size_t)n * sizeof *asked.hit);
    asked.id = xmalloc((size_t)n * sizeof *asked.id);
  }
  if (rc == SQLITE_OK && n)
    rc = sqlite3_prepare_v2(db, detail_sql, -1, &detail, NULL);
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    sqlite3_reset(detail);
    rc = sqlite3_bind_int64(detail, 1, ids[i]);
    if (rc == SQLITE_OK && (rc = sqlite3_step(detail)) == SQLITE_ROW) {
      const char *text = (const char *)sqlite3_column_text(detail, 0);
      size_t len = (size_t)sqlite3_column_bytes(detail, 0);
      char *snip = NULL;
      search_hit *h = &r->hits[r->n++];
      if (!sq || snippet_make(sq, text, len, open, close, "…", tokens, &snip) != SNIPPET_OK)
        asked.hit[asked.n] = h, asked.id[asked.n++] = ids[i];
      h->score = scores[i];
      fill_hit(h, detail, snip);
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK; /* cannot happen inside one read of the registry */
    }
  }
  sqlite3_reset(detail); /* no statement running: fts5_snippets may add a function */
  /* "word" * is how search_translate writes a prefix; a phrase holds no '"' */
  if (rc == SQLITE_OK && asked.n)
    rc = fts5_snippets(db, expr, &asked, n > 1 && strstr(expr, "\" *") != NULL, ids, n, open,
                       close, tokens);
  free(asked.hit);
  free(asked.id);
  if (rc != SQLITE_OK) {
    /* The expression is ours and well formed, so an error here is the registry's
     * (missing tables, corruption, I/O): say so without SQL text. */
    if (rc == SQLITE_ERROR)
      snprintf(err, errlen, "the registry has no search index (not a mandat registry?)");
    else
      snprintf(err, errlen, "cannot read the registry (%s)", sqlite3_errstr(rc));
    st = SEARCH_DB_ERROR;
    search_result_free(r);
  }
done:
  sqlite3_finalize(rank);
  sqlite3_finalize(detail);
  snippet_query_free(sq);
  if (began)
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  free(q.id);
  free(q.score);
  free(expr);
  free(expanded);
  free(groups);
  free(organ);
  free(sym_lo);
  free(sym_hi);
  free(lang);
  return st;
}

void search_result_free(search_result *r) {
  if (!r)
    return;
  for (int i = 0; i < r->n; i++) {
    search_hit *h = &r->hits[i];
    free(h->symbol), free(h->number), free(h->snippet), free(h->file);
    free(h->title), free(h->organ), free(h->language);
  }
  free(r->hits);
  for (int i = 0; i < FACETS; i++) {
    for (int k = 0; k < r->nfacet[i]; k++)
      free(r->facet[i][k].value);
    free(r->facet[i]);
  }
  memset(r, 0, sizeof *r);
}
