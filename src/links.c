/* links.c: the alignment kept in the registry.  At ingest, a new entity's series is
 * found through an in-memory index of title words and through citations, its nearest
 * earlier and later versions by adoption date are aligned with it (align.c, the same
 * aligner as `mandat diff`), and the paragraph pairs are written in the ingest's
 * transaction.  links_history() walks them back for `mandat show … --history`. */
#include "links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "diff.h"
#include "render.h"

#define HISTORY_MAX 256 /* versions walked in one history: a guard against a cycle of links */
#define SUMMARY_BYTES 100 /* of the one-line word-diff summary */

/* ---- the title index: word hash → entities whose title holds it ---------------- */

typedef struct {
  uint64_t word; /* 0: empty slot */
  uint32_t count; /* titles holding it; ents stops growing past LINKS_WORD_MAX */
  uint32_t n, cap;
  int64_t *ents;
} posting;

enum {
  L_ENT,
  L_CITED,
  L_CITING,
  L_PARAS,
  L_DEL_PARA,
  L_DEL_ENT,
  L_INS_PARA,
  L_INS_ENT,
  N_L
};

static const char *const links_sql[N_L] = {
    [L_ENT] = "SELECT e.document_id, d.current, e.title, e.adoption_date, e.session, e.symbol"
              " FROM entities e JOIN documents d ON d.id = e.document_id WHERE e.id = ?1",
    [L_CITED] = "SELECT e.id FROM citations c JOIN entities e ON e.symbol = c.symbol"
                " WHERE c.entity_id = ?1 AND c.symbol IS NOT NULL",
    [L_CITING] = "SELECT c.entity_id FROM citations c WHERE c.symbol = ?1",
    [L_PARAS] = "SELECT id, kind = 'operative', text FROM paragraphs WHERE entity_id = ?1"
                " ORDER BY kind = 'operative', n",
    [L_DEL_PARA] = "DELETE FROM paragraph_links WHERE from_paragraph IN (SELECT id FROM paragraphs"
                   " WHERE entity_id = ?1) AND to_paragraph IN (SELECT id FROM paragraphs WHERE entity_id = ?2)",
    [L_DEL_ENT] = "DELETE FROM entity_links WHERE from_entity = ?1 AND to_entity = ?2",
    [L_INS_PARA] = "INSERT OR REPLACE INTO paragraph_links(from_paragraph, to_paragraph, relation, similarity,"
                   " edited) VALUES (?1, ?2, ?3, ?4, ?5)",
    [L_INS_ENT] = "INSERT OR REPLACE INTO entity_links(from_entity, to_entity, how) VALUES (?1, ?2, ?3)",
};

struct links_writer {
  sqlite3 *db;
  sqlite3_stmt *st[N_L];
  posting *tab; /* open addressing, linear probing; cap a power of two */
  size_t cap, used;
};

static posting *slot(links_writer *w, uint64_t word) {
  if (!word) word = 1;
  size_t i = (size_t)(word * 0x9e3779b97f4a7c15ull) & (w->cap - 1);
  while (w->tab[i].word && w->tab[i].word != word) i = (i + 1) & (w->cap - 1);
  return &w->tab[i];
}

static void grow(links_writer *w) {
  posting *old = w->tab;
  size_t oc = w->cap;
  w->cap = oc ? oc * 2 : 1024;
  w->tab = xcalloc(w->cap, sizeof *w->tab);
  for (size_t i = 0; i < oc; i++)
    if (old[i].word) *slot(w, old[i].word) = old[i];
  free(old);
}

/* A word hash as a key of the title index, where 0 marks an empty slot. */
static uint64_t index_key(uint64_t h) { return h ? h : 1; }

