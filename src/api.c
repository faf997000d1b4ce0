/* api.c: the JSON API of `mandat serve` (routes in http.c, reference in docs/api.md,
 * contract in web/openapi.json).  Every query is a static SQL string of the table
 * below, prepared once per worker thread and run with bound parameters; only current
 * document versions (documents.current = 1) are ever read.
 *
 * Parameter strings come from microhttpd and are bound with SQLITE_STATIC: they
 * outlive the statement's use, since every handler resets its statements before it
 * returns.  The user's query goes through search_translate (search.h), as in the
 * command line, and so does the search itself (search_run, facets included); the
 * rest of the SQL is this file's own, so that statements are prepared once per
 * thread. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "export.h"
#include "http.h"
#include "render.h"
#include "search.h"

/* Limits, each with its reason:
 * - MAX_PARAM: 1 KiB per query parameter; a search is a few words or a pasted
 *   sentence, and FTS5's cost grows with the number of terms.
 * - MAX_PAGE: 200 rows per JSON page keeps a response under about a megabyte and a
 *   request under a few milliseconds; scripts page with offset.
 * - MAX_OFFSET: deep paging past a million rows is a scan, not a use of this API.
 * - MAX_CSV: a CSV download is one response held in memory; 100,000 mandates is some
 *   40 MB, more than twice the UN80 review's count of mandates.
 * - MAX_SERIES: versions of one resolution compared for lineage; it recurs every
 *   one to five years, so 64 covers the programme's whole history. */
#define MAX_PARAM 1024
#define MAX_PAGE 200
#define MAX_OFFSET 1000000
#define MAX_CSV 100000
#define MAX_SERIES 64

/* ------------------------------------------------------------------ SQL */

#define CUR "JOIN documents d ON d.id = e.document_id AND d.current = 1 "
#define PREF "(CASE p.kind WHEN 'operative' THEN 'OP' ELSE 'PP' END || p.n)"

/* A mandate: a clause of an operative paragraph that asks someone to act
 * (mandat_clause_is_mandate: an addressee, or a request, urge, invitation or
 * recommendation).  ?1 addressee (id or name), ?2 force, ?3 organ, ?4 year from, ?5
 * year to, ?6 language, ?7 symbol, ?8 1: without reporting / 0: with, ?9 1: with
 * conditions / 0: without, ?10 adopted on or after (ISO date), ?11 entity id. */
#define MANDATE_FROM                                                                               \
  "FROM clauses c JOIN paragraphs p ON p.id = c.paragraph_id AND p.kind = 'operative' "           \
  "JOIN entities e ON e.id = p.entity_id " CUR                                                    \
  "WHERE (c.force IN ('request','urge','invitation','recommendation') "                           \
  "OR EXISTS (SELECT 1 FROM clause_addressees a WHERE a.clause_id = c.id)) "                      \
  "AND (?1 IS NULL OR EXISTS (SELECT 1 FROM clause_addressees a WHERE a.clause_id = c.id "        \
  "AND (a.addressee = ?1 OR a.name = ?1 COLLATE NOCASE))) "                                       \
  "AND (?2 IS NULL OR c.force = ?2) AND (?3 IS NULL OR e.organ = ?3) "                            \
  "AND (?4 IS NULL OR e.year >= ?4) AND (?5 IS NULL OR e.year <= ?5) "                            \
  "AND (?6 IS NULL OR d.language = ?6) AND (?7 IS NULL OR e.symbol = ?7) "                        \
  "AND (?8 IS NULL OR ?8 = NOT EXISTS (SELECT 1 FROM reporting r WHERE r.clause_id = c.id)) "     \
  "AND (?9 IS NULL OR ?9 = EXISTS (SELECT 1 FROM clause_conditions k WHERE k.clause_id = c.id)) " \
  "AND (?10 IS NULL OR e.adoption_date >= ?10) AND (?11 IS NULL OR e.id = ?11) "

#define MANDATE_COLS                                                                              \
  "SELECT e.symbol, e.id, " PREF ", p.number, c.verb, c.force, c.action, e.organ, e.year, "       \
  "d.language, d.file, p.line_first, "                                                            \
  "(SELECT json_group_array(json_object('id', addressee, 'name', name, 'text', text)) FROM "      \
  "(SELECT * FROM clause_addressees WHERE clause_id = c.id ORDER BY n)), "                        \
  "(SELECT json_group_array(text) FROM (SELECT text FROM clause_conditions WHERE clause_id = "    \
  "c.id ORDER BY n)), "                                                                           \
  "(SELECT json_object('to', to_id, 'session', session, 'date', date) FROM reporting WHERE "      \
  "clause_id = c.id), "                                                                           \
  "(SELECT group_concat(coalesce(addressee, name), '; ') FROM (SELECT * FROM clause_addressees "  \
  "WHERE clause_id = c.id ORDER BY n)), "                                                         \
  "(SELECT group_concat(text, '; ') FROM (SELECT text FROM clause_conditions WHERE clause_id = "  \
  "c.id ORDER BY n)), "                                                                           \
  "(SELECT to_id FROM reporting WHERE clause_id = c.id), "                                        \
  "(SELECT session FROM reporting WHERE clause_id = c.id), "                                      \
  "(SELECT date FROM reporting WHERE clause_id = c.id), e.title "

/* The year a report is due: a date's year; the GA's session N meets from September of
 * 1945 + N; the Commission (CCPCJ, first session 1992) meets in year 1991 + N. */
#define DUE_YEAR                                                                      \
  "(CASE WHEN r.date IS NOT NULL THEN CAST(substr(r.date, 1, 4) AS INTEGER) "         \
  "WHEN r.session GLOB '[0-9]*' AND r.to_id = 'general-assembly' "                    \
  "THEN 1945 + CAST(r.session AS INTEGER) "                                           \
  "WHEN r.session GLOB '[0-9]*' AND r.to_id = 'ccpcj' THEN 1991 + CAST(r.session AS " \
  "INTEGER) ELSE NULL END)"

#define ENTITY_COLS                                                                              \
  "SELECT e.id, e.local_id, e.kind, e.parent_id, e.symbol, e.organ, e.session, e.adoption_date, " \
  "e.year, e.meeting, e.agenda_number, e.agenda_title, e.title, e.line_first, e.line_last, "      \
  "d.file, d.language, d.format, d.version, d.sha256 "

#define LIST_FROM                                                                            \
  "FROM entities e " CUR                                                                     \
  "WHERE (?1 IS NULL OR e.organ = ?1) AND (?2 IS NULL OR e.year >= ?2) "                     \
  "AND (?3 IS NULL OR e.year <= ?3) AND (?4 IS NULL OR d.language = ?4) "                    \
  "AND (?5 IS NULL OR e.kind = ?5) AND (?6 IS NULL OR instr(lower(e.title), lower(?6)) > 0) "

enum {
  Q_ENTITY_BY_SYMBOL,
  Q_ENTITY_BY_SYMBOL_NOCASE,
  Q_ENTITY,
  Q_CHILDREN,
  Q_PARAGRAPHS,
  Q_SUBPARAS,
  Q_NOTES,
  Q_CLAUSES,
  Q_FOOTNOTES,
  Q_CITES_OUT,
  Q_CITES_IN,
  Q_CITED_ANYWHERE,
  Q_LIST,
  Q_LIST_COUNT,
  Q_MANDATES,
  Q_MANDATES_COUNT,
  Q_STATS_TOTALS,
  Q_STATS_ORGAN,
  Q_STATS_YEAR,
  Q_STATS_FORCE,
  Q_STATS_ADDRESSEE,
  Q_STATS_YEAR_FORCE,
  Q_STATS_DEADLINES,
  Q_SERIES_CANDIDATES,
  Q_PARA_TEXTS,
  Q_COUNT
};

