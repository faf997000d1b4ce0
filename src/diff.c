/* diff.c: versions (copies of an entity's paragraphs and clauses), the word diff, and
 * the diff of two versions with its mandate-level changes. */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* -------------------------------------------------------------- versions */

cmp_version *cmp_version_new(const char *name, const char *title, const char *date) {
  cmp_version *v = xcalloc(1, sizeof *v);
  v->name = xstrdup(name ? name : "?");
  v->title = title ? xstrdup(title) : NULL;
  v->date = date ? xstrdup(date) : NULL;
  return v;
}

cmp_para *cmp_version_add_para(cmp_version *v, int part, const char *label, const char *text) {
  VEC_GROW(v->part[part], v->n[part], v->cap[part]);
  cmp_para *p = &v->part[part][v->n[part]++];
  memset(p, 0, sizeof *p);
  snprintf(p->label, sizeof p->label, "%s", label);
  p->text = xstrdup(text ? text : "");
  return p;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

cmp_clause *cmp_para_add_clause(cmp_para *p, const char *verb, mandat_force force,
                                const char *addressees, const char *action) {
  VEC_GROW(p->clauses, p->n_clauses, p->cap_clauses);
  cmp_clause *c = &p->clauses[p->n_clauses++];
  memset(c, 0, sizeof *c);
  c->verb = xstrdup(verb ? verb : "");
  c->force = force;
  c->addressees = xstrdup(addressees ? addressees : "");
  c->action = xstrdup(action ? action : "");
  c->is_mandate = *c->addressees || force == MANDAT_FORCE_REQUEST || force == MANDAT_FORCE_URGE ||
                  force == MANDAT_FORCE_INVITATION || force == MANDAT_FORCE_RECOMMENDATION;
  return c;
}

void cmp_clause_add_condition(cmp_clause *c, const char *text) {
  c->conditions = xrealloc(c->conditions, (c->n_conditions + 1) * sizeof *c->conditions);
  c->conditions[c->n_conditions++] = xstrdup(text);
}

void cmp_version_finish(cmp_version *v) {
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; i < v->n[k]; i++) align_feat_make(&v->part[k][i].feat, v->part[k][i].text);
}

cmp_version *cmp_version_from_entity(const mandat_entity *e, const char *file) {
  cmp_version *v = cmp_version_new(e->symbol ? e->symbol : file, e->title, e->adoption_date);
  for (int k = 0; k < 2; k++) {
    const mandat_paragraph *ps = k ? e->operative : e->preamble;
    size_t n = k ? e->n_operative : e->n_preamble;
    for (size_t i = 0; i < n; i++) {
      char label[24];
      if (k && ps[i].number) snprintf(label, sizeof label, "OP%s", ps[i].number);
      else snprintf(label, sizeof label, "%s%d", k ? "OP" : "PP", ps[i].n);
      cmp_para *p = cmp_version_add_para(v, k, label, ps[i].text);
      for (size_t c = 0; c < ps[i].n_clauses; c++) {
        const mandat_clause *mc = &ps[i].clauses[c];
        /* addressees: sorted ids (names when not in the vocabulary), joined */
        char **ids = xmalloc((mc->n_addressees + 1) * sizeof *ids);
        for (size_t a = 0; a < mc->n_addressees; a++) {
          const mandat_addressee *ad = &mc->addressees[a];
          ids[a] = (char *)(ad->id ? ad->id : ad->name ? ad->name : ad->text ? ad->text : "");
        }
        if (mc->n_addressees > 1) qsort(ids, mc->n_addressees, sizeof *ids, cmp_str);
        mandat_buf b = {0};
        for (size_t a = 0; a < mc->n_addressees; a++) {
          if (a && !strcmp(ids[a], ids[a - 1])) continue;
          if (b.len) buf_puts(&b, ", ");
          buf_puts(&b, ids[a]);
        }
        free(ids);
        cmp_clause *cc = cmp_para_add_clause(p, mc->verb, mc->force, buf_cstr(&b), mc->action);
        buf_free(&b);
        for (size_t x = 0; x < mc->n_conditions; x++) cmp_clause_add_condition(cc, mc->conditions[x]);
        cc->has_reporting = mc->has_reporting;
        cc->report_to = mc->report_to ? xstrdup(mc->report_to) : NULL;
        cc->report_session = mc->report_session ? xstrdup(mc->report_session) : NULL;
        cc->is_mandate = mandat_clause_is_mandate(mc);
      }
    }
  }
  cmp_version_finish(v);
  return v;
}

