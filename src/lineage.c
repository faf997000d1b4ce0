/* lineage.c: paragraphs and mandates followed through a series of versions (oldest
 * first) by chaining the diffs of consecutive versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"

/* The link of diff d that reaches new paragraph j of part k, or NULL. */
static const align_link *link_to(const cmp_diff *d, int k, int j) {
  const align_result *r = &d->part[k];
  for (size_t l = 0; l < r->n; l++)
    if (r->links[l].new_i == j && r->links[l].old_i >= 0) return &r->links[l];
  return NULL;
}

static int mandate_changed(const cmp_diff *d, int k, int np, int nc) {
  for (size_t i = 0; i < d->n_changes; i++) {
    const mandate_change *c = &d->changes[i];
    if (c->part == k && c->new_p == np && c->new_c == nc && c->kind != MC_MANDATE_ADDED) return 1;
  }
  return 0;
}

static const clause_link *clause_to(const cmp_diff *d, int k, int np, int nc) {
  for (size_t i = 0; i < d->n_clinks; i++)
    if (d->clinks[i].part == k && d->clinks[i].new_p == np && d->clinks[i].new_c == nc) return &d->clinks[i];
  return NULL;
}

static void add_mandate(cmp_lineage *l, lineage_mandate m) {
  VEC_GROW(l->mandates, l->n_mandates, l->cap_mandates);
  l->mandates[l->n_mandates++] = m;
}

void cmp_lineage_run(const cmp_version *const *v, size_t n, cmp_lineage *out) {
  memset(out, 0, sizeof *out);
  if (n > LINEAGE_MAX_VERSIONS) n = LINEAGE_MAX_VERSIONS;
  out->v = v, out->n = n;
  out->diffs = xcalloc(n, sizeof *out->diffs);
  for (size_t t = 0; t + 1 < n; t++) cmp_diff_run(v[t], v[t + 1], &out->diffs[t]);
  const cmp_version *last = v[n - 1];
  out->paras = xcalloc(last->n[0] + last->n[1] + 1, sizeof *out->paras);

  /* paragraphs: walk back from the newest version through the links */
  for (int k = 0; k < 2; k++)
    for (size_t j = 0; j < last->n[k]; j++) {
      lineage_para *p = &out->paras[out->n_paras++];
      p->part = k, p->p = (int)j;
      p->labels_at = xmalloc(n * sizeof *p->labels_at);
      for (size_t t = 0; t < n; t++) p->labels_at[t] = -1;
      int cur = (int)j;
      size_t t = n - 1;
      p->labels_at[t] = cur;
      p->first = (int)t;
      while (t > 0) {
        const align_link *x = link_to(&out->diffs[t - 1], k, cur);
        if (!x) break;
        if (x->edited) p->changed |= 1u << t;
        if (x->rel == ALIGN_MOVED || x->rel == ALIGN_SPLIT || x->rel == ALIGN_MERGED) p->moved |= 1u << t;
        cur = x->old_i;
        t--;
        p->labels_at[t] = cur;
        p->first = (int)t;
      }
    }

  /* mandates of the newest version: walk back through the clause links */
  for (int k = 0; k < 2; k++)
    for (size_t j = 0; j < last->n[k]; j++)
      for (size_t c = 0; c < last->part[k][j].n_clauses; c++) {
        if (!last->part[k][j].clauses[c].is_mandate) continue;
        lineage_mandate m = {k, (int)j, (int)c, (int)n - 1, (int)n - 1, 0};
        int cp = (int)j, cc = (int)c;
        for (size_t t = n - 1; t > 0; t--) {
          const cmp_diff *d = &out->diffs[t - 1];
          const clause_link *cl = clause_to(d, k, cp, cc);
          if (!cl) break;
          if (mandate_changed(d, k, cp, cc)) m.changed |= 1u << t;
          cp = cl->old_p, cc = cl->old_c;
          m.first = (int)t - 1;
        }
        add_mandate(out, m);
      }

  /* mandates no longer present: dropped at step t → t+1, last carried by t */
  for (size_t t = 0; t + 1 < n; t++) {
    const cmp_diff *d = &out->diffs[t];
    for (size_t i = 0; i < d->n_changes; i++) {
      const mandate_change *c = &d->changes[i];
      if (c->kind != MC_MANDATE_DROPPED) continue;
      lineage_mandate m = {c->part, c->old_p, c->old_c, (int)t, (int)t, 0};
      int cp = c->old_p, cc = c->old_c;
      for (size_t u = t; u > 0; u--) {
        const cmp_diff *e = &out->diffs[u - 1];
        const clause_link *cl = clause_to(e, c->part, cp, cc);
        if (!cl) break;
        if (mandate_changed(e, c->part, cp, cc)) m.changed |= 1u << u;
        cp = cl->old_p, cc = cl->old_c;
        m.first = (int)u - 1;
      }
      add_mandate(out, m);
    }
  }
}