static const char *const sql[Q_COUNT] = {
    [Q_ENTITY_BY_SYMBOL] = "SELECT e.id FROM entities e " CUR "WHERE e.symbol = ?1 ORDER BY e.id LIMIT 1",
    [Q_ENTITY_BY_SYMBOL_NOCASE] =
        "SELECT e.id FROM entities e " CUR "WHERE e.symbol = ?1 COLLATE NOCASE ORDER BY e.id LIMIT 1",
    [Q_ENTITY] = ENTITY_COLS "FROM entities e " CUR "WHERE e.id = ?1",
    [Q_CHILDREN] = "SELECT id, kind, symbol, title FROM entities WHERE parent_id = ?1 ORDER BY id",
    [Q_PARAGRAPHS] = "SELECT p.id, p.kind, p.n, " PREF ", p.number, p.opening, p.text, p.line_first, "
                     "p.line_last FROM paragraphs p WHERE p.entity_id = ?1 AND (?2 IS NULL OR p.kind = ?2) "
                     "AND (?3 IS NULL OR p.n = ?3) ORDER BY p.kind DESC, p.n LIMIT ?4 OFFSET ?5",
    [Q_SUBPARAS] = "SELECT label, text, line_first, line_last FROM subparagraphs WHERE paragraph_id = ?1 "
                   "ORDER BY n",
    [Q_NOTES] = "SELECT note FROM paragraph_notes WHERE paragraph_id = ?1 ORDER BY note",
    [Q_CLAUSES] =
        "SELECT c.verb, c.force, c.action, "
        "(SELECT json_group_array(json_object('id', addressee, 'name', name, 'text', text)) FROM "
        "(SELECT * FROM clause_addressees WHERE clause_id = c.id ORDER BY n)), "
        "(SELECT json_group_array(text) FROM (SELECT text FROM clause_conditions WHERE clause_id = c.id "
        "ORDER BY n)), "
        "(SELECT json_object('to', to_id, 'session', session, 'date', date) FROM reporting WHERE "
        "clause_id = c.id), "
        "(c.force IN ('request','urge','invitation','recommendation') OR EXISTS (SELECT 1 FROM "
        "clause_addressees a WHERE a.clause_id = c.id)) "
        "FROM clauses c WHERE c.paragraph_id = ?1 ORDER BY c.n",
    [Q_FOOTNOTES] = "SELECT n, text, line_first, line_last FROM footnotes WHERE entity_id = ?1 ORDER BY n",
    [Q_CITES_OUT] = "SELECT c.kind, c.symbol, c.as_written, c.in_ref, "
                    "(SELECT e2.id FROM entities e2 JOIN documents d2 ON d2.id = e2.document_id AND "
                    "d2.current = 1 WHERE e2.symbol = c.symbol ORDER BY e2.id LIMIT 1) "
                    "FROM citations c WHERE c.entity_id = ?1 ORDER BY c.n",
    [Q_CITES_IN] = "SELECT e.id, e.symbol, e.title, e.year, c.in_ref, c.as_written FROM citations c "
                   "JOIN entities e ON e.id = c.entity_id " CUR
                   "WHERE c.symbol = ?1 AND e.id IS NOT ?2 ORDER BY e.year DESC, e.id, c.n",
    [Q_CITED_ANYWHERE] = "SELECT 1 FROM citations c JOIN entities e ON e.id = c.entity_id " CUR
                         "WHERE c.symbol = ?1 LIMIT 1",
    [Q_LIST] = "SELECT e.id, e.kind, e.symbol, e.organ, e.year, e.session, e.adoption_date, e.title, "
               "d.language, d.file, e.parent_id, "
               "(SELECT count(*) FROM paragraphs p WHERE p.entity_id = e.id AND p.kind = 'preamble'), "
               "(SELECT count(*) FROM paragraphs p WHERE p.entity_id = e.id AND p.kind = 'operative') "
               LIST_FROM "ORDER BY e.year IS NULL, e.year DESC, e.adoption_date DESC, e.id LIMIT ?7 OFFSET ?8",
    [Q_LIST_COUNT] = "SELECT count(*) " LIST_FROM,
    [Q_MANDATES] = MANDATE_COLS MANDATE_FROM "ORDER BY e.year IS NULL, e.year DESC, e.id, p.n, c.n "
                                             "LIMIT ?12 OFFSET ?13",
    [Q_MANDATES_COUNT] = "SELECT count(*) " MANDATE_FROM,
    [Q_STATS_TOTALS] =
        "SELECT (SELECT count(*) FROM documents WHERE current = 1), "
        "(SELECT count(*) FROM entities e " CUR "), "
        "(SELECT count(*) FROM paragraphs p JOIN entities e ON e.id = p.entity_id " CUR "), "
        "(SELECT count(*) FROM clauses c JOIN paragraphs p ON p.id = c.paragraph_id JOIN entities e "
        "ON e.id = p.entity_id " CUR "), "
        "(SELECT count(*) FROM clauses c JOIN paragraphs p ON p.id = c.paragraph_id AND p.kind = "
        "'operative' JOIN entities e ON e.id = p.entity_id " CUR
        "WHERE c.force IN ('request','urge','invitation','recommendation') OR EXISTS (SELECT 1 FROM "
        "clause_addressees a WHERE a.clause_id = c.id)), "
        "(SELECT count(*) FROM citations c JOIN entities e ON e.id = c.entity_id " CUR ")",
    [Q_STATS_ORGAN] = "SELECT e.organ, count(*) FROM entities e " CUR "GROUP BY 1 ORDER BY 2 DESC, 1",
    [Q_STATS_YEAR] = "SELECT e.year, count(DISTINCT e.id), count(c.id) FROM entities e " CUR
                     "LEFT JOIN paragraphs p ON p.entity_id = e.id AND p.kind = 'operative' "
                     "LEFT JOIN clauses c ON c.paragraph_id = p.id GROUP BY 1 ORDER BY 1",
    [Q_STATS_FORCE] = "SELECT c.force, count(*) FROM clauses c JOIN paragraphs p ON p.id = c.paragraph_id "
                      "JOIN entities e ON e.id = p.entity_id " CUR "GROUP BY 1 ORDER BY 2 DESC, 1",
    [Q_STATS_ADDRESSEE] = "SELECT coalesce(a.addressee, a.name), count(DISTINCT c.id), "
                          "max(a.addressee IS NULL) FROM clause_addressees a "
                          "JOIN clauses c ON c.id = a.clause_id JOIN paragraphs p ON p.id = c.paragraph_id "
                          "JOIN entities e ON e.id = p.entity_id " CUR
                          "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30",
    [Q_STATS_YEAR_FORCE] = "SELECT e.year, c.force, count(*) FROM clauses c JOIN paragraphs p ON p.id = "
                           "c.paragraph_id JOIN entities e ON e.id = p.entity_id " CUR
                           "WHERE e.year IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
    [Q_STATS_DEADLINES] = "SELECT " DUE_YEAR ", r.to_id, count(*) FROM reporting r JOIN clauses c ON "
                          "c.id = r.clause_id JOIN paragraphs p ON p.id = c.paragraph_id JOIN entities e ON "
                          "e.id = p.entity_id " CUR "GROUP BY 1, 2 ORDER BY 1 IS NULL, 1, 2",
    [Q_SERIES_CANDIDATES] = "SELECT e.id, e.symbol, e.title, e.year, e.session, e.kind, e.organ FROM entities e " CUR
                            "WHERE e.title IS NOT NULL",
    [Q_PARA_TEXTS] = "SELECT " PREF ", p.text FROM paragraphs p WHERE p.entity_id = ?1 AND p.kind = ?2 "
                     "ORDER BY p.n",
};

_Static_assert(Q_COUNT <= MANDAT_HTTP_STMTS, "more statements than worker slots");

/* This thread's prepared statement `id`, prepared on first use; NULL (and a 500 in
 * rep, the SQLite message on stderr only) when it cannot be prepared. */
static sqlite3_stmt *stmt(const mandat_http_req *q, mandat_http_reply *rep, int id) {
  sqlite3_stmt **slot = &q->stmts[id];
  if (!*slot && sqlite3_prepare_v3(q->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
    fprintf(stderr, "mandat: serve: query %d: %s\n", id, sqlite3_errmsg(q->db));
    *slot = NULL;
    mandat_http_error(rep, 500, "internal error: the registry does not have the expected schema");
  }
  return *slot;
}

static void release(sqlite3_stmt *s) {
  if (s) sqlite3_reset(s), sqlite3_clear_bindings(s);
}

/* A failed step: a 500 for people, the SQLite message for the server's log. */
static void step_failed(const mandat_http_req *q, mandat_http_reply *rep) {
  fprintf(stderr, "mandat: serve: %s: %s\n", q->path, sqlite3_errmsg(q->db));
  mandat_http_error(rep, 500, "internal error while reading the registry");
}

static bool failed(const mandat_http_reply *rep) { return rep->status != 200; }

/* ------------------------------------------------------------ JSON out */

#define KEY(b, k) buf_puts((b), "\"" k "\":")

static void jtext(mandat_buf *b, sqlite3_stmt *s, int col) {
  json_str(b, (const char *)sqlite3_column_text(s, col));
}

static void jint(mandat_buf *b, sqlite3_stmt *s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) buf_puts(b, "null");
  else buf_printf(b, "%lld", (long long)sqlite3_column_int64(s, col));
}