void cmp_version_free(cmp_version *v) {
  if (!v) return;
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; i < v->n[k]; i++) {
      cmp_para *p = &v->part[k][i];
      for (size_t c = 0; c < p->n_clauses; c++) {
        cmp_clause *cl = &p->clauses[c];
        free(cl->verb), free(cl->addressees), free(cl->action);
        for (size_t x = 0; x < cl->n_conditions; x++) free(cl->conditions[x]);
        free(cl->conditions), free(cl->report_to), free(cl->report_session);
      }
      free(p->clauses);
      free(p->text);
      align_feat_free(&p->feat);
    }
    free(v->part[k]);
  }
  free(v->name), free(v->title), free(v->date);
  free(v);
}

const mandat_entity *cmp_pick_entity(const mandat_doc *d, int want, const char *title) {
  size_t n = mandat_doc_entity_count(d);
  if (!n) return NULL;
  if (want >= 0) return (size_t)want < n ? mandat_doc_entity(d, (size_t)want) : NULL;
  const mandat_entity *best = NULL;
  if (title) {
    align_feat t;
    align_feat_make(&t, title);
    double bs = -1;
    for (size_t i = 0; i < n; i++) {
      const mandat_entity *e = mandat_doc_entity(d, i);
      if (!e->title || !e->n_operative) continue;
      align_feat f;
      align_feat_make(&f, e->title);
      double s = align_sim(&t, &f);
      align_feat_free(&f);
      if (s > bs) bs = s, best = e;
    }
    align_feat_free(&t);
    if (best) return best;
  }
  for (size_t i = 0; i < n; i++) {
    const mandat_entity *e = mandat_doc_entity(d, i);
    if ((e->kind == MANDAT_ENTITY_RESOLUTION || e->kind == MANDAT_ENTITY_DRAFT) &&
        (!best || e->n_operative > best->n_operative))
      best = e;
  }
  return best ? best : mandat_doc_entity(d, 0);
}

/* ------------------------------------------------------------ word diff */

typedef struct {
  const char *s;
  size_t n;    /* the token */
  size_t span; /* the token and the blanks after it */
} wtok;

static int is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_wordc(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '-' ||
         c == '\'' || c == '/';
}

/* Tokens: words (letters, digits, - ' / and any non-ASCII byte, so « l'Office » and
 * « 70/1 » are one token) and single punctuation characters. */