void links_index_add(links_writer *w, int64_t ent, const char *title) {
  if (!w || !title) return;
  align_feat tf; /* its uni: the title's distinct folded words, sorted */
  align_feat_make(&tf, title);
  for (size_t i = 0; i < tf.n_uni; i++) {
    uint64_t word = index_key(tf.uni[i]);
    if ((w->used + 1) * 2 > w->cap) grow(w);
    posting *p = slot(w, word);
    if (!p->word) p->word = word, w->used++;
    p->count++;
    if (p->count > LINKS_WORD_MAX) { /* a stop word from now on: its list is no longer read */
      free(p->ents);
      p->ents = NULL, p->n = p->cap = 0;
      continue;
    }
    VEC_GROW(p->ents, p->n, p->cap);
    p->ents[p->n++] = ent;
  }
  align_feat_free(&tf);
}

links_writer *links_writer_new(sqlite3 *db, char *err, size_t errlen) {
  links_writer *w = xcalloc(1, sizeof *w);
  sqlite3_stmt *st = NULL;
  w->db = db;
  grow(w);
  for (int i = 0; i < N_L; i++)
    if (sqlite3_prepare_v3(db, links_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) != SQLITE_OK)
      goto fail;
  if (sqlite3_prepare_v2(db,
                         "SELECT e.id, e.title FROM entities e JOIN documents d ON d.id = e.document_id"
                         " WHERE d.current = 1 AND e.title IS NOT NULL",
                         -1, &st, NULL) != SQLITE_OK)
    goto fail;
  while (sqlite3_step(st) == SQLITE_ROW)
    links_index_add(w, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1));
  sqlite3_finalize(st);
  return w;
fail:
  snprintf(err, errlen, "%s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  links_writer_free(w);
  return NULL;
}

void links_writer_free(links_writer *w) {
  if (!w) return;
  for (int i = 0; i < N_L; i++) sqlite3_finalize(w->st[i]);
  for (size_t i = 0; i < w->cap; i++) free(w->tab[i].ents);
  free(w->tab);
  free(w);
}

/* ---- linking one entity ------------------------------------------------------------ */

/* The order of versions: the adoption date; else, for a General Assembly symbol
 * (A/C.3/66/L.15) or session, the year its session opened (1945 + session);
 * else "" (unordered: not linked). */
static void date_key(const char *date, const char *session, const char *symbol, char key[16]) {
  key[0] = '\0';
  if (date && *date) {
    snprintf(key, 16, "%.15s", date);
    return;
  }
  int s = session ? atoi(session) : 0;
  if (!s && symbol && symbol[0] == 'A' && symbol[1] == '/') {
    const char *p = symbol + 2;
    while (*p && (*p < '0' || *p > '9')) p++;
    s = atoi(p);
  }
  if (s > 0 && s < 200 && symbol && symbol[0] == 'A') snprintf(key, 16, "%04d", 1945 + s);
}

typedef struct {
  int64_t id;
  char key[16];
  const char *how;
} version;

/* Is `c` a version of `me` (title or citation), current and in another document?
 * Fills v.  Returns 1 yes, 0 no, or an SQLite error code < 0 negated. */
static int candidate(links_writer *w, int64_t c, int64_t doc, const align_feat *title, int cited, version *v) {
  sqlite3_stmt *s = w->st[L_ENT];
  sqlite3_bind_int64(s, 1, c);
  int rc = sqlite3_step(s), yes = 0;
  if (rc == SQLITE_ROW && sqlite3_column_int64(s, 0) != doc && sqlite3_column_int(s, 1) &&
      sqlite3_column_text(s, 2)) {
    align_feat f;
    align_feat_make(&f, (const char *)sqlite3_column_text(s, 2));
    double sim = align_sim(title, &f);
    align_feat_free(&f);
    if (sim >= LINKS_SERIES_TITLE || (cited && sim >= LINKS_CITED_TITLE)) {
      date_key((const char *)sqlite3_column_text(s, 3), (const char *)sqlite3_column_text(s, 4),
               (const char *)sqlite3_column_text(s, 5), v->key);
      v->id = c;
      v->how = sim >= LINKS_SERIES_TITLE ? "title" : "citation";
      yes = v->key[0] != '\0';
    }
  }
  sqlite3_reset(s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? yes : -rc;
}

/* One entity's paragraphs for the aligner: row ids and features per part. */
typedef struct {
  int64_t *id[2];
  align_feat *f[2];
  size_t n[2], cap[2];
} paras;

static int load_paras(links_writer *w, int64_t ent, paras *p) {
  memset(p, 0, sizeof *p);
  sqlite3_stmt *s = w->st[L_PARAS];
  sqlite3_bind_int64(s, 1, ent);
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    int k = sqlite3_column_int(s, 1) != 0;
    if (p->n[k] == p->cap[k]) {
      p->cap[k] = p->cap[k] ? p->cap[k] * 2 : 16;
      p->id[k] = xrealloc(p->id[k], p->cap[k] * sizeof *p->id[k]);
      p->f[k] = xrealloc(p->f[k], p->cap[k] * sizeof *p->f[k]);
    }
    p->id[k][p->n[k]] = sqlite3_column_int64(s, 0);
    align_feat_make(&p->f[k][p->n[k]], (const char *)sqlite3_column_text(s, 2));
    p->n[k]++;
  }
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? SQLITE_DONE : rc;
}