/* The head of a paged listing from its COUNT statement: {"total":N,"limit":…,"offset":…
 * (the caller goes on with the items).  Releases s; false, with the error already
 * answered, when the step failed. */
static bool paged_total(const mandat_http_req *q, mandat_http_reply *rep, sqlite3_stmt *s,
                        mandat_buf *b, long limit, long offset) {
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    buf_puts(b, "{\"total\":");
    jint(b, s, 0);
    buf_printf(b, ",\"limit\":%ld,\"offset\":%ld", limit, offset);
  }
  release(s);
  if (rc != SQLITE_ROW) {
    step_failed(q, rep);
    return false;
  }
  return true;
}

/* A column that SQLite built as JSON (json_object, json_group_array), or fallback. */
static void jraw(mandat_buf *b, sqlite3_stmt *s, int col, const char *fallback) {
  const char *t = (const char *)sqlite3_column_text(s, col);
  buf_puts(b, t ? t : fallback);
}

/* One key of a JSON object and the column it is read from: text ('t'), integer
 * ('i'), either as the column holds it ('v': text, or else an integer), a boolean
 * from an integer ('b'), or JSON the query built ('r', `raw` when the column is
 * NULL). */
typedef struct {
  const char *key;
  int col;
  char type;
  const char *raw;
} jfield;
#define JFIELDS(a) (a), sizeof(a) / sizeof *(a)

/* The current row of s as a JSON object of the fields f. */
static void row_json(mandat_buf *b, sqlite3_stmt *s, const jfield *f, size_t nf) {
  buf_putc(b, '{');
  for (size_t i = 0; i < nf; i++) {
    buf_printf(b, "%s\"%s\":", i ? "," : "", f[i].key);
    switch (f[i].type) {
    case 't': jtext(b, s, f[i].col); break;
    case 'i': jint(b, s, f[i].col); break;
    case 'v':
      if (sqlite3_column_type(s, f[i].col) == SQLITE_TEXT) jtext(b, s, f[i].col);
      else jint(b, s, f[i].col);
      break;
    case 'b': buf_puts(b, sqlite3_column_int(s, f[i].col) ? "true" : "false"); break;
    default: jraw(b, s, f[i].col, f[i].raw);
    }
  }
  buf_putc(b, '}');
}

/* Every row of s as the elements of a JSON array (without its brackets).  Returns
 * the final step's code: SQLITE_DONE, or the error. */
static int rows_json(mandat_buf *b, sqlite3_stmt *s, const jfield *f, size_t nf) {
  int rc;
  for (int n = 0; (rc = sqlite3_step(s)) == SQLITE_ROW; n++) {
    if (n) buf_putc(b, ',');
    row_json(b, s, f, nf);
  }
  return rc;
}

/* ---------------------------------------------------------- parameters */

static bool is_word(const char *v) { /* vocabulary ids and names: letters, digits, - _ . space */
  for (const unsigned char *p = (const unsigned char *)v; *p; p++)
    if (!(isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == ' ' || *p >= 0x80)) return false;
  return strlen(v) <= 128;
}

static bool is_symbol(const char *v) { /* A/RES/80/229, E/CN.15/2024/L.3, S/RES/2341 (2017) */
  for (const unsigned char *p = (const unsigned char *)v; *p; p++)
    if (*p < 0x20 || *p == 0x7f) return false;
  return strlen(v) <= 64;
}

static bool one_of(const char *v, const char *const *list) {
  for (; *list; list++)
    if (strcmp(v, *list) == 0) return true;
  return false;
}

static const char *const organs[] = {"GA", "ECOSOC", "SC", "HRC", "CCPCJ", "CND", NULL};
static const char *const forces[] = {"decision",    "request",         "urge",        "invitation",
                                     "recommendation", "endorsement", "acknowledgement", "affirmation",
                                     "other",       NULL};
static const char *const para_kinds[] = {"preamble", "operative", NULL};
static const char *const entity_kinds[] = {"resolution", "draft_resolution", "decision", "declaration",
                                           "annex", NULL};

/* Parameter `name`: NULL when absent or empty; on a bad value, NULL with a 400 in rep. */
static const char *param(const mandat_http_req *q, mandat_http_reply *rep, const char *name,
                         bool (*ok)(const char *), const char *const *list) {
  const char *v = mandat_http_param(q, name);
  if (failed(rep) || !v || !*v) return NULL;
  if (strlen(v) > MAX_PARAM) {
    mandat_http_error(rep, 400, "parameter %s is longer than %d bytes", name, MAX_PARAM);
    return NULL;
  }
  if ((ok && !ok(v)) || (list && !one_of(v, list))) {
    if (list) {
      mandat_buf allowed = {0};
      for (const char *const *l = list; *l; l++) buf_printf(&allowed, "%s%s", l == list ? "" : ", ", *l);
      mandat_http_error(rep, 400, "bad value for parameter %s (one of: %s)", name, buf_cstr(&allowed));
      buf_free(&allowed);
    } else {
      mandat_http_error(rep, 400, "bad value for parameter %s", name);
    }
    return NULL;
  }
  return v;
}

/* Integer parameter in [lo, hi], def when absent; a 400 in rep otherwise. */
static long param_int(const mandat_http_req *q, mandat_http_reply *rep, const char *name, long lo, long hi,
                      long def) {
  const char *v = mandat_http_param(q, name);
  if (failed(rep) || !v || !*v) return def;
  char *end;
  long n = strtol(v, &end, 10);
  if (*end || strlen(v) > 12 || n < lo || n > hi) {
    mandat_http_error(rep, 400, "parameter %s must be an integer from %ld to %ld", name, lo, hi);
    return def;
  }
  return n;
}

/* A boolean flag: 1/true/yes → 1, 0/false/no → 0, absent → -1. */
static int param_flag(const mandat_http_req *q, mandat_http_reply *rep, const char *name) {
  const char *v = mandat_http_param(q, name);
  if (failed(rep) || !v || !*v) return -1;
  if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes")) return 1;
  if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no")) return 0;
  mandat_http_error(rep, 400, "parameter %s must be 1 or 0", name);
  return -1;
}

/* ?year=2016, 2011-2022, 2011- or -2022 into [*from, *to] (0: open). */
static void param_years(const mandat_http_req *q, mandat_http_reply *rep, long *from, long *to) {
  *from = *to = 0;
  const char *v = mandat_http_param(q, "year");
  if (failed(rep) || !v || !*v) return;
  char *end;
  const char *p = v;
  if (*p != '-') {
    *from = strtol(p, &end, 10);
    p = end;
  }
  if (*p == '-') {
    p++;
    if (*p) *to = strtol(p, &end, 10), p = end;
  } else {
    *to = *from;
  }
  if (*p || strlen(v) > 9 || (*from && (*from < 1945 || *from > 2200)) || (*to && (*to < 1945 || *to > 2200)) ||
      (*from && *to && *from > *to)) {
    mandat_http_error(rep, 400, "parameter year must be YYYY or FROM-TO (e.g. 2011-2022)");
    *from = *to = 0;
  }
}