static wtok *tokenize(const char *s, size_t *n) {
  size_t cap = 16, k = 0;
  wtok *v = xmalloc(cap * sizeof *v);
  size_t i = 0, len = strlen(s);
  while (i < len && is_blank((unsigned char)s[i])) i++;
  while (i < len) {
    size_t st = i;
    if (is_wordc((unsigned char)s[i])) {
      /* « and » are non-ASCII but are punctuation: stop a word at them */
      while (i < len && is_wordc((unsigned char)s[i]) &&
             !((unsigned char)s[i] == 0xC2 && i + 1 < len && ((unsigned char)s[i + 1] == 0xAB || (unsigned char)s[i + 1] == 0xBB || (unsigned char)s[i + 1] == 0xA0)))
        i++;
      if (i == st) i += 2; /* a lone « or » */
    } else {
      i++;
    }
    size_t e = i;
    while (i < len && is_blank((unsigned char)s[i])) i++;
    if (k == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
    v[k++] = (wtok){s + st, e - st, i - st};
  }
  *n = k;
  return v;
}

static int tok_eq(const wtok *a, const wtok *b) { return a->n == b->n && !memcmp(a->s, b->s, a->n); }

static void piece_n(wd_result *r, wd_op op, const char *s, size_t n) {
  if (!n) return;
  if (r->n && r->v[r->n - 1].op == op && r->v[r->n - 1].s + r->v[r->n - 1].n == s) {
    r->v[r->n - 1].n += n;
    return;
  }
  VEC_GROW(r->v, r->n, r->cap);
  r->v[r->n++] = (wd_piece){op, s, n};
}

static void piece(wd_result *r, wd_op op, const wtok *t) { piece_n(r, op, t->s, t->span); }

/* An equal token: its old span, unless the blanks after it differ in the new text
 * (« droit, » → « droit aux »): then the token, the old blanks deleted and the new
 * ones inserted, so that both texts can be rebuilt exactly from the pieces. */
static void piece_eq(wd_result *r, const wtok *a, const wtok *b) {
  if (a->span == b->span && !memcmp(a->s + a->n, b->s + b->n, a->span - a->n)) {
    piece(r, WD_EQ, a);
    return;
  }
  piece_n(r, WD_EQ, a->s, a->n);
  piece_n(r, WD_DEL, a->s + a->n, a->span - a->n);
  piece_n(r, WD_INS, b->s + b->n, b->span - b->n);
}

void wd_diff(const char *a, const char *b, wd_result *out) {
  memset(out, 0, sizeof *out);
  size_t na, nb;
  wtok *A = tokenize(a, &na), *B = tokenize(b, &nb);
  /* common prefix and suffix first: most changed paragraphs differ in a few places */
  size_t pre = 0;
  while (pre < na && pre < nb && tok_eq(&A[pre], &B[pre])) pre++;
  size_t suf = 0;
  while (suf < na - pre && suf < nb - pre && tok_eq(&A[na - 1 - suf], &B[nb - 1 - suf])) suf++;
  for (size_t i = 0; i < pre; i++) piece_eq(out, &A[i], &B[i]);
  const wtok *x = A + pre, *y = B + pre;
  long N = (long)(na - pre - suf), M = (long)(nb - pre - suf);
  long max = N + M, off = max + 1;
  /* Myers: V per d stored (for the trace back); d <= WD_MAX_D */
  long **trace = xmalloc(((size_t)(max < WD_MAX_D ? max : WD_MAX_D) + 2) * sizeof *trace);
  long *V = xcalloc((size_t)(2 * max + 3), sizeof *V);
  long D = -1;
  for (long d = 0; d <= max && d <= WD_MAX_D; d++) {
    trace[d] = xmalloc((size_t)(2 * max + 3) * sizeof **trace);
    for (long k = -d; k <= d; k += 2) {
      long xx;
      if (k == -d || (k != d && V[off + k - 1] < V[off + k + 1])) xx = V[off + k + 1];
      else xx = V[off + k - 1] + 1;
      long yy = xx - k;
      while (xx < N && yy < M && tok_eq(&x[xx], &y[yy])) xx++, yy++;
      V[off + k] = xx;
      if (xx >= N && yy >= M) {
        D = d;
        break;
      }
    }
    memcpy(trace[d], V, (size_t)(2 * max + 3) * sizeof *V);
    if (D >= 0) break;
  }
  if (D < 0) {
    for (long i = 0; i < N; i++) piece(out, WD_DEL, &x[i]);
    for (long j = 0; j < M; j++) piece(out, WD_INS, &y[j]);
    D = (max < WD_MAX_D ? max : WD_MAX_D);
  } else {
    /* trace back into a reversed edit list */
    size_t cap = (size_t)(N + M + 1), ne = 0;
    struct ed {
      wd_op op;
      long i, j;
    } *ed = xmalloc(cap * sizeof *ed);
    long xx = N, yy = M;
    for (long d = D; d > 0; d--) {
      long *Vp = trace[d - 1], k = xx - yy, pk;
      if (k == -d || (k != d && Vp[off + k - 1] < Vp[off + k + 1])) pk = k + 1;
      else pk = k - 1;
      long px = Vp[off + pk], py = px - pk;
      while (xx > px && yy > py) --xx, --yy, ed[ne++] = (struct ed){WD_EQ, xx, yy};
      if (xx == px) --yy, ed[ne++] = (struct ed){WD_INS, xx, yy};
      else --xx, ed[ne++] = (struct ed){WD_DEL, xx, yy};
    }
    while (xx > 0 && yy > 0) --xx, --yy, ed[ne++] = (struct ed){WD_EQ, xx, yy};
    /* deletions before insertions inside a run of edits reads best */
    for (size_t e = ne; e-- > 0;) {
      if (ed[e].op == WD_EQ) {
        piece_eq(out, &x[ed[e].i], &y[ed[e].j]);
        continue;
      }
      size_t f = e;
      while (f > 0 && ed[f - 1].op != WD_EQ) f--;
      for (size_t g = e + 1; g-- > f;)
        if (ed[g].op == WD_DEL) piece(out, WD_DEL, &x[ed[g].i]);
      for (size_t g = e + 1; g-- > f;)
        if (ed[g].op == WD_INS) piece(out, WD_INS, &y[ed[g].j]);
      e = f;
    }
    free(ed);
  }
  for (long d = 0; d <= D && d <= WD_MAX_D; d++) free(trace[d]);
  free(trace);
  free(V);
  for (size_t i = na - suf, j = nb - suf; i < na; i++, j++) piece_eq(out, &A[i], &B[j]);
  free(A);
  free(B);
}

void wd_free(wd_result *r) {
  if (!r) return;
  free(r->v);
  memset(r, 0, sizeof *r);
}

/* ------------------------------------------------ mandate-level changes */

const char *mc_kind_name(mc_kind k) {
  static const char *const names[] = {"mandate_added",      "mandate_dropped",   "addressee_changed",
                                      "force_changed",      "reporting_added",   "reporting_dropped",
                                      "reporting_changed",  "condition_added",   "condition_dropped"};
  return (unsigned)k < 9 ? names[k] : "?";
}

char *cmp_report_session(const cmp_clause *c) {
  if (!c->has_reporting) return NULL;
  if (c->report_session) return xstrdup(c->report_session);
  /* « à sa soixante-douzième session », « à ses quatre-vingt-unième et … sessions »,
   * "at its seventy-second session" */
  static const char *const heads[] = {"à sa ", "à ses ", "at its ", "en su ", "en sus "};
  const char *a = c->action;
  for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
    for (const char *p = strstr(a, heads[h]); p; p = strstr(p + 1, heads[h])) {
      const char *s = strstr(p, "session");
      if (!s) s = strstr(p, "período");
      if (s && s - p < 120) {
        const char *e = s;
        while (*e && *e != ',' && *e != ' ') e++;
        return xstrndup(p, (size_t)(e - p));
      }
    }
  }
  return NULL;
}

