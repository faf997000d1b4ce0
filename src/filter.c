/* filter.c: the filters and facets of a search (filter.h), tested on every row the
 * expression matches, from arrays kept with the connection.
 *
 * A filter is a property of the paragraph (kind, its clauses' forces and
 * addressees), of its resolution (organ, year, symbol) or of its document
 * (language, current version).  Joining paragraphs, entities and documents for
 * every row that the expression matches costs a B-tree search or three per row,
 * which for a frequent word is most of the search (190 ms of 200 for
 * "corruption --lang en" on 700,000 paragraphs).  So a connection that searches
 * often keeps these properties in arrays indexed by id (5 bytes a paragraph, read
 * in some 100 ms for 700,000 once the connection has tested a sixteenth of the
 * paragraphs one at a time, about the cost of reading them; again on the same
 * terms when the file has changed), and a paragraph with a clause of a given force or
 * addressee is a bit in a set read from the clauses on first use of that value.
 * The arrays hang on the connection through mandat_search()'s filter (fts.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "store.h"

typedef struct {
  char kind[16]; /* "force" or "addressee" */
  char *value;
  uint8_t *bits; /* paragraph id → 1 bit */
} para_set;

#define FACT_SETS 16 /* sets kept; the oldest goes first */

/* Every force or addressee of each paragraph's clauses, for facets: the distinct
 * values, and for paragraph id the indices val[start[id] .. start[id + 1]). */
typedef struct {
  bool read;
  int n;
  char **value;
  uint32_t *start;
  uint16_t *val;
} para_values;

typedef struct {
  unsigned version;      /* the file's data version when read */
  sqlite3_int64 np, ne;  /* paragraph ids < np, entity ids < ne */
  uint32_t *entity;      /* paragraph id → entity id, 0 when no such paragraph */
  uint8_t *preamble;     /* paragraph id → 1 for a preamble paragraph */
  int *year;             /* entity id → year */
  uint8_t *flags;        /* entity id → FACT_* */
  char **organ, **symbol, **lang; /* entity id → text or NULL */
  char **names; /* the organs and languages, each once (organ[e], lang[e] point here) */
  int nnames;
  para_set sets[FACT_SETS];
  int nsets, next_set;
  para_values forces, addressees; /* read on the first search with facets */
  sqlite3_int64 np_hint; /* max(paragraphs.id) + 1 when last looked at */
  sqlite3_int64 lookups; /* rows tested one at a time since the arrays went */
} facts;

enum { FACT_ENTITY = 1, FACT_YEAR = 2, FACT_CURRENT = 4 };

static void facts_clear(facts *f) {
  for (sqlite3_int64 e = 0; e < f->ne; e++)
    free(f->symbol[e]);
  for (int i = 0; i < f->nnames; i++)
    free(f->names[i]);
  free(f->names);
  free(f->entity);
  free(f->preamble);
  free(f->year);
  free(f->flags);
  free(f->organ);
  free(f->symbol);
  free(f->lang);
  for (int i = 0; i < f->nsets; i++) {
    free(f->sets[i].value);
    free(f->sets[i].bits);
  }
  para_values *pv[] = {&f->forces, &f->addressees};
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < pv[k]->n; i++)
      free(pv[k]->value[i]);
    free(pv[k]->value), free(pv[k]->start), free(pv[k]->val);
  }
  /* the arrays go; what says when to read them again stays */
  unsigned version = f->version;
  sqlite3_int64 np_hint = f->np_hint, lookups = f->lookups;
  memset(f, 0, sizeof *f);
  f->version = version, f->np_hint = np_hint, f->lookups = lookups;
}

static void facts_free(void *p) {
  if (p)
    facts_clear(p);
  free(p);
}