static void bind_text(sqlite3_stmt *s, int i, const char *v) {
  if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static void bind_long(sqlite3_stmt *s, int i, long v, bool present) {
  if (present) sqlite3_bind_int64(s, i, v);
}

/* --------------------------------------------------------- FTS queries */

/* A snippet with \2 … \3 around matches: plain text and HTML with <mark>. */
static void snippets(mandat_buf *b, const char *snip) {
  mandat_buf plain = {0}, html = {0};
  for (const char *p = snip ? snip : ""; *p; p++) {
    switch (*p) {
    case 2: buf_puts(&html, "<mark>"); break;
    case 3: buf_puts(&html, "</mark>"); break;
    case '&': buf_puts(&html, "&amp;"), buf_putc(&plain, *p); break;
    case '<': buf_puts(&html, "&lt;"), buf_putc(&plain, *p); break;
    case '>': buf_puts(&html, "&gt;"), buf_putc(&plain, *p); break;
    default: buf_putc(&html, *p), buf_putc(&plain, *p);
    }
  }
  KEY(b, "snippet"), json_str(b, buf_cstr(&plain));
  buf_putc(b, ','), KEY(b, "snippet_html"), json_str(b, buf_cstr(&html));
  buf_free(&plain), buf_free(&html);
}

/* ------------------------------------------------------------- search */

/* The facets of a search, in the order and shape of "facets" in docs/api.md. */
static void facets_json(mandat_buf *b, const search_result *r) {
  static const char *const names[FACETS] = {
      [FACET_ORGAN] = "organ", [FACET_YEAR] = "year",           [FACET_LANG] = "language",
      [FACET_KIND] = "kind",   [FACET_ADDRESSEE] = "addressee", [FACET_FORCE] = "force"};
  buf_puts(b, ",\"facets\":{");
  for (int i = 0; i < FACETS; i++) {
    buf_printf(b, "%s\"%s\":[", i ? "," : "", names[i]);
    for (int k = 0; k < r->nfacet[i]; k++) {
      const search_facet *v = &r->facet[i][k];
      buf_puts(b, k ? ",{\"value\":" : "{\"value\":");
      if (!v->value)
        buf_puts(b, "null");
      else if (i == FACET_YEAR)
        buf_puts(b, v->value);
      else
        json_str(b, v->value);
      buf_printf(b, ",\"count\":%ld}", v->count);
    }
    buf_putc(b, ']');
  }
  buf_putc(b, '}');
}

void mandat_api_search(const mandat_http_req *q, mandat_http_reply *rep) {
  char why[160];
  long from = 0, to = 0;
  const char *text = param(q, rep, "q", NULL, NULL);
  const char *organ = param(q, rep, "organ", NULL, organs);
  const char *lang = param(q, rep, "lang", is_word, NULL);
  const char *kind = param(q, rep, "kind", NULL, para_kinds);
  const char *addressee = param(q, rep, "addressee", is_word, NULL);
  const char *force = param(q, rep, "force", NULL, forces);
  const char *symbol = param(q, rep, "symbol", is_symbol, NULL);
  param_years(q, rep, &from, &to);
  long limit = param_int(q, rep, "limit", 1, MAX_PAGE, 20);
  long offset = param_int(q, rep, "offset", 0, MAX_OFFSET, 0);
  int facets = param_flag(q, rep, "facets");
  if (failed(rep)) return;
  if (!text) {
    mandat_http_error(rep, 400, "missing parameter q (the words to search for)");
    return;
  }
  /* the search of `mandat search` (search_run): ranking, filters and snippets */
  search_opts o = {.query = text, .organ = organ, .lang = lang, .kind = kind,
                   .addressee = addressee, .force = force, .symbol = symbol,
                   .year_from = (int)from, .year_to = (int)to, .limit = (int)limit,
                   .offset = offset, .mark_open = "\x02", .mark_close = "\x03", .snippet_tokens = 32,
                   .facets = facets == 1};
  search_result r = {0};
  search_status ss = search_run(q->db, &o, &r, why, sizeof why);
  if (ss == SEARCH_BAD_QUERY || ss == SEARCH_BAD_FILTER) {
    mandat_http_error(rep, 400, "%s", why);
    return;
  }
  if (ss != SEARCH_OK) {
    search_result_free(&r);
    step_failed(q, rep);
    return;
  }
  mandat_buf *b = &rep->body;
  buf_puts(b, "{\"query\":"), json_str(b, text);
  buf_printf(b, ",\"limit\":%ld,\"offset\":%ld,\"hits\":[", limit, offset);
  for (int i = 0; i < r.n; i++) {
    const search_hit *h = &r.hits[i];
    buf_puts(b, i ? ",{" : "{");
    KEY(b, "symbol"), json_str(b, h->symbol);
    buf_printf(b, ",\"entity_id\":%ld,\"title\":", h->entity_id), json_str(b, h->title);
    buf_puts(b, ",\"organ\":"), json_str(b, h->organ);
    if (h->year) buf_printf(b, ",\"year\":%d", h->year);
    else buf_puts(b, ",\"year\":null");
    buf_puts(b, ",\"language\":"), json_str(b, h->language);
    buf_puts(b, ",\"kind\":"), json_str(b, h->kind);
    buf_printf(b, ",\"ref\":\"%s%d\"", strcmp(h->kind, "preamble") == 0 ? "PP" : "OP", h->n);
    buf_puts(b, ",\"number\":"), json_str(b, h->number);
    buf_puts(b, ",\"file\":"), json_str(b, h->file);
    buf_printf(b, ",\"lines\":[%d,%d],\"score\":%.4f,", h->line, h->line_last, h->score);
    snippets(b, h->snippet);
    buf_putc(b, '}');
  }
  buf_printf(b, "],\"total\":%ld", r.total);
  if (facets == 1)
    facets_json(b, &r);
  search_result_free(&r);
  buf_puts(b, "}\n");
}

/* ---------------------------------------------------------- resolutions */

/* The entity named by ?symbol= (or the path after /api/resolutions/) or ?id=: its
 * id, or 0 with a 400 or 404 in rep. */
static long entity_of(const mandat_http_req *q, mandat_http_reply *rep, bool required) {
  const char *sym = q->rest && *q->rest ? q->rest : param(q, rep, "symbol", is_symbol, NULL);
  long id = param_int(q, rep, "id", 1, 0x7fffffffL, 0);
  if (failed(rep)) return 0;
  if (sym && !is_symbol(sym)) {
    mandat_http_error(rep, 400, "bad value for parameter symbol");
    return 0;
  }
  if (!sym && !id) {
    if (required) mandat_http_error(rep, 400, "missing parameter symbol (e.g. A/RES/80/229) or id");
    return 0;
  }
  if (id) {
    sqlite3_stmt *s = stmt(q, rep, Q_ENTITY);
    if (!s) return 0;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    release(s);
    if (rc == SQLITE_ROW) return id;
    if (rc != SQLITE_DONE) step_failed(q, rep);
    else mandat_http_error(rep, 404, "no entity with id %ld in the registry", id);
    return 0;
  }
  for (int k = Q_ENTITY_BY_SYMBOL; k <= Q_ENTITY_BY_SYMBOL_NOCASE; k++) {
    sqlite3_stmt *s = stmt(q, rep, k);
    if (!s) return 0;
    bind_text(s, 1, sym);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) id = (long)sqlite3_column_int64(s, 0);
    release(s);
    if (rc == SQLITE_ROW) return id;
    if (rc != SQLITE_DONE) {
      step_failed(q, rep);
      return 0;
    }
  }
  mandat_http_error(rep, 404, "no resolution %.64s in the registry", sym);
  return 0;
}

/* The clauses of paragraph pid as a JSON array, with each mandate marked. */
static void clauses_json(const mandat_http_req *q, mandat_http_reply *rep, mandat_buf *b, sqlite3_int64 pid) {
  sqlite3_stmt *s = stmt(q, rep, Q_CLAUSES);
  if (!s) return;
  static const jfield f[] = {{"verb", 0, 't', NULL},         {"force", 1, 't', NULL},
                             {"action", 2, 't', NULL},       {"addressees", 3, 'r', "[]"},
                             {"conditions", 4, 'r', "[]"},   {"reporting", 5, 'r', "null"},
                             {"mandate", 6, 'b', NULL}};
  sqlite3_bind_int64(s, 1, pid);
  buf_putc(b, '[');
  int rc = rows_json(b, s, JFIELDS(f));
  buf_putc(b, ']');
  if (rc != SQLITE_DONE) step_failed(q, rep);
  release(s);
}

/* Paragraphs of entity eid (kind and n optional filters) as a JSON array.  Returns
 * the number written. */
