/* diff.h: comparing versions of a resolution.  A cmp_version is a self-contained copy
 * of one entity's paragraphs and clauses (from a parsed file or from the registry);
 * cmp_diff aligns two versions (align.h), diffs the words of changed paragraphs and
 * lists the changes that matter to a mandate holder; lineage follows paragraphs and
 * mandates through a series of versions.
 *
 * Ownership: a cmp_version owns all its strings (cmp_version_free).  A cmp_diff and a
 * cmp_lineage borrow the versions they were built from (free them after). */
#ifndef MANDAT_DIFF_H
#define MANDAT_DIFF_H

#include <stddef.h>

#include "align.h"
#include "mandat.h"

typedef struct {
  char *verb;
  mandat_force force;
  char *addressees; /* sorted ids (or names) joined by ", "; "" when none */
  char *action;
  char **conditions;
  size_t n_conditions;
  int has_reporting;
  char *report_to, *report_session; /* or NULL */
  int is_mandate;                   /* mandat_clause_is_mandate */
} cmp_clause;

typedef struct {
  char label[24]; /* "PP3", "OP12", "OP12 bis" */
  char *text;
  cmp_clause *clauses;
  size_t n_clauses, cap_clauses;
  align_feat feat;
} cmp_para;

enum { CMP_PREAMBLE = 0, CMP_OPERATIVE = 1 };

typedef struct {
  char *name;  /* symbol, else the file name */
  char *title; /* or NULL */
  char *date;  /* adoption date, or NULL */
  cmp_para *part[2];
  size_t n[2], cap[2];
} cmp_version;

/* A copy of entity e of a parsed document (file names the source when e has no
 * symbol).  Caller frees with cmp_version_free. */
cmp_version *cmp_version_from_entity(const mandat_entity *e, const char *file);
/* Building a version piece by piece (the registry loader).  Strings are copied. */
cmp_version *cmp_version_new(const char *name, const char *title, const char *date);
cmp_para *cmp_version_add_para(cmp_version *v, int part, const char *label, const char *text);
cmp_clause *cmp_para_add_clause(cmp_para *p, const char *verb, mandat_force force,
                                const char *addressees, const char *action);
void cmp_clause_add_condition(cmp_clause *c, const char *text);
/* Compute the paragraphs' features; call once after the last cmp_version_add_para. */
void cmp_version_finish(cmp_version *v);
void cmp_version_free(cmp_version *v);

/* The entity of d to compare: the one at index `want` (R7 → 6) when want >= 0, else
 * the one whose title is most similar to `title` (when given), else the first
 * resolution or draft with the most operative paragraphs. */
const mandat_entity *cmp_pick_entity(const mandat_doc *d, int want, const char *title);

/* ------------------------------------------------------------ word diff */

typedef enum { WD_EQ, WD_DEL, WD_INS } wd_op;
typedef struct {
  wd_op op;
  const char *s; /* into the old text (EQ, DEL) or the new text (INS) */
  size_t n;
} wd_piece;
typedef struct {
  wd_piece *v;
  size_t n, cap;
} wd_result;

#define WD_MAX_D 6000 /* edit distance beyond which two texts are shown as replaced whole: bounds memory at O(D^2) */

/* Word-level diff of a and b (Myers O((N+M)·D) on word and punctuation tokens; the
 * spaces after a token go with it).  Fills *out; caller frees with wd_free. */
void wd_diff(const char *a, const char *b, wd_result *out);
void wd_free(wd_result *r);

/* -------------------------------------------------- mandate-level changes */

typedef enum {
  MC_MANDATE_ADDED,
  MC_MANDATE_DROPPED,
  MC_ADDRESSEE,
  MC_FORCE,
  MC_REPORTING_ADDED,
  MC_REPORTING_DROPPED,
  MC_REPORTING_CHANGED,
  MC_CONDITION_ADDED,
  MC_CONDITION_DROPPED
} mc_kind;