static sqlite3_int64 max_id(sqlite3 *db, const char *sql, int *rc) {
  sqlite3_stmt *st = NULL;
  sqlite3_int64 v = 0;
  *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (*rc == SQLITE_OK && (*rc = sqlite3_step(st)) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
    *rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return v < 0 ? 0 : v;
}


/* An entity's properties from columns i.. of st: year, organ, symbol, language (of
 * its document), current (likewise). */
static void entity_row(sqlite3_stmt *st, int i, uint8_t *flags, int *year, char **organ,
                       char **symbol, char **lang) {
  *flags = FACT_ENTITY;
  if (sqlite3_column_type(st, i) != SQLITE_NULL)
    *flags |= FACT_YEAR, *year = sqlite3_column_int(st, i);
  if (sqlite3_column_int(st, i + 4) == 1)
    *flags |= FACT_CURRENT;
  *organ = store_col_dup(st, i + 1);
  *symbol = store_col_dup(st, i + 2);
  *lang = store_col_dup(st, i + 3);
}

/* s (malloc'd, or NULL) as the one copy of its text in f->names: organs and
 * languages are a few values repeated over every resolution, so that the arrays hold
 * each once and a facet can count them by pointer. */
static char *intern(facts *f, char *s) {
  if (!s)
    return NULL;
  for (int i = 0; i < f->nnames; i++)
    if (strcmp(f->names[i], s) == 0) {
      free(s);
      return f->names[i];
    }
  f->names = xrealloc(f->names, (size_t)(f->nnames + 1) * sizeof *f->names);
  return f->names[f->nnames++] = s;
}

/* Read the paragraphs', entities' and documents' properties into f. */
static int facts_load(sqlite3 *db, facts *f, unsigned version) {
  facts_clear(f);
  f->version = version;
  int rc;
  sqlite3_int64 np = max_id(db, "SELECT max(id) FROM paragraphs", &rc) + 1;
  sqlite3_int64 ne = rc == SQLITE_OK ? max_id(db, "SELECT max(id) FROM entities", &rc) + 1 : 0;
  if (rc != SQLITE_OK)
    return rc;
  f->np = np, f->ne = ne;
  f->entity = xcalloc((size_t)np, sizeof *f->entity);
  f->preamble = xcalloc((size_t)np, 1);
  f->year = xcalloc((size_t)ne, sizeof *f->year);
  f->flags = xcalloc((size_t)ne, 1);
  f->organ = xcalloc((size_t)ne, sizeof *f->organ);
  f->symbol = xcalloc((size_t)ne, sizeof *f->symbol);
  f->lang = xcalloc((size_t)ne, sizeof *f->lang);
  sqlite3_stmt *st = NULL;
  rc = sqlite3_prepare_v2(db,
                          "SELECT e.id, e.year, e.organ, e.symbol, d.language, d.current"
                          " FROM entities e JOIN documents d ON d.id = e.document_id",
                          -1, &st, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 e = sqlite3_column_int64(st, 0);
    rc = SQLITE_OK;
    if (e <= 0 || e >= ne)
      continue;
    char *organ, *lang;
    entity_row(st, 1, &f->flags[e], &f->year[e], &organ, &f->symbol[e], &lang);
    f->organ[e] = intern(f, organ);
    f->lang[e] = intern(f, lang);
  }
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  sqlite3_finalize(st);
  st = NULL;
  if (rc == SQLITE_OK) /* from the paragraphs_entity index alone, not the rows */
    rc = sqlite3_prepare_v2(db, "SELECT id, entity_id, kind = 'preamble' FROM paragraphs", -1, &st,
                            NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(st, 0), e = sqlite3_column_int64(st, 1);
    if (id > 0 && id < np && e > 0 && e < ne && e <= UINT32_MAX) {
      f->entity[id] = (uint32_t)e;
      f->preamble[id] = (uint8_t)sqlite3_column_int(st, 2);
    }
    rc = SQLITE_OK;
  }
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  sqlite3_finalize(st);
  if (rc != SQLITE_OK)
    facts_clear(f);
  return rc;
}

/* The set of paragraphs with a clause of that force or addressee, read once. */
static int facts_set(sqlite3 *db, facts *f, const char *kind, const char *value,
                     const uint8_t **out) {
  for (int i = 0; i < f->nsets; i++)
    if (strcmp(f->sets[i].kind, kind) == 0 && strcmp(f->sets[i].value, value) == 0)
      return *out = f->sets[i].bits, SQLITE_OK;
  para_set *ps = &f->sets[f->nsets < FACT_SETS ? f->nsets++ : f->next_set];
  f->next_set = (int)((ps - f->sets + 1) % FACT_SETS);
  free(ps->value);
  free(ps->bits);
  snprintf(ps->kind, sizeof ps->kind, "%s", kind);
  ps->value = xstrdup(value);
  ps->bits = xcalloc((size_t)(f->np + 7) / 8, 1);
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(
      db,
      strcmp(kind, "force") == 0
          ? "SELECT paragraph_id FROM clauses WHERE force = ?1"
          : "SELECT c.paragraph_id FROM clause_addressees a CROSS JOIN clauses c ON c.id = a.clause_id"
            " WHERE a.addressee = ?1",
      -1, &st, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    if (id > 0 && id < f->np)
      ps->bits[id >> 3] |= (uint8_t)(1u << (id & 7));
    rc = SQLITE_OK;
  }
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) { /* forget the half-read set */
    ps->kind[0] = '\0';
    return rc;
  }
  *out = ps->bits;
  return SQLITE_OK;
}

