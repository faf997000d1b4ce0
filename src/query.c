/* query.c: read-only queries over the registry (see query.h): show, cites, stats
 * and mandates, each as text or JSON.  SQL is assembled only from the constant
 * fragments below; every user value is a bound parameter. */
#include "query.h"

/* A mandate, as mandat_clause_is_mandate() defines it: a clause that asks someone
 * to act (a directive force, or any clause with an addressee). */
#define MANDATE_SQL                                                                      \
  "(c.force IN ('request', 'urge', 'invitation', 'recommendation') OR EXISTS (SELECT 1 " \
  "FROM clause_addressees a WHERE a.clause_id = c.id))"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* Width of a paragraph's text in an outline line: a terminal line with the
 * reference and line number in front. */
#define OUTLINE_TEXT_BYTES 90

static const char *col(sqlite3_stmt *s, int i) { return (const char *)sqlite3_column_text(s, i); }
static int icol(sqlite3_stmt *s, int i) { return sqlite3_column_int(s, i); }

/* Bind by name; a name the statement does not use is skipped (the filters share
 * one binder).  Text is SQLITE_STATIC: the caller's strings outlive the query. */
static void bind_text(sqlite3_stmt *s, const char *name, const char *v) {
  int i = sqlite3_bind_parameter_index(s, name);
  if (!i) return;
  if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
  else sqlite3_bind_null(s, i);
}
static void bind_int(sqlite3_stmt *s, const char *name, sqlite3_int64 v) {
  int i = sqlite3_bind_parameter_index(s, name);
  if (i) sqlite3_bind_int64(s, i, v);
}

/* :ent, and :para (NULL for the whole entity) of the citation and footnote queries. */
static void bind_scope(sqlite3_stmt *s, sqlite3_int64 ent, sqlite3_int64 para) {
  bind_int(s, ":ent", ent);
  if (para) bind_int(s, ":para", para);
  else sqlite3_bind_null(s, sqlite3_bind_parameter_index(s, ":para"));
}

static query_status prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err, size_t errlen) {
  if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK) return QUERY_OK;
  buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
  return QUERY_DB_ERROR;
}

/* Entity- and document-level filters, as constant SQL over aliases e and d. */
static void filter_sql(mandat_buf *sql, const query_filter *f) {
  if (!f->all_versions) buf_puts(sql, " AND d.current = 1");
  if (f->symbol) buf_puts(sql, " AND e.symbol = :symbol");
  if (f->organ) buf_puts(sql, " AND e.organ = :organ");
  if (f->year_from) buf_puts(sql, " AND e.year >= :year_from");
  if (f->year_to) buf_puts(sql, " AND e.year <= :year_to");
  if (f->since) buf_puts(sql, " AND e.adoption_date >= :since");
}

static void filter_bind(sqlite3_stmt *s, const query_filter *f) {
  bind_text(s, ":symbol", f->symbol);
  bind_text(s, ":organ", f->organ);
  bind_text(s, ":addressee", f->addressee);
  bind_text(s, ":force", f->force);
  bind_text(s, ":since", f->since);
  bind_int(s, ":year_from", f->year_from);
  bind_int(s, ":year_to", f->year_to);
}

static void jkey(mandat_buf *o, const char *k) {
  json_str(o, k);
  buf_putc(o, ':');
}

/* Up to 4 digits at *s, advancing it; -1 when there are none. */
static int digits4(const char **s) {
  int v = 0, k = 0;
  while (k < 4 && **s >= '0' && **s <= '9') v = v * 10 + (*(*s)++ - '0'), k++;
  return k ? v : -1;
}

bool query_parse_years(const char *s, int *from, int *to) {
  const char *p = s;
  int a = 0, b = 0;
  if (*p != '-' && (a = digits4(&p)) < 1000) return false;
  if (*p == '\0') {
    *from = *to = a;
    return true;
  }
  if (*p++ != '-') return false;
  if (*p && (b = digits4(&p)) < 1000) return false;
  if (*p || (!a && !b) || (a && b && b < a)) return false;
  *from = a, *to = b;
  return true;
}