static int paragraphs_json(const mandat_http_req *q, mandat_http_reply *rep, mandat_buf *b, long eid,
                           const char *kind, long n_want, long limit, long offset) {
  sqlite3_stmt *s = stmt(q, rep, Q_PARAGRAPHS), *sub = stmt(q, rep, Q_SUBPARAS), *notes = stmt(q, rep, Q_NOTES);
  int rc = SQLITE_DONE, n = 0;
  if (!s || !sub || !notes) return 0;
  sqlite3_bind_int64(s, 1, eid);
  bind_text(s, 2, kind);
  bind_long(s, 3, n_want, n_want > 0);
  sqlite3_bind_int64(s, 4, limit);
  sqlite3_bind_int64(s, 5, offset);
  buf_putc(b, '[');
  while (!failed(rep) && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    sqlite3_int64 pid = sqlite3_column_int64(s, 0);
    buf_puts(b, n++ ? ",{\"ref\":" : "{\"ref\":"), jtext(b, s, 3);
    buf_puts(b, ",\"kind\":"), jtext(b, s, 1);
    buf_puts(b, ",\"n\":"), jint(b, s, 2);
    buf_puts(b, ",\"number\":"), jtext(b, s, 4);
    buf_puts(b, ",\"opening\":"), jtext(b, s, 5);
    buf_puts(b, ",\"text\":"), jtext(b, s, 6);
    buf_puts(b, ",\"lines\":["), jint(b, s, 7), buf_putc(b, ','), jint(b, s, 8);
    buf_puts(b, "],\"notes\":[");
    sqlite3_bind_int64(notes, 1, pid);
    for (int k = 0; sqlite3_step(notes) == SQLITE_ROW; k++) buf_puts(b, k ? "," : ""), jint(b, notes, 0);
    release(notes);
    buf_puts(b, "],\"subparagraphs\":[");
    sqlite3_bind_int64(sub, 1, pid);
    for (int k = 0; sqlite3_step(sub) == SQLITE_ROW; k++) {
      buf_puts(b, k ? ",{\"label\":" : "{\"label\":"), jtext(b, sub, 0);
      buf_puts(b, ",\"text\":"), jtext(b, sub, 1);
      buf_puts(b, ",\"lines\":["), jint(b, sub, 2), buf_putc(b, ','), jint(b, sub, 3), buf_puts(b, "]}");
    }
    release(sub);
    buf_puts(b, "],\"clauses\":");
    clauses_json(q, rep, b, pid);
    buf_putc(b, '}');
  }
  buf_putc(b, ']');
  if (!failed(rep) && rc != SQLITE_DONE) step_failed(q, rep);
  release(s);
  return n;
}

/* The entity's metadata fields (no braces), from a Q_ENTITY row. */
static void entity_fields(mandat_buf *b, sqlite3_stmt *s) {
  KEY(b, "id"), jint(b, s, 0);
  buf_puts(b, ",\"local_id\":"), jtext(b, s, 1);
  buf_puts(b, ",\"kind\":"), jtext(b, s, 2);
  buf_puts(b, ",\"parent_id\":"), jint(b, s, 3);
  buf_puts(b, ",\"symbol\":"), jtext(b, s, 4);
  buf_puts(b, ",\"organ\":"), jtext(b, s, 5);
  buf_puts(b, ",\"session\":"), jtext(b, s, 6);
  buf_puts(b, ",\"adoption_date\":"), jtext(b, s, 7);
  buf_puts(b, ",\"year\":"), jint(b, s, 8);
  buf_puts(b, ",\"meeting\":"), jtext(b, s, 9);
  buf_puts(b, ",\"agenda_item\":{\"number\":"), jtext(b, s, 10);
  buf_puts(b, ",\"title\":"), jtext(b, s, 11);
  buf_puts(b, "},\"title\":"), jtext(b, s, 12);
  buf_puts(b, ",\"lines\":["), jint(b, s, 13), buf_putc(b, ','), jint(b, s, 14);
  buf_puts(b, "],\"source\":{\"file\":"), jtext(b, s, 15);
  buf_puts(b, ",\"language\":"), jtext(b, s, 16);
  buf_puts(b, ",\"format\":"), jtext(b, s, 17);
  buf_puts(b, ",\"version\":"), jint(b, s, 18);
  buf_puts(b, ",\"sha256\":"), jtext(b, s, 19), buf_putc(b, '}');
}

/* Citations made by eid (with the cited entity's id when it is in the registry). */
static void cites_out(const mandat_http_req *q, mandat_http_reply *rep, mandat_buf *b, long eid) {
  sqlite3_stmt *s = stmt(q, rep, Q_CITES_OUT);
  if (!s) return;
  static const jfield f[] = {{"kind", 0, 't', NULL}, {"symbol", 1, 't', NULL},
                             {"as_written", 2, 't', NULL}, {"in", 3, 't', NULL},
                             {"entity_id", 4, 'i', NULL}};
  sqlite3_bind_int64(s, 1, eid);
  buf_putc(b, '[');
  int rc = rows_json(b, s, JFIELDS(f));
  buf_putc(b, ']');
  if (rc != SQLITE_DONE) step_failed(q, rep);
  release(s);
}

/* Entities citing `symbol` (other than eid). */
static void cites_in(const mandat_http_req *q, mandat_http_reply *rep, mandat_buf *b, const char *symbol,
                     long eid) {
  sqlite3_stmt *s = stmt(q, rep, Q_CITES_IN);
  if (!s) return;
  bind_text(s, 1, symbol);
  bind_long(s, 2, eid, eid > 0);
  static const jfield f[] = {{"entity_id", 0, 'i', NULL}, {"symbol", 1, 't', NULL},
                             {"title", 2, 't', NULL},     {"year", 3, 'i', NULL},
                             {"in", 4, 't', NULL},        {"as_written", 5, 't', NULL}};
  buf_putc(b, '[');
  int rc = symbol ? rows_json(b, s, JFIELDS(f)) : SQLITE_DONE;
  buf_putc(b, ']');
  if (rc != SQLITE_DONE) step_failed(q, rep);
  release(s);
}

void mandat_api_resolution(const mandat_http_req *q, mandat_http_reply *rep) {
  long eid = entity_of(q, rep, true);
  if (!eid) return;
  sqlite3_stmt *e = stmt(q, rep, Q_ENTITY);
  if (!e) return;
  sqlite3_bind_int64(e, 1, eid);
  if (sqlite3_step(e) != SQLITE_ROW) {
    release(e);
    step_failed(q, rep);
    return;
  }
  mandat_buf *b = &rep->body;
  char *symbol = sqlite3_column_text(e, 4) ? xstrdup((const char *)sqlite3_column_text(e, 4)) : NULL;
  buf_putc(b, '{');
  entity_fields(b, e);
  release(e);
  buf_puts(b, ",\"annexes\":[");
  sqlite3_stmt *c = stmt(q, rep, Q_CHILDREN);
  if (c) {
    sqlite3_bind_int64(c, 1, eid);
    for (int n = 0; sqlite3_step(c) == SQLITE_ROW; n++) {
      buf_puts(b, n ? ",{\"id\":" : "{\"id\":"), jint(b, c, 0);
      buf_puts(b, ",\"kind\":"), jtext(b, c, 1);
      buf_puts(b, ",\"symbol\":"), jtext(b, c, 2);
      buf_puts(b, ",\"title\":"), jtext(b, c, 3), buf_putc(b, '}');
    }
    release(c);
  }
  buf_puts(b, "],\"preamble\":");
  paragraphs_json(q, rep, b, eid, "preamble", 0, 100000, 0);
  buf_puts(b, ",\"operative\":");
  paragraphs_json(q, rep, b, eid, "operative", 0, 100000, 0);
  buf_puts(b, ",\"footnotes\":[");
  sqlite3_stmt *f = stmt(q, rep, Q_FOOTNOTES);
  if (f) {
    sqlite3_bind_int64(f, 1, eid);
    for (int n = 0; sqlite3_step(f) == SQLITE_ROW; n++) {
      buf_puts(b, n ? ",{\"n\":" : "{\"n\":"), jint(b, f, 0);
      buf_puts(b, ",\"text\":"), jtext(b, f, 1);
      buf_puts(b, ",\"lines\":["), jint(b, f, 2), buf_putc(b, ','), jint(b, f, 3), buf_puts(b, "]}");
    }
    release(f);
  }
  buf_puts(b, "],\"citations\":");
  cites_out(q, rep, b, eid);
  buf_puts(b, ",\"cited_by\":");
  cites_in(q, rep, b, symbol, eid);
  buf_puts(b, "}\n");
  free(symbol);
}