/* ---- facets ---------------------------------------------------------------------
 *
 * The facets of a search count its matches as the ranking's filter keeps them, from
 * the connection's arrays: O(matches) plus the resolutions they fall in, where SQL's
 * GROUP BY over a join for each facet took seconds for a frequent word (2.5 s for
 * the 127,000 paragraphs of "cooperation" among 700,000). */

/* Read every (paragraph, value) pair that sql gives into pv. */
static int values_load(sqlite3 *db, const facts *f, para_values *pv, const char *sql) {
  sqlite3_stmt *st = NULL;
  uint32_t *pid = NULL;
  uint16_t *vid = NULL;
  size_t n = 0, cap = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL), last = -1;
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    const char *v = (const char *)sqlite3_column_text(st, 1);
    if (id <= 0 || id >= f->np || !v)
      continue;
    /* few distinct values (a vocabulary), often the same as the row before */
    int k = last >= 0 && strcmp(pv->value[last], v) == 0 ? last : -1;
    for (int i = 0; k < 0 && i < pv->n; i++)
      if (strcmp(pv->value[i], v) == 0)
        k = i;
    if (k < 0) {
      if (pv->n == UINT16_MAX) {
        rc = SQLITE_TOOBIG;
        break;
      }
      pv->value = xrealloc(pv->value, (size_t)(pv->n + 1) * sizeof *pv->value);
      pv->value[k = pv->n++] = xstrdup(v);
    }
    last = k;
    if (n == cap) {
      cap = cap ? 2 * cap : 4096;
      pid = xrealloc(pid, cap * sizeof *pid);
      vid = xrealloc(vid, cap * sizeof *vid);
    }
    pid[n] = (uint32_t)id, vid[n++] = (uint16_t)k;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) { /* by paragraph: a counting sort */
    rc = SQLITE_OK;
    pv->start = xcalloc((size_t)f->np + 1, sizeof *pv->start);
    pv->val = xmalloc(n * sizeof *pv->val + 1);
    for (size_t i = 0; i < n; i++)
      pv->start[pid[i] + 1]++;
    for (sqlite3_int64 i = 0; i < f->np; i++)
      pv->start[i + 1] += pv->start[i];
    for (size_t i = 0; i < n; i++) /* start[id] counts up to its end, then is put back */
      pv->val[pv->start[pid[i]]++] = vid[i];
    for (sqlite3_int64 i = f->np; i > 0; i--)
      pv->start[i] = pv->start[i - 1];
    pv->start[0] = 0;
    pv->read = true;
  }
  free(pid);
  free(vid);
  return rc;
}