bool query_valid_date(const char *s) {
  static const char pattern[] = "dddd-dd-dd";
  size_t n = strlen(s);
  if (n != 4 && n != 7 && n != 10) return false;
  for (size_t i = 0; i < n; i++)
    if (pattern[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-') return false;
  return true;
}

/* ---- mandates ------------------------------------------------------------------- */

static const char mandates_sql[] =
    "SELECT e.symbol, e.local_id, e.organ, e.adoption_date, coalesce(e.year, 0), d.file, d.version,"
    " CASE p.kind WHEN 'preamble' THEN 'PP' || p.n ELSE 'OP' || coalesce(p.number, p.n) END,"
    " p.line_first, p.line_last, c.n, c.verb, c.force, c.action,"
    " (SELECT group_concat(x, ', ') FROM (SELECT coalesce(a.addressee, a.name, a.text) AS x"
    "   FROM clause_addressees a WHERE a.clause_id = c.id ORDER BY a.n)),"
    " (SELECT group_concat(x, '; ') FROM (SELECT k.text AS x FROM clause_conditions k"
    "   WHERE k.clause_id = c.id ORDER BY k.n)),"
    " r.clause_id IS NOT NULL, r.to_id, r.session, r.date, p.text"
    " FROM clauses c JOIN paragraphs p ON p.id = c.paragraph_id JOIN entities e ON e.id = p.entity_id"
    " JOIN documents d ON d.id = e.document_id LEFT JOIN reporting r ON r.clause_id = c.id WHERE 1";

query_status query_mandates(sqlite3 *db, const query_filter *f, query_mandate_fn fn, void *ctx, char *err,
                            size_t errlen) {
  mandat_buf sql = {0};
  sqlite3_stmt *st = NULL;
  query_status qs;
  long rows = 0;
  int rc;
  if (f->since && !query_valid_date(f->since)) {
    buf_seterr(err, errlen, "'%s' is not an ISO date (2016-12-19)", f->since);
    return QUERY_BAD;
  }
  buf_puts(&sql, mandates_sql);
  filter_sql(&sql, f);
  if (!f->all_clauses) buf_puts(&sql, " AND " MANDATE_SQL);
  if (f->addressee)
    buf_puts(&sql, " AND EXISTS (SELECT 1 FROM clause_addressees a WHERE a.clause_id = c.id"
                   " AND a.addressee = :addressee)");
  if (f->force) buf_puts(&sql, " AND c.force = :force");
  if (f->no_reporting)
    buf_puts(&sql, " AND r.clause_id IS NULL"
                   " AND c.force IN ('decision', 'request', 'urge', 'invitation', 'recommendation')");
  if (f->conditions) buf_puts(&sql, " AND EXISTS (SELECT 1 FROM clause_conditions k WHERE k.clause_id = c.id)");
  buf_puts(&sql, " ORDER BY e.year, d.file, d.version, e.id, p.kind DESC, p.n, c.n");
  qs = prepare(db, buf_cstr(&sql), &st, err, errlen);
  if (qs != QUERY_OK) goto done;
  filter_bind(st, f);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    query_mandate m = {
        .symbol = col(st, 0), .entity = col(st, 1), .organ = col(st, 2), .adoption_date = col(st, 3),
        .year = icol(st, 4), .file = col(st, 5), .version = icol(st, 6), .ref = col(st, 7),
        .line_first = icol(st, 8), .line_last = icol(st, 9), .clause_n = icol(st, 10), .verb = col(st, 11),
        .force = col(st, 12), .action = col(st, 13), .addressees = col(st, 14), .conditions = col(st, 15),
        .reporting = icol(st, 16) != 0, .report_to = col(st, 17), .report_session = col(st, 18),
        .report_date = col(st, 19), .text = col(st, 20)};
    rows++;
    if (fn(&m, ctx)) break;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
    qs = QUERY_DB_ERROR;
  } else if (!rows) {
    buf_seterr(err, errlen, "no mandate matches");
    qs = QUERY_NONE;
  }
done:
  sqlite3_finalize(st);
  buf_free(&sql);
  return qs;
}

/* ---- show ----------------------------------------------------------------------- */

enum { Q_ENT, Q_PARAS, Q_SUBS, Q_CLAUSES, Q_ADDR, Q_COND, Q_CITES, Q_FOOT, Q_NOTES, N_Q };

static const char *const show_sql[N_Q] = {
    [Q_ENT] = "SELECT e.id, e.local_id, e.kind, e.symbol, e.organ, e.session, e.adoption_date, e.meeting,"
              " e.agenda_number, e.agenda_title, e.title, e.line_first, e.line_last, d.file, d.version,"
              " d.current, d.language, (SELECT p.symbol FROM entities p WHERE p.id = e.parent_id),"
              " (SELECT p.local_id FROM entities p WHERE p.id = e.parent_id)"
              " FROM entities e JOIN documents d ON d.id = e.document_id"
              " WHERE e.symbol = :symbol AND (d.current = 1 OR :all)"
              " ORDER BY d.current DESC, d.file, d.version DESC, e.id",
    [Q_PARAS] = "SELECT id, kind, n, number, opening, text, line_first, line_last,"
                " CASE kind WHEN 'preamble' THEN 'PP' || n ELSE 'OP' || coalesce(number, n) END"
                " FROM paragraphs WHERE entity_id = :ent AND (:kind IS NULL OR (kind = :kind AND"
                " CASE kind WHEN 'preamble' THEN n = :n"
                " ELSE (replace(number, ' ', '') = :num COLLATE NOCASE OR (number IS NULL AND n = :n)) END))"
                " ORDER BY kind DESC, n",
    [Q_SUBS] = "SELECT label, text, line_first, line_last FROM subparagraphs WHERE paragraph_id = :para ORDER BY n",
    [Q_CLAUSES] = "SELECT c.id, c.n, c.verb, c.force, c.action, r.clause_id IS NOT NULL, r.to_id, r.session,"
                  " r.date FROM clauses c LEFT JOIN reporting r ON r.clause_id = c.id"
                  " WHERE c.paragraph_id = :para ORDER BY c.n",
    [Q_ADDR] = "SELECT addressee, name, text FROM clause_addressees WHERE clause_id = :clause ORDER BY n",
    [Q_COND] = "SELECT text FROM clause_conditions WHERE clause_id = :clause ORDER BY n",
    [Q_CITES] = "SELECT c.kind, c.symbol, c.as_written, c.in_ref, c.line,"
                " (SELECT d2.file || ':' || e2.line_first FROM entities e2"
                "  JOIN documents d2 ON d2.id = e2.document_id"
                "  WHERE e2.symbol = c.symbol AND d2.current = 1 ORDER BY d2.id LIMIT 1)"
                " FROM citations c WHERE c.entity_id = :ent AND (:para IS NULL OR c.paragraph_id = :para"
                " OR c.in_ref IN (SELECT 'FN' || note FROM paragraph_notes WHERE paragraph_id = :para))"
                " ORDER BY c.n",
    [Q_FOOT] = ("SELECT n, text, line_first, line_last FROM footnotes WHERE entity_id = :ent AND (:para IS NULL"
                " OR n IN (SELECT note FROM paragraph_notes WHERE paragraph_id = :para)) ORDER BY n"),
    [Q_NOTES] = "SELECT note FROM paragraph_notes WHERE paragraph_id = :para ORDER BY note",
};

/* The state of one show: statements, output and mode. */
typedef struct {
  sqlite3 *db;
  sqlite3_stmt *q[N_Q];
  mandat_buf *o;
  bool json, detail; /* detail: a paragraph in full; else an outline */
  const char *file;  /* of the entity being shown */
} show;

static int done_stepping(show *s, int k, int rc) {
  sqlite3_reset(s->q[k]);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* A paragraph's clauses: JSON array, detailed text, or (outline) a short
 * "[force → addressees; …]" summary. */
static int put_clauses(show *s, sqlite3_int64 para) {
  sqlite3_stmt *c = s->q[Q_CLAUSES], *a = s->q[Q_ADDR], *k = s->q[Q_COND];
  mandat_buf *o = s->o;
  int rc, nc = 0;
  bind_int(c, ":para", para);
  if (s->json) buf_putc(o, '[');
  while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(c, 0);
    const char *force = col(c, 3);
    if (s->json) {
      if (nc) buf_putc(o, ',');
      buf_putc(o, '{'), jkey(o, "verb"), json_str(o, col(c, 2));
      buf_putc(o, ','), jkey(o, "force"), json_str(o, force);
      buf_putc(o, ','), jkey(o, "addressees"), buf_putc(o, '[');
    } else if (s->detail) {
      buf_printf(o, "  %d. %s [%s]\n", icol(c, 1), col(c, 2), force ? force : "-");
    } else {
      buf_puts(o, nc ? "; " : "  [");
      buf_puts(o, force ? force : "-");
    }
    int na = 0;
    bind_int(a, ":clause", id);
    while ((rc = sqlite3_step(a)) == SQLITE_ROW) {
      const char *aid = col(a, 0), *name = col(a, 1), *text = col(a, 2);
      if (s->json) {
        if (na) buf_putc(o, ',');
        buf_putc(o, '{'), jkey(o, "id"), json_str(o, aid), buf_putc(o, ','), jkey(o, "name");
        json_str(o, name), buf_putc(o, ','), jkey(o, "text"), json_str(o, text), buf_putc(o, '}');
      } else if (s->detail) {
        buf_printf(o, "     addressee: %s%s%s%s\n", aid ? aid : (name ? name : "?"), text ? " («" : "",
                   text ? text : "", text ? "»)" : "");
      } else {
        buf_puts(o, na ? ", " : " → ");
        buf_puts(o, aid ? aid : (name ? name : "?"));
      }
      na++;
    }
    if ((rc = done_stepping(s, Q_ADDR, rc))) goto done;
    if (s->json) {
      buf_putc(o, ']'), buf_putc(o, ','), jkey(o, "action"), json_str(o, col(c, 4));
      buf_putc(o, ','), jkey(o, "conditions"), buf_putc(o, '[');
    } else if (s->detail && col(c, 4)) {
      buf_printf(o, "     action: %s\n", col(c, 4));
    }
    int nk = 0;
    bind_int(k, ":clause", id);
    while ((rc = sqlite3_step(k)) == SQLITE_ROW) {
      if (s->json) {
        if (nk) buf_putc(o, ',');
        json_str(o, col(k, 0));
      } else if (s->detail) {
        buf_printf(o, "     condition: %s\n", col(k, 0));
      }
      nk++;
    }
    if ((rc = done_stepping(s, Q_COND, rc))) goto done;
    bool rep = icol(c, 5) != 0;
    if (s->json) {
      buf_putc(o, ']'), buf_putc(o, ','), jkey(o, "reporting");
      if (rep) {
        buf_putc(o, '{'), jkey(o, "to"), json_str(o, col(c, 6)), buf_putc(o, ','), jkey(o, "session");
        json_str(o, col(c, 7)), buf_putc(o, ','), jkey(o, "date"), json_str(o, col(c, 8)), buf_putc(o, '}');
      } else {
        buf_puts(o, "null");
      }
      buf_putc(o, '}');
    } else if (s->detail && rep) {
      buf_printf(o, "     reporting: to %s", col(c, 6) ? col(c, 6) : "?");
      if (col(c, 7)) buf_printf(o, ", session %s", col(c, 7));
      if (col(c, 8)) buf_printf(o, ", by %s", col(c, 8));
      buf_putc(o, '\n');
    } else if (!s->detail && rep) {
      buf_puts(o, ", report");
    }
    nc++;
  }
  rc = done_stepping(s, Q_CLAUSES, rc);
  if (s->json) buf_putc(o, ']');
  else if (!s->detail && nc) buf_putc(o, ']');
done:
  sqlite3_reset(c);
  sqlite3_reset(a);
  sqlite3_reset(k);
  return rc;
}

/* Citations of an entity, or of one paragraph (para != 0) and its footnotes. */
static int put_citations(show *s, sqlite3_int64 ent, sqlite3_int64 para) {
  sqlite3_stmt *q = s->q[Q_CITES];
  mandat_buf *o = s->o;
  int rc, n = 0;
  bind_scope(q, ent, para);
  if (s->json) jkey(o, "citations"), buf_putc(o, '[');
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char *found = col(q, 5);
    if (s->json) {
      if (n) buf_putc(o, ',');
      buf_putc(o, '{'), jkey(o, "kind"), json_str(o, col(q, 0)), buf_putc(o, ','), jkey(o, "symbol");
      json_str(o, col(q, 1)), buf_putc(o, ','), jkey(o, "as_written"), json_str(o, col(q, 2));
      buf_putc(o, ','), jkey(o, "in"), json_str(o, col(q, 3)), buf_putc(o, ',');
      buf_printf(o, "\"line\":%d,", icol(q, 4));
      jkey(o, "registry"), json_str(o, found), buf_putc(o, '}');
    } else {
      if (!n) buf_puts(o, "citations:\n");
      buf_printf(o, "  %-5s %s (%s) «%s» %s:%d%s%s\n", col(q, 3), col(q, 1) ? col(q, 1) : "?", col(q, 0),
                 col(q, 2), s->file, icol(q, 4), found ? "  → in the registry: " : "", found ? found : "");
    }
    n++;
  }
  if (s->json) buf_putc(o, ']');
  return done_stepping(s, Q_CITES, rc);
}