static void free_paras(paras *p) {
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; i < p->n[k]; i++) align_feat_free(&p->f[k][i]);
    free(p->f[k]);
    free(p->id[k]);
  }
}

static int step_reset(sqlite3_stmt *s) {
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

/* Align old → new (both already loaded) and write the links. */
static int put_pair(links_writer *w, int64_t old_ent, const paras *a, int64_t new_ent, const paras *b,
                    const char *how, long *n_links) {
  int rc = SQLITE_DONE;
  sqlite3_stmt *s = w->st[L_INS_ENT];
  sqlite3_bind_int64(s, 1, old_ent), sqlite3_bind_int64(s, 2, new_ent);
  sqlite3_bind_text(s, 3, how, -1, SQLITE_STATIC);
  if ((rc = step_reset(s)) != SQLITE_DONE) return rc;
  for (int k = 0; k < 2; k++) {
    if (!a->n[k] || !b->n[k] || a->n[k] * b->n[k] > LINKS_MAX_CELLS) continue;
    align_result r;
    align_paragraphs(a->f[k], a->n[k], b->f[k], b->n[k], &r);
    s = w->st[L_INS_PARA];
    for (size_t l = 0; l < r.n && rc == SQLITE_DONE; l++) {
      const align_link *x = &r.links[l];
      if (x->old_i < 0 || x->new_i < 0) continue; /* added, dropped: no link */
      sqlite3_bind_int64(s, 1, a->id[k][x->old_i]), sqlite3_bind_int64(s, 2, b->id[k][x->new_i]);
      sqlite3_bind_text(s, 3, align_relation_name(x->rel), -1, SQLITE_STATIC);
      sqlite3_bind_double(s, 4, x->sim), sqlite3_bind_int(s, 5, x->edited);
      if ((rc = step_reset(s)) == SQLITE_DONE) (*n_links)++;
    }
    align_result_free(&r);
    if (rc != SQLITE_DONE) break;
  }
  return rc;
}

typedef struct {
  int64_t id;
  int cited; /* cites the new entity or is cited by it */
} cand_t;

static void add_cand(cand_t **v, size_t *n, size_t *cap, int64_t id, int cited) {
  VEC_GROW(*v, *n, *cap);
  (*v)[(*n)++] = (cand_t){id, cited};
}

static int cmp_cand(const void *a, const void *b) {
  const cand_t *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

int links_put_entity(links_writer *w, int64_t ent, int64_t doc, long *n_links) {
  int rc = SQLITE_DONE, r;
  cand_t *cand = NULL;
  size_t n_cand = 0, cap_cand = 0;
  char key[16];
  char *title = NULL, *symbol = NULL;
  align_feat tf = {0};
  paras me = {0}, other = {0};
  version best[2] = {{0}, {0}}; /* nearest earlier, nearest later */

  sqlite3_stmt *s = w->st[L_ENT];
  sqlite3_bind_int64(s, 1, ent);
  if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
    sqlite3_reset(s);
    goto done;
  }
  rc = SQLITE_DONE;
  title = sqlite3_column_text(s, 2) ? xstrdup((const char *)sqlite3_column_text(s, 2)) : NULL;
  symbol = sqlite3_column_text(s, 5) ? xstrdup((const char *)sqlite3_column_text(s, 5)) : NULL;
  date_key((const char *)sqlite3_column_text(s, 3), (const char *)sqlite3_column_text(s, 4), symbol, key);
  sqlite3_reset(s);
  if (!title || !key[0]) goto done; /* no series, or no place in it */
  align_feat_make(&tf, title);

  /* candidates: cited or citing entities first (they may pass a lower title bar) … */
  s = w->st[L_CITED];
  sqlite3_bind_int64(s, 1, ent);
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) add_cand(&cand, &n_cand, &cap_cand, sqlite3_column_int64(s, 0), 1);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) goto done;
  if (symbol) {
    s = w->st[L_CITING];
    sqlite3_bind_text(s, 1, symbol, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) add_cand(&cand, &n_cand, &cap_cand, sqlite3_column_int64(s, 0), 1);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) goto done;
  }
  /* … then entities sharing a title word that is not a stop word */
  for (size_t i = 0; i < tf.n_uni; i++) { /* tf.uni: the title's distinct words */
    posting *p = slot(w, index_key(tf.uni[i]));
    if (!p->word || p->count > LINKS_WORD_MAX) continue;
    for (uint32_t j = 0; j < p->n; j++) add_cand(&cand, &n_cand, &cap_cand, p->ents[j], 0);
  }
  if (n_cand > 1) qsort(cand, n_cand, sizeof *cand, cmp_cand);
  for (size_t i = 0, e; i < n_cand; i = e) {
    int cited = 0;
    for (e = i; e < n_cand && cand[e].id == cand[i].id; e++) cited |= cand[e].cited;
    if (cand[i].id == ent) continue;
    version v;
    if ((r = candidate(w, cand[i].id, doc, &tf, cited, &v)) < 0) {
      rc = -r;
      goto done;
    }
    if (!r) continue;
    int c = strcmp(v.key, key);
    int later = c > 0 || (c == 0 && v.id > ent);
    version *b = &best[later];
    int cb = b->id ? strcmp(v.key, b->key) : 0;
    if (!b->id || (later ? (cb < 0 || (cb == 0 && v.id < b->id)) : (cb > 0 || (cb == 0 && v.id > b->id))))
      *b = v;
  }

  /* the new version goes between its neighbours: their direct link goes */
  if (best[0].id && best[1].id) {
    for (int q = L_DEL_PARA; q <= L_DEL_ENT; q++) {
      sqlite3_bind_int64(w->st[q], 1, best[0].id), sqlite3_bind_int64(w->st[q], 2, best[1].id);
      if ((rc = step_reset(w->st[q])) != SQLITE_DONE) goto done;
    }
  }
  if (!best[0].id && !best[1].id) goto done;
  if ((rc = load_paras(w, ent, &me)) != SQLITE_DONE) goto done;
  for (int side = 0; side < 2; side++) {
    if (!best[side].id) continue;
    free_paras(&other);
    if ((rc = load_paras(w, best[side].id, &other)) != SQLITE_DONE) goto done;
    rc = side ? put_pair(w, ent, &me, best[1].id, &other, best[1].how, n_links)
              : put_pair(w, best[0].id, &other, ent, &me, best[0].how, n_links);
    if (rc != SQLITE_DONE) goto done;
  }