static void add_change(cmp_diff *d, mc_kind k, int part, int op, int oc, int np, int nc, const char *from,
                       const char *to) {
  VEC_GROW(d->changes, d->n_changes, d->cap_changes);
  d->changes[d->n_changes++] =
      (mandate_change){k, part, op, oc, np, nc, from ? xstrdup(from) : NULL, to ? xstrdup(to) : NULL};
}

static const char *force_or_none(mandat_force f) {
  const char *s = mandat_force_name(f);
  return s ? s : "none";
}

/* How alike two clauses are, to pair them inside a group of aligned paragraphs. */
static double clause_score(const cmp_clause *a, const cmp_clause *b) {
  align_feat fa, fb;
  align_feat_make(&fa, a->action);
  align_feat_make(&fb, b->action);
  double s = align_sim(&fa, &fb);
  align_feat_free(&fa);
  align_feat_free(&fb);
  if (!strcmp(a->addressees, b->addressees)) s += 0.5;
  if (a->force == b->force) s += 0.25;
  return s;
}

static int cond_has(const cmp_clause *c, const char *t) {
  for (size_t i = 0; i < c->n_conditions; i++)
    if (!strcmp(c->conditions[i], t)) return 1;
  return 0;
}

/* Compare two matched mandate clauses and record what changed. */
static void compare_clauses(cmp_diff *d, int part, int op, int oc, int np, int nc) {
  const cmp_clause *a = &d->old->part[part][op].clauses[oc], *b = &d->nw->part[part][np].clauses[nc];
  char from[160], to[160];
  if (a->force != b->force) {
    snprintf(from, sizeof from, "%s (%s)", a->verb, force_or_none(a->force));
    snprintf(to, sizeof to, "%s (%s)", b->verb, force_or_none(b->force));
    add_change(d, MC_FORCE, part, op, oc, np, nc, from, to);
  }
  if (strcmp(a->addressees, b->addressees)) add_change(d, MC_ADDRESSEE, part, op, oc, np, nc, a->addressees, b->addressees);
  if (a->has_reporting && !b->has_reporting) add_change(d, MC_REPORTING_DROPPED, part, op, oc, np, nc, a->report_to, NULL);
  else if (!a->has_reporting && b->has_reporting) add_change(d, MC_REPORTING_ADDED, part, op, oc, np, nc, NULL, b->report_to);
  else if (a->has_reporting) {
    char *sa = cmp_report_session(a), *sb = cmp_report_session(b);
    const char *ta = a->report_to ? a->report_to : "", *tb = b->report_to ? b->report_to : "";
    if (strcmp(ta, tb) || strcmp(sa ? sa : "", sb ? sb : "")) {
      snprintf(from, sizeof from, "%s%s%s", ta, sa ? " " : "", sa ? sa : "");
      snprintf(to, sizeof to, "%s%s%s", tb, sb ? " " : "", sb ? sb : "");
      add_change(d, MC_REPORTING_CHANGED, part, op, oc, np, nc, from, to);
    }
    free(sa), free(sb);
  }
  for (size_t i = 0; i < b->n_conditions; i++)
    if (!cond_has(a, b->conditions[i])) add_change(d, MC_CONDITION_ADDED, part, op, oc, np, nc, NULL, b->conditions[i]);
  for (size_t i = 0; i < a->n_conditions; i++)
    if (!cond_has(b, a->conditions[i])) add_change(d, MC_CONDITION_DROPPED, part, op, oc, np, nc, a->conditions[i], NULL);
}