/* An item of /api/resolutions, from a Q_LIST row. */
static const jfield list_item[] = {
    {"id", 0, 'i', NULL},         {"kind", 1, 't', NULL},      {"symbol", 2, 't', NULL},
    {"organ", 3, 't', NULL},      {"year", 4, 'i', NULL},      {"session", 5, 't', NULL},
    {"adoption_date", 6, 't', NULL}, {"title", 7, 't', NULL},  {"language", 8, 't', NULL},
    {"file", 9, 't', NULL},       {"parent_id", 10, 'i', NULL}, {"preamble", 11, 'i', NULL},
    {"operative", 12, 'i', NULL}};

void mandat_api_resolutions(const mandat_http_req *q, mandat_http_reply *rep) {
  const char *organ = param(q, rep, "organ", NULL, organs);
  const char *lang = param(q, rep, "lang", is_word, NULL);
  const char *kind = param(q, rep, "kind", NULL, entity_kinds);
  const char *title = param(q, rep, "title", NULL, NULL);
  long from, to;
  param_years(q, rep, &from, &to);
  long limit = param_int(q, rep, "limit", 1, MAX_PAGE, 50);
  long offset = param_int(q, rep, "offset", 0, MAX_OFFSET, 0);
  if (failed(rep)) return;
  mandat_buf *b = &rep->body;
  for (int id = Q_LIST_COUNT; id >= Q_LIST; id--) {
    sqlite3_stmt *s = stmt(q, rep, id);
    if (!s) return;
    bind_text(s, 1, organ);
    bind_long(s, 2, from, from != 0);
    bind_long(s, 3, to, to != 0);
    bind_text(s, 4, lang);
    bind_text(s, 5, kind);
    bind_text(s, 6, title);
    if (id == Q_LIST_COUNT) {
      if (!paged_total(q, rep, s, b, limit, offset)) return;
      continue;
    }
    sqlite3_bind_int64(s, 7, limit);
    sqlite3_bind_int64(s, 8, offset);
    buf_puts(b, ",\"items\":[");
    int rc = rows_json(b, s, JFIELDS(list_item));
    buf_puts(b, "]}\n");
    release(s);
    if (rc != SQLITE_DONE) step_failed(q, rep);
  }
}

/* ref "OP12" / "PP3" into kind and n; false when malformed. */
static bool parse_ref(const char *ref, const char **kind, long *n) {
  if (!ref || strlen(ref) < 3 || strlen(ref) > 8) return false;
  if (!strncmp(ref, "OP", 2)) *kind = "operative";
  else if (!strncmp(ref, "PP", 2)) *kind = "preamble";
  else return false;
  char *end;
  *n = strtol(ref + 2, &end, 10);
  return !*end && *n > 0;
}

void mandat_api_paragraphs(const mandat_http_req *q, mandat_http_reply *rep) {
  const char *kind = param(q, rep, "kind", NULL, para_kinds);
  const char *ref = param(q, rep, "ref", NULL, NULL);
  long limit = param_int(q, rep, "limit", 1, MAX_PAGE, MAX_PAGE);
  long offset = param_int(q, rep, "offset", 0, MAX_OFFSET, 0);
  long n = 0;
  if (failed(rep)) return;
  if (ref && !parse_ref(ref, &kind, &n)) {
    mandat_http_error(rep, 400, "parameter ref must be OPn or PPn (e.g. OP12, PP3)");
    return;
  }
  long eid = entity_of(q, rep, true);
  if (!eid) return;
  mandat_buf *b = &rep->body;
  buf_printf(b, "{\"entity_id\":%ld,\"paragraphs\":", eid);
  int got = paragraphs_json(q, rep, b, eid, kind, n, limit, offset);
  if (failed(rep)) return;
  if (ref && !got) {
    mandat_http_error(rep, 404, "no paragraph %s in this resolution", ref);
    return;
  }
  buf_puts(b, "}\n");
}

/* ------------------------------------------------------------ mandates */

/* One CSV cell (export.h's csv_field, RFC 4180) and its separator. */
static void csv_cell(mandat_buf *b, const char *s, bool last) {
  csv_field(b, s);
  buf_puts(b, last ? "\r\n" : ",");
}

#define COL(s, i) ((const char *)sqlite3_column_text((s), (i)))

/* An item of /api/mandates (JSON), from a Q_MANDATES row. */
static const jfield mandate_item[] = {
    {"symbol", 0, 't', NULL},      {"entity_id", 1, 'i', NULL},  {"title", 20, 't', NULL},
    {"ref", 2, 't', NULL},         {"number", 3, 't', NULL},     {"verb", 4, 't', NULL},
    {"force", 5, 't', NULL},       {"addressees", 12, 'r', "[]"}, {"action", 6, 't', NULL},
    {"conditions", 13, 'r', "[]"}, {"reporting", 14, 'r', "null"}, {"organ", 7, 't', NULL},
    {"year", 8, 'i', NULL},        {"language", 9, 't', NULL},   {"file", 10, 't', NULL},
    {"line", 11, 'i', NULL}};

void mandat_api_mandates(const mandat_http_req *q, mandat_http_reply *rep) {
  const char *addressee = param(q, rep, "addressee", is_word, NULL);
  const char *force = param(q, rep, "force", NULL, forces);
  const char *organ = param(q, rep, "organ", NULL, organs);
  const char *lang = param(q, rep, "lang", is_word, NULL);
  const char *symbol = param(q, rep, "symbol", is_symbol, NULL);
  const char *since = param(q, rep, "since", NULL, NULL);
  static const char *const formats[] = {"json", "csv", NULL};
  const char *format = param(q, rep, "format", NULL, formats);
  int no_reporting = param_flag(q, rep, "no_reporting");
  int conditions = param_flag(q, rep, "conditions");
  long from, to;
  param_years(q, rep, &from, &to);
  bool csv = format && !strcmp(format, "csv");
  long limit = param_int(q, rep, "limit", 1, csv ? MAX_CSV : MAX_PAGE, csv ? MAX_CSV : 50);
  long offset = param_int(q, rep, "offset", 0, MAX_OFFSET, 0);
  char since_date[11] = "";
  if (since) { /* YYYY or YYYY-MM-DD */
    size_t n = strlen(since);
    bool ok = (n == 4 || n == 10);
    for (size_t i = 0; ok && i < n; i++) ok = (i == 4 || i == 7) ? since[i] == '-' : isdigit((unsigned char)since[i]);
    if (!ok) mandat_http_error(rep, 400, "parameter since must be YYYY or YYYY-MM-DD");
    else snprintf(since_date, sizeof since_date, n == 4 ? "%s-01-01" : "%s", since);
  }
  if (failed(rep)) return;
  mandat_buf *b = &rep->body;
  for (int id = Q_MANDATES_COUNT; id >= Q_MANDATES; id--) {
    if (csv && id == Q_MANDATES_COUNT) continue;
    sqlite3_stmt *s = stmt(q, rep, id);
    if (!s) return;
    bind_text(s, 1, addressee);
    bind_text(s, 2, force);
    bind_text(s, 3, organ);
    bind_long(s, 4, from, from != 0);
    bind_long(s, 5, to, to != 0);
    bind_text(s, 6, lang);
    bind_text(s, 7, symbol);
    bind_long(s, 8, no_reporting, no_reporting >= 0);
    bind_long(s, 9, conditions, conditions >= 0);
    bind_text(s, 10, since ? since_date : NULL);
    int rc, n = 0;
    if (id == Q_MANDATES_COUNT) {
      if (!paged_total(q, rep, s, b, limit, offset)) return;
      continue;
    }
    sqlite3_bind_int64(s, 12, limit);
    sqlite3_bind_int64(s, 13, offset);
    if (csv)
      render_csv_header(b);
    else
      buf_puts(b, ",\"items\":[");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      if (csv) {
        char line[24];
        snprintf(line, sizeof line, "%lld", (long long)sqlite3_column_int64(s, 11));
        const char *sym = COL(s, 0) ? COL(s, 0) : "";
        csv_cell(b, sym, false), csv_cell(b, COL(s, 2), false), csv_cell(b, COL(s, 4), false);
        csv_cell(b, COL(s, 5), false), csv_cell(b, COL(s, 15), false), csv_cell(b, COL(s, 6), false);
        csv_cell(b, COL(s, 16), false), csv_cell(b, COL(s, 17), false), csv_cell(b, COL(s, 18), false);
        csv_cell(b, COL(s, 19), false), csv_cell(b, COL(s, 10), false), csv_cell(b, line, true);
        continue;
      }
      if (n++) buf_putc(b, ',');
      row_json(b, s, JFIELDS(mandate_item));
    }
    if (!csv) buf_puts(b, "]}\n");
    release(s);
    if (rc != SQLITE_DONE) {
      step_failed(q, rep);
      return;
    }
  }
  if (csv) {
    rep->type = "text/csv; charset=utf-8";
    rep->disposition = "attachment; filename=\"mandates.csv\"";
  }
}