done:
  free_paras(&me);
  free_paras(&other);
  align_feat_free(&tf);
  free(cand);
  free(title);
  free(symbol);
  return rc;
}

/* ---- history --------------------------------------------------------------------- */

typedef struct {
  int64_t para;
  char *symbol, *ref, *date, *file, *text;
  int line;
  /* the link from the previous (older) step into this one */
  char *rel;
  double sim;
  int edited;
  int others; /* further links in the same direction (a split or merge) not followed */
} hstep;

enum { H_ENT, H_PARA, H_INFO, H_BACK, H_FWD, N_H };

static const char *const hist_sql[N_H] = {
    [H_ENT] = "SELECT e.id FROM entities e JOIN documents d ON d.id = e.document_id"
              " WHERE e.symbol = :symbol AND d.current = 1 ORDER BY e.id DESC LIMIT 1",
    [H_PARA] = "SELECT id FROM paragraphs WHERE entity_id = :ent AND kind = :kind AND"
               " CASE kind WHEN 'preamble' THEN n = :n"
               " ELSE (replace(number, ' ', '') = :num COLLATE NOCASE OR (number IS NULL AND n = :n)) END"
               " ORDER BY n LIMIT 1",
    [H_INFO] = "SELECT coalesce(e.symbol, d.file || ' ' || e.local_id),"
               " CASE p.kind WHEN 'preamble' THEN 'PP' || p.n ELSE 'OP' || coalesce(p.number, p.n) END,"
               " e.adoption_date, e.session, e.symbol, d.file, p.line_first, p.text"
               " FROM paragraphs p JOIN entities e ON e.id = p.entity_id JOIN documents d ON d.id = e.document_id"
               " WHERE p.id = :para",
    [H_BACK] = "SELECT l.from_paragraph, l.relation, l.similarity, l.edited FROM paragraph_links l"
               " JOIN paragraphs p ON p.id = l.from_paragraph JOIN entities e ON e.id = p.entity_id"
               " JOIN documents d ON d.id = e.document_id WHERE l.to_paragraph = :para AND d.current = 1"
               " ORDER BY l.similarity DESC, l.from_paragraph",
    [H_FWD] = "SELECT l.to_paragraph, l.relation, l.similarity, l.edited FROM paragraph_links l"
              " JOIN paragraphs p ON p.id = l.to_paragraph JOIN entities e ON e.id = p.entity_id"
              " JOIN documents d ON d.id = e.document_id WHERE l.from_paragraph = :para AND d.current = 1"
              " ORDER BY l.similarity DESC, l.to_paragraph",
};