static int uf_find(int *uf, int x) {
  while (uf[x] != x) x = uf[x] = uf[uf[x]];
  return x;
}

/* The groups of paragraphs linked by the alignment of one part (a pair, a split, a
 * merge; an added or dropped paragraph alone): pool their mandate clauses, pair
 * them greedily by clause_score, and record added, dropped and changed mandates. */
static void mandate_changes(cmp_diff *d, int part) {
  const cmp_version *A = d->old, *B = d->nw;
  int no = (int)A->n[part], nn = (int)B->n[part];
  int *uf = xmalloc((size_t)(no + nn + 1) * sizeof *uf);
  for (int i = 0; i < no + nn; i++) uf[i] = i;
  const align_result *r = &d->part[part];
  for (size_t l = 0; l < r->n; l++)
    if (r->links[l].old_i >= 0 && r->links[l].new_i >= 0)
      uf[uf_find(uf, r->links[l].old_i)] = uf_find(uf, no + r->links[l].new_i);
  typedef struct {
    int p, c, used;
  } cref;
  cref *oc = xmalloc(64 * sizeof *oc), *nc = xmalloc(64 * sizeof *nc);
  size_t cap_o = 64, cap_n = 64;
  /* visit each group once, through its root, in new-version order then dropped ones */
  for (int root = 0; root < no + nn; root++) {
    if (uf_find(uf, root) != root) continue;
    size_t n_o = 0, n_n = 0;
    for (int i = 0; i < no; i++)
      if (uf_find(uf, i) == root)
        for (size_t c = 0; c < A->part[part][i].n_clauses; c++) {
          if (!A->part[part][i].clauses[c].is_mandate) continue;
          if (n_o == cap_o) oc = xrealloc(oc, (cap_o *= 2) * sizeof *oc);
          oc[n_o++] = (cref){i, (int)c, 0};
        }
    for (int j = 0; j < nn; j++)
      if (uf_find(uf, no + j) == root)
        for (size_t c = 0; c < B->part[part][j].n_clauses; c++) {
          if (!B->part[part][j].clauses[c].is_mandate) continue;
          if (n_n == cap_n) nc = xrealloc(nc, (cap_n *= 2) * sizeof *nc);
          nc[n_n++] = (cref){j, (int)c, 0};
        }
    /* greedy pairing, best score first (groups hold a handful of clauses) */
    double *score = xmalloc((n_o * n_n + 1) * sizeof *score);
    for (size_t i = 0; i < n_o; i++)
      for (size_t j = 0; j < n_n; j++)
        score[i * n_n + j] = clause_score(&A->part[part][oc[i].p].clauses[oc[i].c], &B->part[part][nc[j].p].clauses[nc[j].c]);
    for (;;) {
      double best = 0.2;
      size_t bi = 0, bj = 0;
      int found = 0;
      for (size_t i = 0; i < n_o; i++) {
        if (oc[i].used) continue;
        for (size_t j = 0; j < n_n; j++)
          if (!nc[j].used && score[i * n_n + j] > best) best = score[i * n_n + j], bi = i, bj = j, found = 1;
      }
      if (!found) break;
      oc[bi].used = nc[bj].used = 1;
      VEC_GROW(d->clinks, d->n_clinks, d->cap_clinks);
      d->clinks[d->n_clinks++] = (clause_link){part, oc[bi].p, oc[bi].c, nc[bj].p, nc[bj].c};
      compare_clauses(d, part, oc[bi].p, oc[bi].c, nc[bj].p, nc[bj].c);
    }
    free(score);
    for (size_t j = 0; j < n_n; j++)
      if (!nc[j].used) {
        const cmp_clause *c = &B->part[part][nc[j].p].clauses[nc[j].c];
        add_change(d, MC_MANDATE_ADDED, part, -1, -1, nc[j].p, nc[j].c, NULL, c->verb);
      }
    for (size_t i = 0; i < n_o; i++)
      if (!oc[i].used) {
        const cmp_clause *c = &A->part[part][oc[i].p].clauses[oc[i].c];
        add_change(d, MC_MANDATE_DROPPED, part, oc[i].p, oc[i].c, -1, -1, c->verb, NULL);
      }
  }
  free(oc);
  free(nc);
  free(uf);
}