/* ------------------------------------------------------------ citations */

void mandat_api_citations(const mandat_http_req *q, mandat_http_reply *rep) {
  const char *symbol = param(q, rep, "symbol", is_symbol, NULL);
  if (failed(rep)) return;
  if (!symbol) {
    mandat_http_error(rep, 400, "missing parameter symbol (e.g. A/RES/71/209)");
    return;
  }
  /* In the registry?  Then what it cites too; else only who cites it. */
  long eid = 0;
  sqlite3_stmt *s = stmt(q, rep, Q_ENTITY_BY_SYMBOL);
  if (!s) return;
  bind_text(s, 1, symbol);
  if (sqlite3_step(s) == SQLITE_ROW) eid = (long)sqlite3_column_int64(s, 0);
  release(s);
  if (!eid) {
    if (!(s = stmt(q, rep, Q_CITED_ANYWHERE))) return;
    bind_text(s, 1, symbol);
    int rc = sqlite3_step(s);
    release(s);
    if (rc != SQLITE_ROW) {
      mandat_http_error(rep, 404, "%.64s is neither in the registry nor cited by it", symbol);
      return;
    }
  }
  mandat_buf *b = &rep->body;
  buf_puts(b, "{\"symbol\":"), json_str(b, symbol);
  buf_puts(b, ",\"entity_id\":");
  if (eid) buf_printf(b, "%ld", eid);
  else buf_puts(b, "null");
  buf_puts(b, ",\"cites\":");
  if (eid) cites_out(q, rep, b, eid);
  else buf_puts(b, "[]");
  buf_puts(b, ",\"cited_by\":");
  cites_in(q, rep, b, symbol, eid);
  buf_puts(b, "}\n");
}

/* ------------------------------------------------------ diff and lineage */

typedef struct {
  long id;
  char *symbol, *title;
  long year; /* adoption year, or the session's year for an undated GA draft */
} series_member;

typedef struct {
  char **ref, **text;
  align_feat *feat;
  size_t n;
} part;

static void part_free(part *p) {
  for (size_t i = 0; i < p->n; i++) free(p->ref[i]), free(p->text[i]), align_feat_free(&p->feat[i]);
  free(p->ref), free(p->text), free(p->feat);
  memset(p, 0, sizeof *p);
}

/* Load the paragraphs of kind `kind` of entity eid into p (owned by p). */
static void part_load(const mandat_http_req *q, mandat_http_reply *rep, long eid, const char *kind, part *p) {
  sqlite3_stmt *s = stmt(q, rep, Q_PARA_TEXTS);
  size_t cap = 0;
  if (!s) return;
  sqlite3_bind_int64(s, 1, eid);
  bind_text(s, 2, kind);
  while (sqlite3_step(s) == SQLITE_ROW) {
    if (p->n == cap) {
      cap = cap ? 2 * cap : 64;
      p->ref = xrealloc(p->ref, cap * sizeof *p->ref);
      p->text = xrealloc(p->text, cap * sizeof *p->text);
      p->feat = xrealloc(p->feat, cap * sizeof *p->feat);
    }
    p->ref[p->n] = xstrdup(COL(s, 0));
    p->text[p->n] = xstrdup(COL(s, 1) ? COL(s, 1) : "");
    align_feat_make(&p->feat[p->n], p->text[p->n]);
    p->n++;
  }
  release(s);
}

static void para_ref_json(mandat_buf *b, const part *p, int i) {
  if (i < 0) {
    buf_puts(b, "null");
    return;
  }
  buf_puts(b, "{\"ref\":"), json_str(b, p->ref[i]);
  buf_puts(b, ",\"text\":"), json_str(b, p->text[i]), buf_putc(b, '}');
}

void mandat_api_diff(const mandat_http_req *q, mandat_http_reply *rep) {
  const char *old_sym = param(q, rep, "old", is_symbol, NULL);
  const char *new_sym = param(q, rep, "new", is_symbol, NULL);
  long old_id = param_int(q, rep, "old_id", 1, 0x7fffffffL, 0);
  long new_id = param_int(q, rep, "new_id", 1, 0x7fffffffL, 0);
  if (failed(rep)) return;
  if ((!old_sym && !old_id) || (!new_sym && !new_id)) {
    mandat_http_error(rep, 400, "missing parameters old and new (symbols) or old_id and new_id");
    return;
  }
  long ids[2];
  const char *syms[2] = {old_sym, new_sym};
  long given[2] = {old_id, new_id};
  for (int k = 0; k < 2; k++) { /* resolve each side like entity_of, by symbol or id */
    sqlite3_stmt *s = stmt(q, rep, syms[k] ? Q_ENTITY_BY_SYMBOL : Q_ENTITY);
    if (!s) return;
    if (syms[k]) bind_text(s, 1, syms[k]);
    else sqlite3_bind_int64(s, 1, given[k]);
    int rc = sqlite3_step(s);
    ids[k] = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
    release(s);
    if (!ids[k]) {
      if (syms[k]) mandat_http_error(rep, 404, "no resolution %.64s in the registry", syms[k]);
      else mandat_http_error(rep, 404, "no entity with id %ld in the registry", given[k]);
      return;
    }
  }
  mandat_buf *b = &rep->body;
  buf_puts(b, "{");
  for (int k = 0; k < 2; k++) {
    sqlite3_stmt *s = stmt(q, rep, Q_ENTITY);
    if (!s) return;
    sqlite3_bind_int64(s, 1, ids[k]);
    if (sqlite3_step(s) == SQLITE_ROW) {
      buf_puts(b, k ? ",\"new\":{" : "\"old\":{");
      KEY(b, "id"), jint(b, s, 0);
      buf_puts(b, ",\"symbol\":"), jtext(b, s, 4);
      buf_puts(b, ",\"year\":"), jint(b, s, 8);
      buf_puts(b, ",\"title\":"), jtext(b, s, 12), buf_putc(b, '}');
    }
    release(s);
  }
  static const char *const kinds[] = {"preamble", "operative"};
  int counts[2][7] = {{0}};
  for (int k = 0; k < 2; k++) {
    part po = {0}, pn = {0};
    align_result r = {0};
    part_load(q, rep, ids[0], kinds[k], &po);
    part_load(q, rep, ids[1], kinds[k], &pn);
    align_paragraphs(po.feat, po.n, pn.feat, pn.n, &r);
    buf_printf(b, ",\"%s\":[", kinds[k]);
    for (size_t i = 0; i < r.n; i++) {
      const align_link *l = &r.links[i];
      counts[k][l->rel]++;
      buf_puts(b, i ? ",{\"relation\":" : "{\"relation\":"), json_str(b, align_relation_name(l->rel));
      buf_printf(b, ",\"similarity\":%.3f,\"edited\":%s,\"old\":", l->sim, l->edited ? "true" : "false");
      para_ref_json(b, &po, l->old_i);
      buf_puts(b, ",\"new\":");
      para_ref_json(b, &pn, l->new_i);
      buf_putc(b, '}');
    }
    buf_putc(b, ']');
    align_result_free(&r);
    part_free(&po), part_free(&pn);
  }
  buf_puts(b, ",\"summary\":{");
  for (int rel = 0; rel <= ALIGN_MERGED; rel++)
    buf_printf(b, "%s\"%s\":%d", rel ? "," : "", align_relation_name((align_relation)rel),
               counts[0][rel] + counts[1][rel]);
  buf_puts(b, "}}\n");
}

static int by_year(const void *a, const void *b) {
  const series_member *x = a, *y = b;
  return x->year != y->year ? (x->year < y->year ? -1 : 1) : (x->id < y->id ? -1 : x->id > y->id);
}

/* The versions of the resolution eid: current entities whose title is close to its
 * title (the same recurring resolution keeps its title, with small edits). */