/* What the matches of one search come to, as they are kept. */
typedef struct {
  uint32_t *per_entity; /* by entity id */
  uint32_t *entities;   /* those with a count, in the order met */
  size_t nentities;
  long kind[2]; /* operative, preamble */
  long *count[2];                 /* by force, by addressee value */
  sqlite3_int64 *last[2];         /* by value: the last paragraph counted */
  const para_values *values[2];   /* forces, addressees */
} facet_tally;

static int tally_start(sqlite3 *db, facts *f, facet_tally *t) {
  int rc = SQLITE_OK;
  if (!f->forces.read)
    rc = values_load(db, f, &f->forces,
                     "SELECT paragraph_id, force FROM clauses WHERE force IS NOT NULL");
  if (rc == SQLITE_OK && !f->addressees.read)
    rc = values_load(db, f, &f->addressees,
                     "SELECT c.paragraph_id, a.addressee FROM clause_addressees a"
                     " CROSS JOIN clauses c ON c.id = a.clause_id WHERE a.addressee IS NOT NULL");
  if (rc != SQLITE_OK)
    return rc;
  t->per_entity = xcalloc((size_t)f->ne, sizeof *t->per_entity);
  t->entities = xmalloc((size_t)f->ne * sizeof *t->entities + 1);
  t->values[0] = &f->forces, t->values[1] = &f->addressees;
  for (int k = 0; k < 2; k++) {
    t->count[k] = xcalloc((size_t)t->values[k]->n + 1, sizeof *t->count[k]);
    t->last[k] = xcalloc((size_t)t->values[k]->n + 1, sizeof *t->last[k]);
  }
  return SQLITE_OK;
}

static void tally_row(facet_tally *t, const facts *f, sqlite3_int64 id) {
  uint32_t e = f->entity[id];
  if (t->per_entity[e]++ == 0)
    t->entities[t->nentities++] = e;
  t->kind[f->preamble[id] != 0]++;
  for (int k = 0; k < 2; k++) {
    const para_values *pv = t->values[k];
    for (uint32_t i = pv->start[id]; i < pv->start[id + 1]; i++) {
      uint16_t v = pv->val[i];
      if (t->last[k][v] != id) /* a paragraph counts once per value */
        t->last[k][v] = id, t->count[k][v]++;
    }
  }
}

static void tally_free(facet_tally *t) {
  free(t->per_entity), free(t->entities);
  for (int k = 0; k < 2; k++)
    free(t->count[k]), free(t->last[k]);
}

static int cmp_value(const char *a, const char *b) { /* NULL first, as SQL orders */
  return !a || !b ? (a != NULL) - (b != NULL) : strcmp(a, b);
}

static int by_count(const void *x, const void *y) {
  const search_facet *a = x, *b = y;
  return a->count != b->count ? (a->count < b->count ? 1 : -1) : cmp_value(a->value, b->value);
}

static int by_year(const void *x, const void *y) { /* newest first, unknown last */
  const search_facet *a = x, *b = y;
  if (!a->value || !b->value)
    return (a->value == NULL) - (b->value == NULL);
  long ya = atol(a->value), yb = atol(b->value);
  return ya < yb ? 1 : ya > yb ? -1 : 0;
}

/* Add count to value's entry of facet i (values are few: a linear search). */
static void facet_add(search_result *r, int i, const char *value, long count) {
  for (int k = 0; k < r->nfacet[i]; k++)
    if (cmp_value(r->facet[i][k].value, value) == 0) {
      r->facet[i][k].count += count;
      return;
    }
  r->facet[i] = xrealloc(r->facet[i], (size_t)(r->nfacet[i] + 1) * sizeof *r->facet[i]);
  r->facet[i][r->nfacet[i]++] = (search_facet){value ? xstrdup(value) : NULL, count};
}

/* The resolutions' counts summed by organ, year and language: by pointer (interned
 * names) and by year, a few values each, then written out once each. */
typedef struct {
  const char *name;
  int year; /* -1: unknown, for the year facet */
  long count;
} facet_acc;