static int cmp_change(const void *a, const void *b) {
  const mandate_change *x = a, *y = b;
  if (x->part != y->part) return x->part - y->part;
  int kx = x->new_p >= 0 ? x->new_p * 2 : -1, ky = y->new_p >= 0 ? y->new_p * 2 : -1;
  if (kx < 0) kx = 100000 + x->old_p;
  if (ky < 0) ky = 100000 + y->old_p;
  if (kx != ky) return kx - ky;
  return (int)x->kind - (int)y->kind;
}

void cmp_diff_run(const cmp_version *a, const cmp_version *b, cmp_diff *out) {
  memset(out, 0, sizeof *out);
  out->old = a, out->nw = b;
  for (int k = 0; k < 2; k++) {
    align_feat *fa = xmalloc((a->n[k] + 1) * sizeof *fa), *fb = xmalloc((b->n[k] + 1) * sizeof *fb);
    for (size_t i = 0; i < a->n[k]; i++) fa[i] = a->part[k][i].feat;
    for (size_t j = 0; j < b->n[k]; j++) fb[j] = b->part[k][j].feat;
    align_paragraphs(fa, a->n[k], fb, b->n[k], &out->part[k]);
    free(fa);
    free(fb);
    mandate_changes(out, k);
  }
  if (out->n_changes > 1) qsort(out->changes, out->n_changes, sizeof *out->changes, cmp_change);
}

void cmp_diff_free(cmp_diff *d) {
  if (!d) return;
  for (int k = 0; k < 2; k++) align_result_free(&d->part[k]);
  for (size_t i = 0; i < d->n_changes; i++) free(d->changes[i].from), free(d->changes[i].to);
  free(d->changes);
  free(d->clinks);
  memset(d, 0, sizeof *d);
}
