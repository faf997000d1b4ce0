/* model.c: construction, walking and freeing of the document tree. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

mandat_doc *doc_new(const char *file) {
  mandat_doc *d = xcalloc(1, sizeof *d);
  /* a block of its own, outside the arena that doc_take_group() hands over */
  d->file = doc_own(d, xstrdup(file ? file : "-"));
  return d;
}

doc_mark doc_mark_now(const mandat_doc *d) { return (doc_mark){d->n_strs, d->arena_chunk}; }

mandat_doc *doc_take_group(mandat_doc *d, doc_mark keep) {
  mandat_doc *g = doc_new(d->file);
  memcpy(g->sha256, d->sha256, sizeof g->sha256);
  g->format = d->format;
  g->lex = d->lex;
  g->lines = d->lines;
  g->pdf_layout = d->pdf_layout;
  g->ent_base = d->ent_base;
  g->n_roots = d->n_roots;
  g->ents = d->ents, g->n_ents = d->n_ents, g->cap_ents = d->cap_ents;
  d->ent_base += d->n_ents;
  d->ents = NULL, d->n_ents = d->cap_ents = 0;
  /* strs[0] is the file name */
  size_t k = 1;
  for (size_t i = 1; i < d->n_strs; i++) {
    if (i < keep.n_strs && d->strs[i] != keep.chunk) doc_own(g, d->strs[i]);
    else d->strs[k++] = d->strs[i];
  }
  d->n_strs = k;
  return g;
}

const char *doc_own(mandat_doc *d, char *s) {
  if (!s) return NULL;
  VEC_GROW(d->strs, d->n_strs, d->cap_strs);
  d->strs[d->n_strs++] = s;
  return s;
}

/* Strings are packed into chunks of ARENA_CHUNK bytes: one malloc per chunk
 * instead of one (and 16 bytes of malloc header) per string; a tree holds a
 * string per paragraph, clause, addressee and citation.  A string over a quarter
 * of a chunk gets a block of its own so that a chunk wastes little at its end. */
#define ARENA_CHUNK 65536

const char *doc_str(mandat_doc *d, const char *s, size_t n) {
  if (n + 1 > ARENA_CHUNK / 4) {
    char *own = xmalloc(n + 1);
    memcpy(own, s, n);
    own[n] = '\0';
    return doc_own(d, own);
  }
  if (n + 1 > d->arena_left) {
    d->arena = (char *)doc_own(d, xmalloc(ARENA_CHUNK));
    d->arena_chunk = d->arena;
    d->arena_left = ARENA_CHUNK;
  }
  char *p = d->arena;
  memcpy(p, s, n);
  p[n] = '\0';
  d->arena += n + 1;
  d->arena_left -= n + 1;
  return p;
}

const char *doc_strz(mandat_doc *d, const char *s) { return s ? doc_str(d, s, strlen(s)) : NULL; }

mandat_entity *doc_add_entity(mandat_doc *d, mandat_entity_kind kind) {
  VEC_GROW(d->ents, d->n_ents, d->cap_ents);
  mandat_entity *e = &d->ents[d->n_ents++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->parent = -1;
  snprintf(e->id, sizeof e->id, "R%zu", d->ent_base + d->n_ents);
  return e;
}

/* Arrays of the tree store no capacity: an array of length n has room for
 * max(4, next power of two) elements, so it grows when n is 0 or a power of two >= 4. */
static void *grow(void *v, size_t n, size_t size) {
  if (n == 0) return xrealloc(v, 4 * size);
  if (n < 4 || (n & (n - 1))) return v;
  return xrealloc(v, n * 2 * size);
}

mandat_paragraph *entity_add_para(mandat_entity *e, mandat_para_kind kind) {
  mandat_paragraph **v = kind == MANDAT_PARA_PREAMBLE ? &e->preamble : &e->operative;
  size_t *n = kind == MANDAT_PARA_PREAMBLE ? &e->n_preamble : &e->n_operative;
  *v = grow(*v, *n, sizeof **v);
  mandat_paragraph *p = &(*v)[(*n)++];
  memset(p, 0, sizeof *p);
  p->kind = kind;
  p->n = (int)*n;
  return p;
}

mandat_footnote *entity_add_footnote(mandat_entity *e) {
  e->footnotes = grow(e->footnotes, e->n_footnotes, sizeof *e->footnotes);
  mandat_footnote *f = &e->footnotes[e->n_footnotes++];
  memset(f, 0, sizeof *f);
  return f;
}

mandat_citation *entity_add_citation(mandat_entity *e) {
  e->citations = grow(e->citations, e->n_citations, sizeof *e->citations);
  mandat_citation *c = &e->citations[e->n_citations++];
  memset(c, 0, sizeof *c);
  return c;
}

mandat_subparagraph *para_add_sub(mandat_paragraph *p) {
  p->subs = grow(p->subs, p->n_subs, sizeof *p->subs);
  mandat_subparagraph *s = &p->subs[p->n_subs++];
  memset(s, 0, sizeof *s);
  return s;
}

void para_add_note(mandat_paragraph *p, int n) {
  for (size_t i = 0; i < p->n_notes; i++)
    if (p->notes[i] == n) return;
  p->notes = grow(p->notes, p->n_notes, sizeof *p->notes);
  p->notes[p->n_notes++] = n;
}

mandat_clause *para_add_clause(mandat_paragraph *p) {
  p->clauses = grow(p->clauses, p->n_clauses, sizeof *p->clauses);
  mandat_clause *c = &p->clauses[p->n_clauses++];
  memset(c, 0, sizeof *c);
  return c;
}

mandat_addressee *clause_add_addressee(mandat_clause *c) {
  c->addressees = grow(c->addressees, c->n_addressees, sizeof *c->addressees);
  mandat_addressee *a = &c->addressees[c->n_addressees++];
  memset(a, 0, sizeof *a);
  return a;
}

void clause_add_condition(mandat_clause *c, const char *s) {
  c->conditions = grow(c->conditions, c->n_conditions, sizeof *c->conditions);
  c->conditions[c->n_conditions++] = s;
}

static void free_paras(mandat_paragraph *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].notes);
    free(v[i].subs);
    for (size_t k = 0; k < v[i].n_clauses; k++) {
      free(v[i].clauses[k].addressees);
      free(v[i].clauses[k].conditions);
    }
    free(v[i].clauses);
  }
  free(v);
}