const char *mc_kind_name(mc_kind k);

/* A clause of the old version matched with one of the new; -1 when absent. */
typedef struct {
  int part;
  int old_p, old_c, new_p, new_c;
} clause_link;

typedef struct {
  mc_kind kind;
  int part;
  int old_p, old_c, new_p, new_c; /* -1 when absent */
  char *from, *to;                /* values (owned), or NULL */
} mandate_change;

typedef struct {
  const cmp_version *old, *nw;
  align_result part[2];
  clause_link *clinks;
  size_t n_clinks, cap_clinks;
  mandate_change *changes;
  size_t n_changes, cap_changes;
} cmp_diff;

/* Compare a (old) and b (new); fills *out.  Caller frees with cmp_diff_free. */
void cmp_diff_run(const cmp_version *a, const cmp_version *b, cmp_diff *out);
void cmp_diff_free(cmp_diff *d);

/* The session phrase of a reporting request (« à sa quatre-vingt-unième session »),
 * from the clause's report_session or its action; malloc'd, or NULL. */
char *cmp_report_session(const cmp_clause *c);

/* ---------------------------------------------------------------- lineage */

/* The history of one paragraph of the newest version. */
typedef struct {
  int part, p;     /* in the newest version */
  int first;       /* index of the version it first appeared in */
  int *labels_at;  /* per version: paragraph index there, -1 when absent */
  unsigned changed; /* bit t: changed on the way into version t */
  unsigned moved;   /* bit t: moved, split or merged on the way into version t */
} lineage_para;

typedef struct {
  int part, p, c; /* clause c of paragraph p of the newest version, or of version `last` */
  int first;      /* version it first appeared in */
  int last;       /* for a gone mandate: last version that carried it; else n-1 */
  unsigned changed; /* bit t: force, addressee, reporting or condition changed into t */
} lineage_mandate;

#define LINEAGE_MAX_VERSIONS 32 /* change sets are 32-bit masks; a series is rarely a dozen */

typedef struct {
  const cmp_version *const *v;
  size_t n; /* versions, oldest first */
  cmp_diff *diffs; /* n - 1: v[t] → v[t+1] */
  lineage_para *paras;
  size_t n_paras;
  lineage_mandate *mandates; /* of the newest version first, then gone ones */
  size_t n_mandates, cap_mandates;
} cmp_lineage;

/* Lineage of v[0..n) (oldest first, 2 <= n <= LINEAGE_MAX_VERSIONS).  Fills *out;
 * caller frees with cmp_lineage_free. */
void cmp_lineage_run(const cmp_version *const *v, size_t n, cmp_lineage *out);
void cmp_lineage_free(cmp_lineage *l);


/* ------------------------------------------- renderers (render_diff.c) */

#include <stdio.h>

typedef struct {
  int color;        /* ANSI colours */
  int side_by_side; /* two columns */
  int width;        /* terminal columns for side by side */
  int all;          /* show unchanged paragraphs too */
} render_diff_opts;

void render_diff_text(FILE *f, const cmp_diff *d, const render_diff_opts *o);
void render_diff_json(FILE *f, const cmp_diff *d);
/* One self-contained page: inline CSS, no script, no external resource; every text
 * escaped. */
void render_diff_html(FILE *f, const cmp_diff *d);

void render_lineage_text(FILE *f, const cmp_lineage *l, const render_diff_opts *o);
void render_lineage_json(FILE *f, const cmp_lineage *l);
void render_lineage_html(FILE *f, const cmp_lineage *l);

/* ------------------------------------------- the registry (lineage.c) */

#include <sqlite3.h>

/* The version of `symbol` in the registry (current documents; the last ingested
 * entity with that symbol), or NULL when absent.  Caller frees (cmp_version_free). */
cmp_version *cmp_version_load(sqlite3 *db, const char *symbol);

#endif