static char *dupcol(sqlite3_stmt *s, int i) {
  const char *t = (const char *)sqlite3_column_text(s, i);
  return t ? xstrdup(t) : NULL;
}

static int step_info(sqlite3_stmt *q, hstep *h) {
  sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":para"), h->para);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    char key[16];
    h->symbol = dupcol(q, 0), h->ref = dupcol(q, 1), h->file = dupcol(q, 5), h->text = dupcol(q, 7);
    h->line = sqlite3_column_int(q, 6);
    date_key((const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
             (const char *)sqlite3_column_text(q, 4), key);
    h->date = xstrdup(key);
    rc = SQLITE_DONE;
  }
  sqlite3_reset(q);
  return rc;
}

/* Follow the strongest link from `para` (back or forward): *next 0 when none;
 * *others counts the links not followed. */
static int follow(sqlite3_stmt *q, int64_t para, int64_t *next, char **rel, double *sim, int *edited, int *others) {
  sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":para"), para);
  int rc, n = 0;
  *next = 0, *others = 0;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (!n++) {
      *next = sqlite3_column_int64(q, 0);
      *rel = dupcol(q, 1);
      *sim = sqlite3_column_double(q, 2);
      *edited = sqlite3_column_int(q, 3);
    } else {
      (*others)++;
    }
  }
  sqlite3_reset(q);
  return rc;
}

/* Words of a diff piece (runs of non-blanks). */
static int count_words(const char *s, size_t n) {
  int k = 0, in = 0;
  for (size_t i = 0; i < n; i++) {
    int blank = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    if (!blank && !in) k++;
    in = !blank;
  }
  return k;
}

/* Append s[0..n) to o, at most `room` bytes, cut on a UTF-8 boundary, blanks folded. */
static size_t put_cut(mandat_buf *o, const char *s, size_t n, size_t room) {
  size_t k = utf8_cut(s, n, room);
  for (size_t i = 0; i < k; i++) buf_putc(o, s[i] == '\n' ? ' ' : s[i]);
  return k;
}