void mandat_doc_free(mandat_doc *d) {
  if (!d) return;
  for (size_t i = 0; i < d->n_ents; i++) {
    mandat_entity *e = &d->ents[i];
    free_paras(e->preamble, e->n_preamble);
    free_paras(e->operative, e->n_operative);
    free(e->footnotes);
    free(e->citations);
  }
  free(d->ents);
  for (size_t i = 0; i < d->n_strs; i++) free(d->strs[i]);
  free(d->strs);
  free(d);
}

const char *mandat_doc_file(const mandat_doc *d) { return d->file; }
const char *mandat_doc_sha256(const mandat_doc *d) { return d->sha256; }
mandat_format mandat_doc_format(const mandat_doc *d) { return d->format; }
const char *mandat_doc_language(const mandat_doc *d) { return d->lex ? d->lex->lang : NULL; }
int mandat_doc_line_count(const mandat_doc *d) { return d->lines; }
size_t mandat_doc_entity_count(const mandat_doc *d) { return d->n_ents; }
const mandat_entity *mandat_doc_entity(const mandat_doc *d, size_t i) {
  return i < d->n_ents ? &d->ents[i] : NULL;
}

mandat_status error_set(mandat_error *err, mandat_status st, const char *file, int line,
                        const char *reason) {
  if (err) {
    err->status = st;
    err->line = line;
    if (file) snprintf(err->file, sizeof err->file, "%s", file);
    snprintf(err->reason, sizeof err->reason, "%s", reason ? reason : mandat_strerror(st));
  }
  return st;
}

const char *mandat_strerror(mandat_status st) {
  switch (st) {
  case MANDAT_OK: return "success";
  case MANDAT_ERR_IO: return "cannot read file";
  case MANDAT_ERR_EMPTY: return "empty file";
  case MANDAT_ERR_BINARY: return "binary file, not text";
  case MANDAT_ERR_UTF8: return "invalid UTF-8";
  case MANDAT_ERR_TOO_LARGE: return "file too large";
  case MANDAT_ERR_FORMAT: return "unreadable format";
  case MANDAT_ERR_NO_RESOLUTION: return "no resolution found";
  case MANDAT_ERR_TRUNCATED: return "truncated resolution";
  case MANDAT_ERR_USAGE: return "usage error";
  }
  return "unknown error";
}

const char *mandat_force_name(mandat_force f) {
  static const char *const names[] = {NULL,          "decision",        "request",
                                      "urge",        "invitation",      "recommendation",
                                      "endorsement", "acknowledgement", "affirmation",
                                      "other"};
  return (unsigned)f < sizeof names / sizeof *names ? names[f] : NULL;
}

bool mandat_clause_is_mandate(const mandat_clause *c) {
  return c->n_addressees > 0 || c->force == MANDAT_FORCE_REQUEST || c->force == MANDAT_FORCE_URGE ||
         c->force == MANDAT_FORCE_INVITATION || c->force == MANDAT_FORCE_RECOMMENDATION;
}

const char *mandat_format_name(mandat_format f) {
  static const char *const names[] = {"text", "markdown", "html", "pdf"};
  return (unsigned)f < 4 ? names[f] : "text";
}

const char *mandat_entity_kind_name(mandat_entity_kind k) {
  static const char *const names[] = {"resolution", "draft_resolution", "decision", "declaration",
                                      "annex"};
  return (unsigned)k < 5 ? names[k] : "resolution";
}

const char *mandat_cite_kind_name(mandat_cite_kind k) {
  static const char *const names[] = {"resolution", "decision", "document", "treaty"};
  return (unsigned)k < 4 ? names[k] : "document";
}