static void tally_result(const facet_tally *t, const facts *f, search_result *r) {
  facet_acc *acc = NULL;
  int nacc = 0, cap = 0;
  for (int facet = FACET_ORGAN; facet <= FACET_LANG; facet++) {
    nacc = 0;
    for (size_t k = 0; k < t->nentities; k++) {
      uint32_t e = t->entities[k];
      const char *name = facet == FACET_ORGAN ? f->organ[e] : f->lang[e];
      int year = f->flags[e] & FACT_YEAR ? f->year[e] : -1;
      int i = 0;
      while (i < nacc && (facet == FACET_YEAR ? acc[i].year != year : acc[i].name != name))
        i++;
      if (i == nacc) {
        VEC_GROW(acc, nacc, cap);
        acc[nacc++] = (facet_acc){name, year, 0};
      }
      acc[i].count += t->per_entity[e];
    }
    for (int i = 0; i < nacc; i++) {
      char year[24];
      snprintf(year, sizeof year, "%d", acc[i].year);
      facet_add(r, facet, facet != FACET_YEAR ? acc[i].name : acc[i].year < 0 ? NULL : year,
                acc[i].count);
    }
  }
  free(acc);
  static const char *const kinds[2] = {"operative", "preamble"};
  for (int k = 0; k < 2; k++)
    if (t->kind[k])
      facet_add(r, FACET_KIND, kinds[k], t->kind[k]);
  for (int k = 0; k < 2; k++)
    for (int v = 0; v < t->values[k]->n; v++)
      if (t->count[k][v])
        facet_add(r, k == 0 ? FACET_FORCE : FACET_ADDRESSEE, t->values[k]->value[v], t->count[k][v]);
  for (int i = 0; i < FACETS; i++)
    if (r->nfacet[i])
      qsort(r->facet[i], (size_t)r->nfacet[i], sizeof *r->facet[i], i == FACET_YEAR ? by_year : by_count);
}

/* One search's filters, the values as SQL compared them (organ upper-cased, lang
 * lower-cased), and how the rows are tested: with the connection's arrays (f), or,
 * until the connection has tested enough rows one at a time to have paid for
 * reading them (a sixteenth of the paragraphs), with the statements below: a
 * process that searches once (`mandat search`) seldom reads them, one that
 * searches often reads them once. */
typedef struct {
  const search_opts *o;
  const char *organ, *lang, *sym_lo, *sym_hi;
  bool superseded; /* the registry has superseded versions */
  bool started;
  facts *slot;     /* the connection's */
  const facts *f;  /* the arrays, when used */
  const uint8_t *force, *addressee;
  sqlite3_stmt *para, *entity, *force_st, *addressee_st; /* one row at a time */
  sqlite3_int64 last_entity;
  int year;
  uint8_t flags;
  char *e_organ, *e_symbol, *e_lang;
  facet_tally *tally; /* when the search counts facets (from the arrays) */
} row_filter;

static void row_filter_free(row_filter *rf) {
  sqlite3_finalize(rf->para);
  sqlite3_finalize(rf->entity);
  sqlite3_finalize(rf->force_st);
  sqlite3_finalize(rf->addressee_st);
  free(rf->e_organ);
  free(rf->e_symbol);
  free(rf->e_lang);
}

static bool has_bit(const uint8_t *bits, sqlite3_int64 id) {
  return (bits[id >> 3] >> (id & 7)) & 1;
}

/* The tests on a paragraph's kind and on its resolution and document. */
static bool entity_passes(const row_filter *rf, bool preamble, uint8_t fl, int year,
                          const char *organ, const char *lang, const char *symbol) {
  const search_opts *o = rf->o;
  if (!(fl & FACT_CURRENT))
    return false;
  if (o->kind && preamble != (strcmp(o->kind, "preamble") == 0))
    return false;
  if ((o->year_from || o->year_to) &&
      (!(fl & FACT_YEAR) || (o->year_from && year < o->year_from) ||
       (o->year_to && year > o->year_to)))
    return false;
  if (rf->organ && (!organ || strcmp(organ, rf->organ) != 0))
    return false;
  if (rf->lang && (!lang || strcmp(lang, rf->lang) != 0))
    return false;
  if (rf->sym_lo && (!symbol || (rf->sym_hi ? strcmp(symbol, rf->sym_lo) < 0 ||
                                                  strcmp(symbol, rf->sym_hi) >= 0
                                            : strcmp(symbol, rf->sym_lo) != 0)))
    return false;
  return true;
}