/* "-3 +5 words: [-Invite-]{+Prie+} … " in one line, git's word-diff marks. */
static void summary(const char *a, const char *b, mandat_buf *o, int *del, int *ins) {
  wd_result r;
  wd_diff(a ? a : "", b ? b : "", &r);
  *del = *ins = 0;
  for (size_t i = 0; i < r.n; i++) {
    if (r.v[i].op == WD_DEL) *del += count_words(r.v[i].s, r.v[i].n);
    if (r.v[i].op == WD_INS) *ins += count_words(r.v[i].s, r.v[i].n);
  }
  size_t start = o->len;
  int shown = 0;
  for (size_t i = 0; i < r.n && o->len - start < SUMMARY_BYTES; i++) {
    if (r.v[i].op == WD_EQ) {
      if (shown && i + 1 < r.n) buf_puts(o, " … ");
      continue;
    }
    size_t room = SUMMARY_BYTES - (o->len - start);
    buf_puts(o, r.v[i].op == WD_DEL ? "[-" : "{+");
    size_t n = r.v[i].n;
    while (n && (r.v[i].s[n - 1] == ' ' || r.v[i].s[n - 1] == '\n')) n--;
    if (put_cut(o, r.v[i].s, n, room) < n) buf_puts(o, "…");
    buf_puts(o, r.v[i].op == WD_DEL ? "-]" : "+}");
    shown++;
  }
  if (o->len >= start + 5 && !strcmp(o->data + o->len - 5, " … ")) o->len -= 5, o->data[o->len] = '\0';
  wd_free(&r);
}

static void free_steps(hstep *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(h[i].symbol), free(h[i].ref), free(h[i].date), free(h[i].file), free(h[i].text), free(h[i].rel);
  }
  free(h);
}