static size_t series_of(const mandat_http_req *q, mandat_http_reply *rep, long eid, series_member *out) {
  sqlite3_stmt *s = stmt(q, rep, Q_SERIES_CANDIDATES);
  size_t n = 0;
  char *title = NULL;
  if (!s) return 0;
  while (sqlite3_step(s) == SQLITE_ROW)
    if (sqlite3_column_int64(s, 0) == eid) title = xstrdup(COL(s, 2));
  sqlite3_reset(s);
  if (!title) {
    release(s);
    return 0;
  }
  align_feat t;
  align_feat_make(&t, title);
  while (n < MAX_SERIES && sqlite3_step(s) == SQLITE_ROW) {
    align_feat f;
    align_feat_make(&f, COL(s, 2));
    /* 0.5: the corpus's versions score 0.6 to 1 against each other; other resolutions
     * of the programme share only a few words of their titles (below 0.3). */
    if (align_sim(&t, &f) >= 0.5) {
      series_member *m = &out[n++];
      m->id = (long)sqlite3_column_int64(s, 0);
      m->symbol = COL(s, 1) ? xstrdup(COL(s, 1)) : NULL;
      m->title = xstrdup(COL(s, 2));
      m->year = sqlite3_column_type(s, 3) != SQLITE_NULL ? (long)sqlite3_column_int64(s, 3)
                : COL(s, 4) && !strcmp(COL(s, 6) ? COL(s, 6) : "", "GA") ? 1945 + atol(COL(s, 4))
                                                                         : 0;
    }
    align_feat_free(&f);
  }
  release(s);
  align_feat_free(&t);
  free(title);
  if (n > 1) qsort(out, n, sizeof *out, by_year);
  return n;
}

void mandat_api_lineage(const mandat_http_req *q, mandat_http_reply *rep) {
  long eid = entity_of(q, rep, true);
  if (!eid) return;
  series_member *m = xcalloc(MAX_SERIES, sizeof *m);
  size_t n = series_of(q, rep, eid, m), me = 0;
  mandat_buf *b = &rep->body;
  buf_puts(b, "{\"series\":[");
  for (size_t i = 0; i < n; i++) {
    if (m[i].id == eid) me = i;
    buf_printf(b, "%s{\"id\":%ld,\"symbol\":", i ? "," : "", m[i].id);
    json_str(b, m[i].symbol);
    buf_printf(b, ",\"year\":%ld,\"title\":", m[i].year);
    json_str(b, m[i].title), buf_putc(b, '}');
  }
  buf_puts(b, "]");
  /* For each paragraph of eid, walk back through the older versions while it has a
   * counterpart: the oldest one reached is where it first appeared. */
  static const char *const kinds[] = {"preamble", "operative"};
  for (int k = 0; k < 2 && !failed(rep); k++) {
    part *parts = xcalloc(me + 1, sizeof *parts);
    for (size_t v = 0; v <= me; v++) part_load(q, rep, m[v].id, kinds[k], &parts[v]);
    size_t cnt = parts[me].n;
    int *at = xmalloc((cnt + 1) * sizeof *at);      /* index in the version being walked */
    size_t *first = xmalloc((cnt + 1) * sizeof *first); /* version of first appearance */
    bool *changed = xcalloc(cnt + 1, sizeof *changed);
    for (size_t i = 0; i < cnt; i++) at[i] = (int)i, first[i] = me;
    for (size_t v = me; v > 0; v--) {
      align_result r = {0};
      align_paragraphs(parts[v - 1].feat, parts[v - 1].n, parts[v].feat, parts[v].n, &r);
      for (size_t i = 0; i < cnt; i++) {
        if (first[i] != v || at[i] < 0) continue;
        int back = -1;
        for (size_t l = 0; l < r.n; l++)
          if (r.links[l].new_i == at[i] && r.links[l].old_i >= 0) {
            back = r.links[l].old_i;
            if (r.links[l].edited) changed[i] = true;
            break;
          }
        if (back >= 0) at[i] = back, first[i] = v - 1;
      }
      align_result_free(&r);
    }
    buf_printf(b, ",\"%s\":[", kinds[k]);
    for (size_t i = 0; i < cnt; i++) {
      size_t v = first[i];
      buf_puts(b, i ? ",{\"ref\":" : "{\"ref\":"), json_str(b, parts[me].ref[i]);
      buf_printf(b, ",\"first_seen\":{\"id\":%ld,\"symbol\":", m[v].id);
      json_str(b, m[v].symbol);
      buf_printf(b, ",\"year\":%ld,\"ref\":", m[v].year);
      json_str(b, parts[v].ref[at[i]]);
      buf_printf(b, "},\"edited_since\":%s}", changed[i] ? "true" : "false");
    }
    buf_putc(b, ']');
    for (size_t v = 0; v <= me; v++) part_free(&parts[v]);
    free(parts), free(at), free(first), free(changed);
  }
  buf_puts(b, "}\n");
  for (size_t i = 0; i < n; i++) free(m[i].symbol), free(m[i].title);
  free(m);
}

/* --------------------------------------------------------------- stats */

/* The rows of statement id as the array `name` of objects of the fields f. */
static bool pairs(const mandat_http_req *q, mandat_http_reply *rep, mandat_buf *b, int id, const char *name,
                  const jfield *f, size_t nf) {
  sqlite3_stmt *s = stmt(q, rep, id);
  if (!s) return false;
  buf_printf(b, ",\"%s\":[", name);
  int rc = rows_json(b, s, f, nf);
  buf_putc(b, ']');
  release(s);
  if (rc != SQLITE_DONE) step_failed(q, rep);
  return rc == SQLITE_DONE;
}

void mandat_api_stats(const mandat_http_req *q, mandat_http_reply *rep) {
  sqlite3_stmt *s = stmt(q, rep, Q_STATS_TOTALS);
  if (!s) return;
  if (sqlite3_step(s) != SQLITE_ROW) {
    release(s);
    step_failed(q, rep);
    return;
  }
  mandat_buf *b = &rep->body;
  static const char *const totals[] = {"documents", "entities", "paragraphs", "clauses", "mandates", "citations"};
  buf_puts(b, "{\"totals\":{");
  for (int c = 0; c < 6; c++) buf_printf(b, "%s\"%s\":", c ? "," : "", totals[c]), jint(b, s, c);
  buf_putc(b, '}');
  release(s);
  static const jfield k_organ[] = {{"organ", 0, 'v', NULL}, {"entities", 1, 'v', NULL}};
  static const jfield k_year[] = {{"year", 0, 'v', NULL}, {"entities", 1, 'v', NULL}, {"clauses", 2, 'v', NULL}};
  static const jfield k_force[] = {{"force", 0, 'v', NULL}, {"clauses", 1, 'v', NULL}};
  static const jfield k_addr[] = {{"addressee", 0, 'v', NULL}, {"mandates", 1, 'v', NULL},
                                  {"unlisted", 2, 'v', NULL}};
  static const jfield k_yf[] = {{"year", 0, 'v', NULL}, {"force", 1, 'v', NULL}, {"clauses", 2, 'v', NULL}};
  static const jfield k_dl[] = {{"due_year", 0, 'v', NULL}, {"to", 1, 'v', NULL}, {"requests", 2, 'v', NULL}};
  if (pairs(q, rep, b, Q_STATS_ORGAN, "by_organ", JFIELDS(k_organ)) &&
      pairs(q, rep, b, Q_STATS_YEAR, "by_year", JFIELDS(k_year)) &&
      pairs(q, rep, b, Q_STATS_FORCE, "by_force", JFIELDS(k_force)) &&
      pairs(q, rep, b, Q_STATS_ADDRESSEE, "by_addressee", JFIELDS(k_addr)) &&
      pairs(q, rep, b, Q_STATS_YEAR_FORCE, "by_year_force", JFIELDS(k_yf)) &&
      pairs(q, rep, b, Q_STATS_DEADLINES, "reporting_deadlines", JFIELDS(k_dl)))
    buf_puts(b, "}\n");
}

/* ------------------------------------------------------------- OpenAPI */

void mandat_api_openapi(const mandat_http_req *q, mandat_http_reply *rep) {
  (void)q;
  for (const mandat_web_asset *a = mandat_web_assets; a->name; a++)
    if (!strcmp(a->name, "openapi.json")) {
      rep->type = "application/json";
      rep->static_body = a->data;
      rep->static_len = a->len;
      return;
    }
  mandat_http_error(rep, 404, "the OpenAPI document is not built into this binary");
}