/* Footnotes of an entity, or those a paragraph carries (para != 0). */
static int put_footnotes(show *s, sqlite3_int64 ent, sqlite3_int64 para) {
  sqlite3_stmt *q = s->q[Q_FOOT];
  mandat_buf *o = s->o;
  int rc, n = 0;
  bind_scope(q, ent, para);
  if (s->json) jkey(o, "footnotes"), buf_putc(o, '[');
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (s->json) {
      if (n) buf_putc(o, ',');
      buf_printf(o, "{\"n\":%d,\"lines\":[%d,%d],", icol(q, 0), icol(q, 2), icol(q, 3));
      jkey(o, "text"), json_str(o, col(q, 1)), buf_putc(o, '}');
    } else {
      if (!n) buf_puts(o, "footnotes:\n");
      buf_printf(o, "  %d. %s (%s:%d)\n", icol(q, 0), col(q, 1), s->file, icol(q, 2));
    }
    n++;
  }
  if (s->json) buf_putc(o, ']');
  return done_stepping(s, Q_FOOT, rc);
}

/* One paragraph row of Q_PARAS: an outline line, the paragraph in full, or JSON. */
static int put_paragraph(show *s, sqlite3_stmt *p, sqlite3_int64 ent, int nth) {
  mandat_buf *o = s->o;
  sqlite3_int64 id = sqlite3_column_int64(p, 0);
  const char *ref = col(p, 8), *text = col(p, 5);
  int first = icol(p, 6), last = icol(p, 7), rc = SQLITE_OK;
  sqlite3_stmt *q;
  if (s->json) {
    if (nth) buf_putc(o, ',');
    buf_putc(o, '{'), jkey(o, "ref"), json_str(o, ref), buf_printf(o, ",\"n\":%d,", icol(p, 2));
    jkey(o, "number"), json_str(o, col(p, 3)), buf_putc(o, ','), jkey(o, "opening"), json_str(o, col(p, 4));
    buf_printf(o, ",\"lines\":[%d,%d],", first, last);
    jkey(o, "text"), json_str(o, text), buf_putc(o, ','), jkey(o, "notes"), buf_putc(o, '[');
    q = s->q[Q_NOTES];
    bind_int(q, ":para", id);
    for (int n = 0; (rc = sqlite3_step(q)) == SQLITE_ROW; n++) buf_printf(o, "%s%d", n ? "," : "", icol(q, 0));
    if ((rc = done_stepping(s, Q_NOTES, rc))) goto done;
    buf_puts(o, "],\"subparagraphs\":[");
    q = s->q[Q_SUBS];
    bind_int(q, ":para", id);
    for (int n = 0; (rc = sqlite3_step(q)) == SQLITE_ROW; n++) {
      if (n) buf_putc(o, ',');
      buf_putc(o, '{'), jkey(o, "label"), json_str(o, col(q, 0));
      buf_printf(o, ",\"lines\":[%d,%d],", icol(q, 2), icol(q, 3));
      jkey(o, "text"), json_str(o, col(q, 1)), buf_putc(o, '}');
    }
    if ((rc = done_stepping(s, Q_SUBS, rc))) goto done;
    buf_puts(o, "],"), jkey(o, "clauses");
    if ((rc = put_clauses(s, id))) goto done;
    if (s->detail) {
      buf_putc(o, ',');
      if ((rc = put_citations(s, ent, id))) goto done;
      buf_putc(o, ',');
      if ((rc = put_footnotes(s, ent, id))) goto done;
    }
    buf_putc(o, '}');
  } else if (s->detail) {
    buf_printf(o, "%s  %s:%d", ref, s->file, first);
    if (last != first) buf_printf(o, "-%d", last);
    buf_printf(o, "\n%s\n", text);
    q = s->q[Q_SUBS];
    bind_int(q, ":para", id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
      buf_printf(o, "  %s) %s (line %d)\n", col(q, 0), col(q, 1), icol(q, 2));
    if ((rc = done_stepping(s, Q_SUBS, rc))) goto done;
    if ((rc = put_clauses(s, id))) goto done;
    if ((rc = put_citations(s, ent, id))) goto done;
    rc = put_footnotes(s, ent, id);
  } else {
    buf_printf(o, "  %-7s %5d  ", ref, first);
    buf_put_clipped(o, text, OUTLINE_TEXT_BYTES);
    rc = put_clauses(s, id);
    buf_putc(o, '\n');
  }
done:
  return rc;
}

/* A paragraph reference: "PP3" → preamble 3; "OP12", "op 12 bis" → operative
 * "12bis" (spaces dropped, matched against the printed number without spaces).
 * Returns false when ref is not one. */
bool query_parse_ref(const char *ref, const char **kind, char num[32], int *n) {
  size_t k = 0;
  if (strlen(ref) < 3 || strlen(ref) > 24) return false; /* "OP" + "12 bis"-like numbers */
  if ((ref[0] == 'P' || ref[0] == 'p') && (ref[1] == 'P' || ref[1] == 'p')) *kind = "preamble";
  else if ((ref[0] == 'O' || ref[0] == 'o') && (ref[1] == 'P' || ref[1] == 'p')) *kind = "operative";
  else return false;
  for (const char *p = ref + 2; *p; p++)
    if (*p != ' ') num[k++] = *p;
  num[k] = '\0';
  if (k == 0 || num[0] < '0' || num[0] > '9') return false;
  *n = atoi(num);
  if (strcmp(*kind, "preamble") == 0)
    for (size_t i = 0; i < k; i++)
      if (num[i] < '0' || num[i] > '9') return false;
  return true;
}

query_status query_show(sqlite3 *db, const char *symbol, const char *ref, bool json, bool all_versions,
                        mandat_buf *o, char *err, size_t errlen) {
  show s = {.db = db, .o = o, .json = json, .detail = ref != NULL};
  query_status qs = QUERY_OK;
  size_t start = o->len; /* on failure, o is cut back here */
  const char *kind = NULL;
  char num[32] = "";
  int n = 0, rc = SQLITE_OK, nent = 0, npara = 0;
  if (ref && !query_parse_ref(ref, &kind, num, &n)) {
    buf_seterr(err, errlen, "'%s' is not a paragraph reference (OP12, PP3, OP12bis)", ref);
    qs = QUERY_BAD;
    goto done;
  }
  for (int i = 0; i < N_Q; i++)
    if ((qs = prepare(db, show_sql[i], &s.q[i], err, errlen)) != QUERY_OK) goto done;
  sqlite3_stmt *e = s.q[Q_ENT], *p = s.q[Q_PARAS];
  bind_text(e, ":symbol", symbol);
  bind_int(e, ":all", all_versions);
  bind_text(p, ":kind", kind);
  bind_text(p, ":num", num);
  bind_int(p, ":n", n);
  if (json) {
    buf_putc(o, '{'), jkey(o, "symbol"), json_str(o, symbol), buf_putc(o, ','), jkey(o, "ref");
    json_str(o, ref), buf_puts(o, ",\"entities\":[");
  }
  while ((rc = sqlite3_step(e)) == SQLITE_ROW) {
    sqlite3_int64 ent = sqlite3_column_int64(e, 0);
    s.file = col(e, 13);
    if (json) {
      static const char *const keys[] = {"id", "kind", "symbol", "organ", "session", "adoption_date", "meeting"};
      if (nent) buf_putc(o, ',');
      buf_putc(o, '{');
      for (int i = 0; i < 7; i++) jkey(o, keys[i]), json_str(o, col(e, i + 1)), buf_putc(o, ',');
      jkey(o, "agenda_item");
      if (col(e, 8) || col(e, 9)) {
        buf_putc(o, '{'), jkey(o, "number"), json_str(o, col(e, 8)), buf_putc(o, ','), jkey(o, "title");
        json_str(o, col(e, 9)), buf_putc(o, '}');
      } else {
        buf_puts(o, "null");
      }
      buf_putc(o, ','), jkey(o, "title"), json_str(o, col(e, 10));
      buf_printf(o, ",\"lines\":[%d,%d],", icol(e, 11), icol(e, 12));
      jkey(o, "parent"), json_str(o, col(e, 17) ? col(e, 17) : col(e, 18)), buf_putc(o, ',');
      jkey(o, "file"), json_str(o, s.file), buf_printf(o, ",\"version\":%d,\"current\":%s,", icol(e, 14),
                                                        icol(e, 15) ? "true" : "false");
      jkey(o, "language"), json_str(o, col(e, 16));
    } else {
      if (nent) buf_putc(o, '\n');
      buf_printf(o, "%s  %s", col(e, 3), col(e, 2));
      if (col(e, 4)) buf_printf(o, " · %s", col(e, 4));
      if (col(e, 5)) buf_printf(o, " · session %s", col(e, 5));
      if (col(e, 6)) buf_printf(o, " · adopted %s", col(e, 6));
      if (col(e, 17) || col(e, 18)) buf_printf(o, " · in %s", col(e, 17) ? col(e, 17) : col(e, 18));
      buf_putc(o, '\n');
      if (col(e, 10)) buf_printf(o, "%s\n", col(e, 10));
      buf_printf(o, "%s:%d-%d (%s %s, version %d%s)\n", s.file, icol(e, 11), icol(e, 12), col(e, 1),
                 col(e, 16) ? col(e, 16) : "", icol(e, 14), icol(e, 15) ? "" : ", superseded");
    }
    /* paragraphs: JSON keeps the parse contract's two lists */
    bind_int(p, ":ent", ent);
    int np = 0, part = -1;
    while ((rc = sqlite3_step(p)) == SQLITE_ROW) {
      int this_part = strcmp(col(p, 1), "preamble") == 0 ? 0 : 1;
      if (json && this_part != part) {
        if (part == 0) buf_putc(o, ']');
        if (part < 0 && this_part == 1) buf_puts(o, ",\"preamble\":[]");
        buf_puts(o, this_part ? ",\"operative\":[" : ",\"preamble\":[");
        np = 0;
      }
      part = this_part;
      if ((rc = put_paragraph(&s, p, ent, np++))) goto stepped;
      npara++;
    }
    if (rc != SQLITE_DONE) goto stepped;
    rc = SQLITE_OK;
    sqlite3_reset(p);
    if (json) {
      if (part < 0) buf_puts(o, ",\"preamble\":[],\"operative\":[]");
      else if (part == 0) buf_puts(o, "],\"operative\":[]");
      else buf_putc(o, ']');
      if (!ref) {
        buf_putc(o, ',');
        if ((rc = put_citations(&s, ent, 0))) goto stepped;
        buf_putc(o, ',');
        if ((rc = put_footnotes(&s, ent, 0))) goto stepped;
      }
      buf_putc(o, '}');
    }
    nent++;
  }
stepped:
  if (rc != SQLITE_DONE && rc != SQLITE_OK) {
    buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
    qs = QUERY_DB_ERROR;
    goto done;
  }
  if (json) buf_puts(o, "]}\n");
  if (!nent) {
    buf_seterr(err, errlen, "%s is not in the registry", symbol);
    qs = QUERY_NONE;
  } else if (ref && !npara) {
    buf_seterr(err, errlen, "%s has no paragraph %s", symbol, ref);
    qs = QUERY_NONE;
  }
done:
  for (int i = 0; i < N_Q; i++) sqlite3_finalize(s.q[i]);
  if (qs != QUERY_OK && o->len > start) o->len = start, o->data[start] = '\0';
  return qs;
}

/* ---- cites ---------------------------------------------------------------------- */

static const char cited_by_sql[] =
    "SELECT e.symbol, e.local_id, c.in_ref, c.as_written, d.file, c.line, c.kind, d.version, d.current"
    " FROM citations c JOIN entities e ON e.id = c.entity_id JOIN documents d ON d.id = e.document_id"
    " WHERE c.symbol = :symbol AND (d.current = 1 OR :all)"
    " ORDER BY e.year, e.symbol, d.file, d.version, e.id, c.n";

static const char cites_sql[] =
    "SELECT e.symbol, e.local_id, c.in_ref, c.symbol, c.as_written, d.file, c.line, c.kind,"
    " EXISTS (SELECT 1 FROM entities e2 JOIN documents d2 ON d2.id = e2.document_id"
    "  WHERE e2.symbol = c.symbol AND d2.current = 1)"
    " FROM entities e JOIN documents d ON d.id = e.document_id JOIN citations c ON c.entity_id = e.id"
    " WHERE e.symbol = :symbol AND (d.current = 1 OR :all)"
    " ORDER BY d.file, d.version, e.id, c.n";

/* Text mode: a heading that counts the rows, then the rows (kept aside meanwhile). */
static void put_section(mandat_buf *o, mandat_buf *rows, const char *fmt, const char *symbol, int n) {
  buf_printf(o, fmt, symbol, n, n == 1 ? "" : "s", n ? ":" : "");
  buf_putc(o, '\n');
  if (rows->len) buf_put(o, rows->data, rows->len);
  buf_clear(rows);
}

query_status query_cites(sqlite3 *db, const char *symbol, bool json, bool all_versions, mandat_buf *o,
                         char *err, size_t errlen) {
  sqlite3_stmt *by = NULL, *to = NULL;
  mandat_buf rows = {0}, out = {0};
  mandat_buf *w = json ? &out : &rows;
  query_status qs;
  int rc, nby = 0, nto = 0;
  if ((qs = prepare(db, cited_by_sql, &by, err, errlen)) != QUERY_OK) goto done;
  if ((qs = prepare(db, cites_sql, &to, err, errlen)) != QUERY_OK) goto done;
  bind_text(by, ":symbol", symbol), bind_int(by, ":all", all_versions);
  bind_text(to, ":symbol", symbol), bind_int(to, ":all", all_versions);
  if (json) buf_putc(w, '{'), jkey(w, "symbol"), json_str(w, symbol), buf_puts(w, ",\"cited_by\":[");
  while ((rc = sqlite3_step(by)) == SQLITE_ROW) {
    if (json) {
      if (nby) buf_putc(w, ',');
      buf_putc(w, '{'), jkey(w, "symbol"), json_str(w, col(by, 0)), buf_putc(w, ','), jkey(w, "entity");
      json_str(w, col(by, 1)), buf_putc(w, ','), jkey(w, "in"), json_str(w, col(by, 2)), buf_putc(w, ',');
      jkey(w, "as_written"), json_str(w, col(by, 3)), buf_putc(w, ','), jkey(w, "file");
      json_str(w, col(by, 4)), buf_printf(w, ",\"line\":%d,\"version\":%d,\"current\":%s}", icol(by, 5),
                                          icol(by, 7), icol(by, 8) ? "true" : "false");
    } else {
      buf_printf(w, "  %-22s %-6s «%s»  %s:%d\n", col(by, 0) ? col(by, 0) : col(by, 1), col(by, 2),
                 col(by, 3), col(by, 4), icol(by, 5));
    }
    nby++;
  }
  if (rc != SQLITE_DONE) goto db_error;
  if (json) buf_puts(w, "],\"cites\":[");
  else put_section(&out, &rows, "%s is cited %d time%s%s", symbol, nby);
  while ((rc = sqlite3_step(to)) == SQLITE_ROW) {
    bool known = icol(to, 8) != 0;
    if (json) {
      if (nto) buf_putc(w, ',');
      buf_putc(w, '{'), jkey(w, "entity"), json_str(w, col(to, 1)), buf_putc(w, ','), jkey(w, "in");
      json_str(w, col(to, 2)), buf_putc(w, ','), jkey(w, "symbol"), json_str(w, col(to, 3));
      buf_putc(w, ','), jkey(w, "kind"), json_str(w, col(to, 7)), buf_putc(w, ','), jkey(w, "as_written");
      json_str(w, col(to, 4)), buf_putc(w, ','), jkey(w, "file"), json_str(w, col(to, 5));
      buf_printf(w, ",\"line\":%d,\"in_registry\":%s}", icol(to, 6), known ? "true" : "false");
    } else {
      buf_printf(w, "  %-6s %-22s %-10s «%s»  %s:%d%s\n", col(to, 2), col(to, 3) ? col(to, 3) : "?",
                 col(to, 7), col(to, 4), col(to, 5), icol(to, 6), known ? "  (in the registry)" : "");
    }
    nto++;
  }
  if (rc != SQLITE_DONE) goto db_error;
  if (json) buf_puts(w, "]}\n");
  else if (nto) put_section(&out, &rows, "%s cites %d reference%s%s", symbol, nto);
  if (!nby && !nto) {
    buf_seterr(err, errlen, "nothing in the registry cites %s or is cited by it", symbol);
    qs = QUERY_NONE;
  } else if (out.len) {
    buf_put(o, out.data, out.len);
  }
  goto done;
db_error:
  buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
  qs = QUERY_DB_ERROR;
done:
  sqlite3_finalize(by);
  sqlite3_finalize(to);
  buf_free(&rows);
  buf_free(&out);
  return qs;
}

/* ---- stats ---------------------------------------------------------------------- */

/* The filtered entities, as a common table expression every count reads. */
static void stats_cte(mandat_buf *sql, const query_filter *f) {
  buf_puts(sql, "WITH fe AS (SELECT e.* FROM entities e JOIN documents d ON d.id = e.document_id WHERE 1");
  filter_sql(sql, f);
  buf_puts(sql, ") ");
}

static const struct {
  const char *name; /* JSON key and text heading */
  const char *sql;  /* after the CTE; rows of (key, count) */
} breakdowns[] = {
    {"organ", "SELECT organ, count(*) FROM fe GROUP BY organ ORDER BY count(*) DESC, organ"},
    {"year", "SELECT year, count(*) FROM fe GROUP BY year ORDER BY year"},
    {"force", "SELECT c.force, count(*) FROM fe JOIN paragraphs p ON p.entity_id = fe.id"
              " JOIN clauses c ON c.paragraph_id = p.id GROUP BY c.force ORDER BY count(*) DESC, c.force"},
    {"addressee", "SELECT coalesce(a.addressee, '(other)'), count(DISTINCT a.clause_id) FROM fe"
                  " JOIN paragraphs p ON p.entity_id = fe.id JOIN clauses c ON c.paragraph_id = p.id"
                  " JOIN clause_addressees a ON a.clause_id = c.id"
                  " GROUP BY 1 ORDER BY 2 DESC, 1"},
};

static const char totals_sql[] =
    "SELECT (SELECT count(DISTINCT document_id) FROM fe), (SELECT count(*) FROM fe),"
    " (SELECT count(*) FROM fe JOIN paragraphs p ON p.entity_id = fe.id),"
    " (SELECT count(*) FROM fe JOIN paragraphs p ON p.entity_id = fe.id JOIN clauses c ON c.paragraph_id = p.id),"
    " (SELECT count(*) FROM fe JOIN paragraphs p ON p.entity_id = fe.id JOIN clauses c ON c.paragraph_id = p.id"
    "  WHERE " MANDATE_SQL "),"
    " (SELECT count(*) FROM fe JOIN citations c ON c.entity_id = fe.id)";

query_status query_stats(sqlite3 *db, const query_filter *f, bool json, mandat_buf *o, char *err,
                         size_t errlen) {
  static const char *const totals[] = {"documents", "entities", "paragraphs", "clauses", "mandates", "citations"};
  mandat_buf sql = {0};
  sqlite3_stmt *st = NULL;
  query_status qs;
  int rc;
  size_t start = o->len; /* on failure, o is cut back here */
  if (f->since && !query_valid_date(f->since)) {
    buf_seterr(err, errlen, "'%s' is not an ISO date (2016-12-19)", f->since);
    return QUERY_BAD;
  }
  stats_cte(&sql, f);
  buf_puts(&sql, totals_sql);
  if ((qs = prepare(db, buf_cstr(&sql), &st, err, errlen)) != QUERY_OK) goto done;
  filter_bind(st, f);
  if ((rc = sqlite3_step(st)) != SQLITE_ROW) goto db_error;
  if (sqlite3_column_int(st, 1) == 0) {
    buf_seterr(err, errlen, "no entity in the registry matches");
    qs = QUERY_NONE;
    goto done;
  }
  if (json) buf_putc(o, '{');
  for (int i = 0; i < 6; i++) {
    if (json) buf_printf(o, "%s\"%s\":%d", i ? "," : "", totals[i], icol(st, i));
    else buf_printf(o, "%-11s %d\n", totals[i], icol(st, i));
  }
  for (size_t b = 0; b < sizeof breakdowns / sizeof *breakdowns; b++) {
    sqlite3_finalize(st);
    st = NULL;
    buf_clear(&sql);
    stats_cte(&sql, f);
    buf_puts(&sql, breakdowns[b].sql);
    if ((qs = prepare(db, buf_cstr(&sql), &st, err, errlen)) != QUERY_OK) goto done;
    filter_bind(st, f);
    if (json) buf_printf(o, ",\"by_%s\":[", breakdowns[b].name);
    else buf_printf(o, "\nby %s:\n", breakdowns[b].name);
    for (int n = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++) {
      const char *key = col(st, 0);
      if (json) {
        if (n) buf_putc(o, ',');
        buf_putc(o, '{'), jkey(o, breakdowns[b].name);
        if (sqlite3_column_type(st, 0) == SQLITE_INTEGER) buf_printf(o, "%d", icol(st, 0));
        else json_str(o, key);
        buf_printf(o, ",\"count\":%d}", icol(st, 1));
      } else {
        buf_printf(o, "  %-28s %d\n", key ? key : "(unknown)", icol(st, 1));
      }
    }
    if (rc != SQLITE_DONE) goto db_error;
    if (json) buf_putc(o, ']');
  }
  if (json) buf_puts(o, "}\n");
  goto done;
db_error:
  buf_seterr(err, errlen, "%s", sqlite3_errmsg(db));
  qs = QUERY_DB_ERROR;
done:
  sqlite3_finalize(st);
  buf_free(&sql);
  if (qs != QUERY_OK && o->len > start) o->len = start, o->data[start] = '\0';
  return qs;
}