query_status links_history(sqlite3 *db, const char *symbol, const char *ref, bool json, mandat_buf *o,
                           char *err, size_t errlen) {
  sqlite3_stmt *q[N_H] = {0};
  query_status qs = QUERY_OK;
  const char *kind = NULL;
  char num[32];
  int n = 0, rc = SQLITE_DONE;
  hstep *back = xcalloc(HISTORY_MAX, sizeof *back), *fwd = xcalloc(HISTORY_MAX, sizeof *fwd);
  size_t nb = 0, nf = 0;
  size_t start = o->len;
  if (!ref || !query_parse_ref(ref, &kind, num, &n)) {
    snprintf(err, errlen, "'%s' is not a paragraph reference (OP12, PP3, OP12bis)", ref ? ref : "");
    qs = QUERY_BAD;
    goto done;
  }
  for (int i = 0; i < N_H; i++)
    if (sqlite3_prepare_v2(db, hist_sql[i], -1, &q[i], NULL) != SQLITE_OK) goto dberr;
  sqlite3_bind_text(q[H_ENT], 1, symbol, -1, SQLITE_STATIC);
  if ((rc = sqlite3_step(q[H_ENT])) != SQLITE_ROW) {
    if (rc != SQLITE_DONE) goto dberr;
    snprintf(err, errlen, "%s is not in the registry", symbol);
    qs = QUERY_NONE;
    goto done;
  }
  sqlite3_stmt *p = q[H_PARA];
  sqlite3_bind_int64(p, sqlite3_bind_parameter_index(p, ":ent"), sqlite3_column_int64(q[H_ENT], 0));
  sqlite3_bind_text(p, sqlite3_bind_parameter_index(p, ":kind"), kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(p, sqlite3_bind_parameter_index(p, ":num"), num, -1, SQLITE_STATIC);
  sqlite3_bind_int(p, sqlite3_bind_parameter_index(p, ":n"), n);
  if ((rc = sqlite3_step(p)) != SQLITE_ROW) {
    if (rc != SQLITE_DONE) goto dberr;
    snprintf(err, errlen, "%s has no paragraph %s", symbol, ref);
    qs = QUERY_NONE;
    goto done;
  }
  /* back[0] is the paragraph asked for; back[i+1] its predecessor; fwd[i] its successors */
  back[nb++].para = sqlite3_column_int64(p, 0);
  while (nb < HISTORY_MAX) {
    hstep *h = &back[nb - 1], *prev = &back[nb];
    if ((rc = follow(q[H_BACK], h->para, &prev->para, &h->rel, &h->sim, &h->edited, &h->others)) != SQLITE_DONE)
      goto dberr;
    if (!prev->para) break;
    nb++;
  }
  int64_t cur = back[0].para;
  while (nf < HISTORY_MAX) {
    hstep *h = &fwd[nf];
    int64_t next;
    if ((rc = follow(q[H_FWD], cur, &next, &h->rel, &h->sim, &h->edited, &h->others)) != SQLITE_DONE) goto dberr;
    if (!next) {
      free(h->rel), h->rel = NULL;
      break;
    }
    h->para = cur = next;
    nf++;
  }
  for (size_t i = 0; i < nb; i++)
    if ((rc = step_info(q[H_INFO], &back[i])) != SQLITE_DONE) goto dberr;
  for (size_t i = 0; i < nf; i++)
    if ((rc = step_info(q[H_INFO], &fwd[i])) != SQLITE_DONE) goto dberr;

  /* oldest first: back reversed, then fwd */
  size_t total = nb + nf;
  if (json) {
    buf_puts(o, "{\"schema\":\"mandat.history/1\",\"symbol\":"), json_str(o, symbol);
    buf_puts(o, ",\"ref\":"), json_str(o, back[0].ref), buf_puts(o, ",\"versions\":[");
  } else {
    buf_printf(o, "History of %s %s: %zu version%s in the registry, oldest first\n", symbol, back[0].ref, total,
               total == 1 ? "" : "s");
  }
  const char *prev_text = NULL;
  for (size_t t = 0; t < total; t++) {
    hstep *h = t < nb ? &back[nb - 1 - t] : &fwd[t - nb];
    const char *rel = t == 0 ? NULL : (t < nb ? h->rel : h->rel);
    double sim = h->sim;
    int edited = h->edited, others = h->others;
    mandat_buf sum = {0};
    int del = 0, ins = 0;
    if (t > 0) summary(prev_text, h->text, &sum, &del, &ins);
    if (json) {
      buf_puts(o, t ? ",\n{" : "\n{");
      buf_puts(o, "\"symbol\":"), json_str(o, h->symbol);
      buf_puts(o, ",\"date\":"), json_str(o, h->date[0] ? h->date : NULL);
      buf_puts(o, ",\"ref\":"), json_str(o, h->ref);
      buf_puts(o, ",\"file\":"), json_str(o, h->file), buf_printf(o, ",\"line\":%d", h->line);
      buf_puts(o, ",\"relation\":"), json_str(o, rel);
      if (rel) {
        buf_printf(o, ",\"similarity\":%.3f,\"edited\":%s,\"other_links\":%d", sim, edited ? "true" : "false",
                   others);
        buf_printf(o, ",\"words_deleted\":%d,\"words_inserted\":%d,\"diff\":", del, ins);
        json_str(o, buf_cstr(&sum));
      }
      buf_puts(o, ",\"text\":"), json_str(o, h->text), buf_putc(o, '}');
    } else {
      buf_printf(o, "%-10s  %-22s %-8s", h->date[0] ? h->date : "?", h->symbol, h->ref);
      if (!rel) buf_puts(o, " first in the registry");
      else {
        buf_printf(o, " %-9s %.2f", rel, sim);
        if (others) buf_printf(o, " (+%d other link%s)", others, others > 1 ? "s" : "");
        if (edited) buf_printf(o, "  -%d +%d words: %s", del, ins, buf_cstr(&sum));
      }
      buf_putc(o, '\n');
    }
    buf_free(&sum);
    prev_text = h->text;
  }
  if (json) buf_puts(o, "\n]}\n");
  goto done;
dberr:
  snprintf(err, errlen, "%s", sqlite3_errmsg(db));
  qs = QUERY_DB_ERROR;
done:
  for (int i = 0; i < N_H; i++) sqlite3_finalize(q[i]);
  free_steps(back, nb + 1 < HISTORY_MAX ? nb + 1 : HISTORY_MAX);
  free_steps(fwd, nf + 1 < HISTORY_MAX ? nf + 1 : HISTORY_MAX);
  if (qs != QUERY_OK && o->len > start) o->len = start, o->data[start] = '\0';
  return qs;
}