void cmp_lineage_free(cmp_lineage *l) {
  if (!l) return;
  for (size_t t = 0; l->diffs && t + 1 < l->n; t++) cmp_diff_free(&l->diffs[t]);
  free(l->diffs);
  for (size_t i = 0; i < l->n_paras; i++) free(l->paras[i].labels_at);
  free(l->paras);
  free(l->mandates);
  memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------ registry */

static mandat_force force_of(const char *name) {
  for (int f = MANDAT_FORCE_DECISION; f <= MANDAT_FORCE_OTHER; f++)
    if (name && mandat_force_name((mandat_force)f) && !strcmp(name, mandat_force_name((mandat_force)f)))
      return (mandat_force)f;
  return MANDAT_FORCE_NONE;
}

static const char *col(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

/* Statements are prepared once per call and bound per row (SQLITE_STATIC: the bound
 * values outlive each step). */
cmp_version *cmp_version_load(sqlite3 *db, const char *symbol) {
  cmp_version *v = NULL;
  sqlite3_stmt *se = NULL, *sp = NULL, *sc = NULL, *sa = NULL, *sk = NULL, *sr = NULL;
  if (sqlite3_prepare_v2(db,
                         "SELECT e.id, e.symbol, e.title, e.adoption_date FROM entities e "
                         "JOIN documents d ON d.id = e.document_id "
                         "WHERE d.current = 1 AND e.symbol = ?1 ORDER BY e.id DESC LIMIT 1",
                         -1, &se, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT id, kind, n, number, text FROM paragraphs WHERE entity_id = ?1 "
                         "ORDER BY kind = 'operative', n",
                         -1, &sp, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT id, verb, force, action FROM clauses WHERE paragraph_id = ?1 ORDER BY n",
                         -1, &sc, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT COALESCE(addressee, name, text) FROM clause_addressees "
                         "WHERE clause_id = ?1 ORDER BY 1",
                         -1, &sa, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT text FROM clause_conditions WHERE clause_id = ?1 ORDER BY n", -1, &sk,
                         NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT to_id, session FROM reporting WHERE clause_id = ?1", -1, &sr, NULL) !=
          SQLITE_OK) {
    fprintf(stderr, "mandat: registry: %s\n", sqlite3_errmsg(db));
    goto done;
  }
  sqlite3_bind_text(se, 1, symbol, -1, SQLITE_STATIC);
  if (sqlite3_step(se) != SQLITE_ROW) goto done;
  v = cmp_version_new(col(se, 1), col(se, 2), col(se, 3));
  sqlite3_bind_int64(sp, 1, sqlite3_column_int64(se, 0));
  while (sqlite3_step(sp) == SQLITE_ROW) {
    int k = !strcmp(col(sp, 1), "operative");
    char label[24];
    if (k && col(sp, 3)) snprintf(label, sizeof label, "OP%s", col(sp, 3));
    else snprintf(label, sizeof label, "%s%d", k ? "OP" : "PP", sqlite3_column_int(sp, 2));
    cmp_para *p = cmp_version_add_para(v, k, label, col(sp, 4));
    sqlite3_reset(sc);
    sqlite3_bind_int64(sc, 1, sqlite3_column_int64(sp, 0));
    while (sqlite3_step(sc) == SQLITE_ROW) {
      sqlite3_int64 cid = sqlite3_column_int64(sc, 0);
      mandat_buf ad = {0};
      sqlite3_reset(sa);
      sqlite3_bind_int64(sa, 1, cid);
      while (sqlite3_step(sa) == SQLITE_ROW) {
        if (ad.len) buf_puts(&ad, ", ");
        buf_puts(&ad, col(sa, 0) ? col(sa, 0) : "");
      }
      cmp_clause *c = cmp_para_add_clause(p, col(sc, 1), force_of(col(sc, 2)), buf_cstr(&ad), col(sc, 3));
      buf_free(&ad);
      sqlite3_reset(sk);
      sqlite3_bind_int64(sk, 1, cid);
      while (sqlite3_step(sk) == SQLITE_ROW) cmp_clause_add_condition(c, col(sk, 0));
      sqlite3_reset(sr);
      sqlite3_bind_int64(sr, 1, cid);
      if (sqlite3_step(sr) == SQLITE_ROW) {
        c->has_reporting = 1;
        c->report_to = col(sr, 0) ? xstrdup(col(sr, 0)) : NULL;
        c->report_session = col(sr, 1) ? xstrdup(col(sr, 1)) : NULL;
      }
    }
  }
  cmp_version_finish(v);
done:
  sqlite3_finalize(se), sqlite3_finalize(sp), sqlite3_finalize(sc);
  sqlite3_finalize(sa), sqlite3_finalize(sk), sqlite3_finalize(sr);
  return v;
}