/* Start using the arrays (reading them if they are not up to date). */
static int use_arrays(sqlite3 *db, row_filter *rf, unsigned version) {
  facts *f = rf->slot;
  int rc = SQLITE_OK;
  if (!f->entity || f->version != version)
    rc = facts_load(db, f, version);
  if (rc == SQLITE_OK && rf->o->force)
    rc = facts_set(db, f, "force", rf->o->force, &rf->force);
  if (rc == SQLITE_OK && rf->o->addressee)
    rc = facts_set(db, f, "addressee", rf->o->addressee, &rf->addressee);
  if (rc == SQLITE_OK)
    rf->f = f;
  return rc;
}

/* 1 when the statement (EXISTS, ?1 the paragraph, ?2 the value) says so. */
static int exists_row(sqlite3_stmt *st, sqlite3_int64 id, const char *value) {
  sqlite3_reset(st);
  int rc = sqlite3_bind_int64(st, 1, id);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
    return sqlite3_column_int(st, 0) != 0;
  return -(rc & 0xff);
}

/* Paragraph id, one row at a time. */
static int row_lookup(row_filter *rf, sqlite3_int64 id) {
  const search_opts *o = rf->o;
  int rc;
  if (rf->superseded || o->kind || o->organ || o->year_from || o->year_to || o->lang ||
      o->symbol) {
    sqlite3_reset(rf->para);
    rc = sqlite3_bind_int64(rf->para, 1, id);
    if (rc == SQLITE_OK && (rc = sqlite3_step(rf->para)) != SQLITE_ROW)
      return rc == SQLITE_DONE ? 0 : -(rc & 0xff);
    sqlite3_int64 e = sqlite3_column_int64(rf->para, 0);
    bool preamble = sqlite3_column_int(rf->para, 1) != 0;
    if (e != rf->last_entity) { /* a resolution's paragraphs come one after another */
      sqlite3_reset(rf->entity);
      rc = sqlite3_bind_int64(rf->entity, 1, e);
      if (rc == SQLITE_OK && (rc = sqlite3_step(rf->entity)) != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -(rc & 0xff);
      rf->last_entity = e;
      free(rf->e_organ), free(rf->e_symbol), free(rf->e_lang);
      entity_row(rf->entity, 0, &rf->flags, &rf->year, &rf->e_organ, &rf->e_symbol, &rf->e_lang);
    }
    if (!entity_passes(rf, preamble, rf->flags, rf->year, rf->e_organ, rf->e_lang, rf->e_symbol))
      return 0;
  }
  if (o->force && (rc = exists_row(rf->force_st, id, o->force)) != 1)
    return rc;
  if (o->addressee && (rc = exists_row(rf->addressee_st, id, o->addressee)) != 1)
    return rc;
  return 1;
}

/* The statements that test one row at a time. */
static int row_lookup_prepare(sqlite3 *db, row_filter *rf) {
  int rc = sqlite3_prepare_v2(db, "SELECT entity_id, kind = 'preamble' FROM paragraphs WHERE id = ?1",
                              -1, &rf->para, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db,
                            "SELECT e.year, e.organ, e.symbol, d.language, d.current FROM entities e"
                            " JOIN documents d ON d.id = e.document_id WHERE e.id = ?1",
                            -1, &rf->entity, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(
        db, "SELECT EXISTS (SELECT 1 FROM clauses WHERE paragraph_id = ?1 AND force = ?2)", -1,
        &rf->force_st, NULL);
  if (rc == SQLITE_OK) /* "+a.addressee": by the paragraph's clauses, not the addressee index */
    rc = sqlite3_prepare_v2(db,
                            "SELECT EXISTS (SELECT 1 FROM clauses c CROSS JOIN clause_addressees a"
                            " ON a.clause_id = c.id WHERE c.paragraph_id = ?1 AND +a.addressee = ?2)",
                            -1, &rf->addressee_st, NULL);
  return rc;
}

/* mandat_fts_row_filter.test: does paragraph id pass every filter? */
static int row_test(row_filter *rf, sqlite3 *db, void **slot, void (**slot_free)(void *),
                    sqlite3_int64 id) {
  int rc = SQLITE_OK;
  if (!rf->started) {
    rf->started = true;
    if (!*slot) {
      *slot = xcalloc(1, sizeof(facts));
      *slot_free = facts_free;
    }
    facts *f = rf->slot = *slot;
    unsigned version = 0;
    rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &version);
    if (rc == SQLITE_OK && (f->version != version || !f->np_hint)) { /* changed: count again */
      facts_clear(f);
      f->version = version;
      f->lookups = 0;
      f->np_hint = max_id(db, "SELECT max(id) FROM paragraphs", &rc) + 1;
    }
    if (rc == SQLITE_OK && (f->entity || f->lookups >= f->np_hint / 16 || rf->tally))
      rc = use_arrays(db, rf, version); /* facets count from the arrays */
    else if (rc == SQLITE_OK)
      rc = row_lookup_prepare(db, rf);
    if (rc == SQLITE_OK && rf->tally)
      rc = tally_start(db, f, rf->tally);
    if (rc != SQLITE_OK)
      return -(rc & 0xff);
  }
  if (!rf->f) {
    if (++rf->slot->lookups < rf->slot->np_hint / 16)
      return row_lookup(rf, id);
    rc = use_arrays(db, rf, rf->slot->version); /* enough: read them now */
    if (rc != SQLITE_OK)
      return -(rc & 0xff);
  }
  const facts *f = rf->f;
  if (id <= 0 || id >= f->np || !f->entity[id])
    return 0;
  uint32_t e = f->entity[id];
  if (!entity_passes(rf, f->preamble[id], f->flags[e], f->year[e], f->organ[e], f->lang[e],
                     f->symbol[e]))
    return 0;
  if (rf->force && !has_bit(rf->force, id))
    return 0;
  if (rf->addressee && !has_bit(rf->addressee, id))
    return 0;
  if (rf->tally)
    tally_row(rf->tally, f, id);
  return 1;
}

/* ---- the search's filter ------------------------------------------------------ */

struct search_filter {
  row_filter rf;
  facet_tally tally;
};

search_filter *search_filter_new(const search_opts *o, const char *organ, const char *lang,
                                 const char *sym_lo, const char *sym_hi, bool superseded) {
  search_filter *f = xcalloc(1, sizeof *f);
  f->rf = (row_filter){.o = o,
                       .organ = organ,
                       .lang = lang,
                       .sym_lo = sym_lo,
                       .sym_hi = sym_hi,
                       .superseded = superseded,
                       .last_entity = -1};
  if (o->facets)
    f->rf.tally = &f->tally;
  return f;
}

bool search_filter_any(const search_filter *f) {
  const search_opts *o = f->rf.o;
  return f->rf.superseded || o->organ || o->year_from || o->year_to || o->lang || o->kind ||
         o->addressee || o->force || o->symbol || o->facets;
}

int search_filter_test(void *arg, sqlite3 *db, void **slot, void (**slot_free)(void *),
                       sqlite3_int64 id) {
  return row_test(&((search_filter *)arg)->rf, db, slot, slot_free, id);
}

void search_filter_facets(const search_filter *f, search_result *r) {
  if (f->rf.tally && f->rf.f)
    tally_result(&f->tally, f->rf.f, r);
}

void search_filter_free(search_filter *f) {
  if (!f)
    return;
  tally_free(&f->tally);
  row_filter_free(&f->rf);
  free(f);
}
