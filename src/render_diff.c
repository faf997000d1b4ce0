/* render_diff.c: a diff and a lineage as terminal text (inline or side by side, with
 * or without ANSI colours), JSON, and one self-contained HTML page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "render.h"

static const char *part_name(int k) { return k ? "operative" : "preamble"; }

#define RED "\033[31m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define CYAN "\033[36m"
#define YELLOW "\033[33m"
#define OFF "\033[0m"

static const char *label_of(const cmp_version *v, int k, int i) { return i >= 0 ? v->part[k][i].label : "-"; }

/* ---------------------------------------------------------------- text */

static void put_piece(FILE *f, const wd_piece *p, int color) {
  /* the blanks after a changed run stay outside its markers */
  size_t n = p->n;
  while (n && (p->s[n - 1] == ' ' || p->s[n - 1] == '\n')) n--;
  if (!n && p->op == WD_DEL) return; /* blanks only: shown once, from the new text */
  if (p->op == WD_EQ || !n) fwrite(p->s, 1, p->n, f);
  else {
    if (color) fputs(p->op == WD_DEL ? RED "\033[9m" : GREEN, f);
    else fputs(p->op == WD_DEL ? "[-" : "{+", f);
    fwrite(p->s, 1, n, f);
    if (color) fputs(OFF, f);
    else fputs(p->op == WD_DEL ? "-]" : "+}", f);
    fwrite(p->s + n, 1, p->n - n, f);
  }
}

/* A cell of a side-by-side column: one byte and whether it is changed. */
typedef struct {
  char *b;
  unsigned char *mark; /* 0 same, 1 changed */
  size_t n, cap;
} cells;

static void cells_put(cells *c, const char *s, size_t n, unsigned char m) {
  for (size_t i = 0; i < n; i++) {
    if (c->n == c->cap) {
      c->cap = c->cap ? c->cap * 2 : 256;
      c->b = xrealloc(c->b, c->cap);
      c->mark = xrealloc(c->mark, c->cap);
    }
    c->b[c->n] = s[i] == '\n' ? ' ' : s[i];
    c->mark[c->n++] = m;
  }
}

/* Cut [from, n) into a line of at most w code points, breaking at a blank when one
 * is near; returns the end offset. */
static size_t wrap(const cells *c, size_t from, int w) {
  size_t i = from, last_blank = 0;
  int cols = 0;
  while (i < c->n && cols < w) {
    if (c->b[i] == ' ') last_blank = i;
    i++;
    while (i < c->n && ((unsigned char)c->b[i] & 0xC0) == 0x80) i++;
    cols++;
  }
  if (i < c->n && last_blank > from) return last_blank + 1;
  return i;
}

static void put_cells(FILE *f, const cells *c, size_t a, size_t b, int w, int color, int ins) {
  int cols = 0;
  unsigned char cur = 0;
  for (size_t i = a; i < b; i++) {
    if (c->mark[i] != cur) {
      cur = c->mark[i];
      if (color) fputs(cur ? (ins ? GREEN : RED) : OFF, f);
      else fputs(cur ? (ins ? "{+" : "[-") : (ins ? "+}" : "-]"), f);
      if (!color) cols += 2;
    }
    fputc(c->b[i], f);
    if (((unsigned char)c->b[i] & 0xC0) != 0x80) cols++;
  }
  if (cur) {
    if (color) fputs(OFF, f);
    else fputs(ins ? "+}" : "-]", f), cols += 2;
  }
  for (; cols < w; cols++) fputc(' ', f);
}

static void side_by_side(FILE *f, const char *a, const char *b, const wd_result *wd, int width, int color) {
  cells L = {0}, R = {0};
  if (wd) {
    for (size_t i = 0; i < wd->n; i++) {
      const wd_piece *p = &wd->v[i];
      if (p->op != WD_INS) cells_put(&L, p->s, p->n, p->op == WD_DEL);
      if (p->op != WD_DEL) cells_put(&R, p->s, p->n, p->op == WD_INS);
    }
  } else {
    if (a) cells_put(&L, a, strlen(a), 1);
    if (b) cells_put(&R, b, strlen(b), 1);
  }
  int w = (width - 3) / 2;
  if (w < 20) w = 20;
  /* markers take room in plain text: keep a margin */
  int tw = color ? w : w - 4;
  size_t i = 0, j = 0;
  while (i < L.n || j < R.n) {
    size_t ei = wrap(&L, i, tw), ej = wrap(&R, j, tw);
    fputs("    ", f);
    put_cells(f, &L, i, ei, w, color, 0);
    fputs(" | ", f);
    put_cells(f, &R, j, ej, 0, color, 1);
    fputc('\n', f);
    i = ei, j = ej;
  }
  free(L.b), free(L.mark), free(R.b), free(R.mark);
}

static void text_change(FILE *f, const cmp_diff *d, const mandate_change *c, int color) {
  char where[64];
  const char *o = c->old_p >= 0 ? d->old->part[c->part][c->old_p].label : NULL;
  const char *n = c->new_p >= 0 ? d->nw->part[c->part][c->new_p].label : NULL;
  if (o && n) snprintf(where, sizeof where, "%s ← %s", n, o);
  else snprintf(where, sizeof where, "%s", n ? n : o);
  fprintf(f, "  %-16s %s%-18s%s", where, color ? BOLD : "", mc_kind_name(c->kind), color ? OFF : "");
  if (c->from && c->to) fprintf(f, " %s → %s", c->from, c->to);
  else if (c->to) fprintf(f, " %s", c->to);
  else if (c->from) fprintf(f, " %s", c->from);
  fputc('\n', f);
}

void render_diff_text(FILE *f, const cmp_diff *d, const render_diff_opts *o) {
  int color = o->color;
  fprintf(f, "%s%s → %s%s\n", color ? BOLD : "", d->old->name, d->nw->name, color ? OFF : "");
  for (int k = 0; k < 2; k++) {
    const align_result *r = &d->part[k];
    int count[7] = {0};
    for (size_t l = 0; l < r->n; l++) count[r->links[l].rel]++;
    fprintf(f, "%s: %zu → %zu paragraphs:", part_name(k), d->old->n[k], d->nw->n[k]);
    for (int x = 0; x < 7; x++)
      if (count[x]) fprintf(f, " %d %s", count[x], align_relation_name((align_relation)x));
    fputc('\n', f);
  }
  for (int k = 0; k < 2; k++) {
    const align_result *r = &d->part[k];
    fprintf(f, "\n%s== %s%s\n", color ? BOLD : "", part_name(k), color ? OFF : "");
    for (size_t l = 0; l < r->n; l++) {
      const align_link *x = &r->links[l];
      if (x->rel == ALIGN_UNCHANGED && !o->all) continue;
      const char *a = x->old_i >= 0 ? d->old->part[k][x->old_i].text : NULL;
      const char *b = x->new_i >= 0 ? d->nw->part[k][x->new_i].text : NULL;
      const char *col = x->rel == ALIGN_ADDED ? GREEN : x->rel == ALIGN_DROPPED ? RED
                        : x->rel == ALIGN_UNCHANGED ? DIM : x->rel == ALIGN_CHANGED ? YELLOW : CYAN;
      fprintf(f, "%s%-9s ← %-9s %s", color ? col : "", label_of(d->nw, k, x->new_i),
              label_of(d->old, k, x->old_i), align_relation_name(x->rel));
      if (x->old_i >= 0 && x->new_i >= 0) fprintf(f, " %.2f", x->sim);
      fprintf(f, "%s\n", color ? OFF : "");
      wd_result wd = {0};
      int have = a && b && x->edited;
      if (have) wd_diff(a, b, &wd);
      if (o->side_by_side) {
        side_by_side(f, a, b, have ? &wd : NULL, o->width, color);
      } else {
        fputs("    ", f);
        if (have)
          for (size_t i = 0; i < wd.n; i++) put_piece(f, &wd.v[i], color);
        else if (x->rel == ALIGN_UNCHANGED) fputs(b, f);
        else {
          wd_piece p = {b ? WD_INS : WD_DEL, b ? b : a, strlen(b ? b : a)};
          put_piece(f, &p, color);
        }
        fputc('\n', f);
      }
      wd_free(&wd);
    }
  }
  fprintf(f, "\n%s== mandate changes (%zu)%s\n", color ? BOLD : "", d->n_changes, color ? OFF : "");
  for (size_t i = 0; i < d->n_changes; i++) text_change(f, d, &d->changes[i], color);
}

/* ---------------------------------------------------------------- JSON */

static void jstr(FILE *f, const char *s) {
  mandat_buf b = {0};
  json_str(&b, s);
  fputs(buf_cstr(&b), f);
  buf_free(&b);
}

static void jstrn(FILE *f, const char *s, size_t n) {
  char *t = xstrndup(s, n);
  jstr(f, t);
  free(t);
}

static void json_version(FILE *f, const cmp_version *v) {
  fputs("{\"name\":", f), jstr(f, v->name);
  fputs(",\"title\":", f), jstr(f, v->title);
  fputs(",\"date\":", f), jstr(f, v->date);
  fputc('}', f);
}

void render_diff_json(FILE *f, const cmp_diff *d) {
  fputs("{\"schema\":\"mandat.diff/1\",\"old\":", f);
  json_version(f, d->old);
  fputs(",\"new\":", f);
  json_version(f, d->nw);
  fputs(",\"summary\":{", f);
  for (int k = 0; k < 2; k++) {
    int count[7] = {0};
    for (size_t l = 0; l < d->part[k].n; l++) count[d->part[k].links[l].rel]++;
    fprintf(f, "%s\"%s\":{", k ? "," : "", part_name(k));
    for (int x = 0; x < 7; x++) fprintf(f, "%s\"%s\":%d", x ? "," : "", align_relation_name((align_relation)x), count[x]);
    fputc('}', f);
  }
  fputs("},\"paragraphs\":[", f);
  int first = 1;
  for (int k = 0; k < 2; k++)
    for (size_t l = 0; l < d->part[k].n; l++) {
      const align_link *x = &d->part[k].links[l];
      const char *a = x->old_i >= 0 ? d->old->part[k][x->old_i].text : NULL;
      const char *b = x->new_i >= 0 ? d->nw->part[k][x->new_i].text : NULL;
      fprintf(f, "%s\n{\"part\":\"%s\",\"old\":", first ? "" : ",", part_name(k));
      first = 0;
      if (x->old_i >= 0) jstr(f, d->old->part[k][x->old_i].label);
      else fputs("null", f);
      fputs(",\"new\":", f);
      if (x->new_i >= 0) jstr(f, d->nw->part[k][x->new_i].label);
      else fputs("null", f);
      fprintf(f, ",\"relation\":\"%s\"", align_relation_name(x->rel));
      if (a && b) fprintf(f, ",\"similarity\":%.3f,\"edited\":%s", x->sim, x->edited ? "true" : "false");
      if (a && b && x->edited) {
        wd_result wd;
        wd_diff(a, b, &wd);
        fputs(",\"words\":[", f);
        for (size_t i = 0; i < wd.n; i++) {
          static const char *const ops[] = {"=", "-", "+"};
          fprintf(f, "%s[\"%s\",", i ? "," : "", ops[wd.v[i].op]);
          jstrn(f, wd.v[i].s, wd.v[i].n);
          fputc(']', f);
        }
        fputc(']', f);
        wd_free(&wd);
      } else {
        fputs(",\"text\":", f);
        jstr(f, b ? b : a);
      }
      fputc('}', f);
    }
  fputs("\n],\"mandate_changes\":[", f);
  for (size_t i = 0; i < d->n_changes; i++) {
    const mandate_change *c = &d->changes[i];
    fprintf(f, "%s\n{\"kind\":\"%s\",\"part\":\"%s\",\"old\":", i ? "," : "", mc_kind_name(c->kind), part_name(c->part));
    if (c->old_p >= 0) jstr(f, d->old->part[c->part][c->old_p].label);
    else fputs("null", f);
    fputs(",\"new\":", f);
    if (c->new_p >= 0) jstr(f, d->nw->part[c->part][c->new_p].label);
    else fputs("null", f);
    fprintf(f, ",\"old_clause\":%d,\"new_clause\":%d,\"from\":", c->old_c + 1, c->new_c + 1);
    jstr(f, c->from);
    fputs(",\"to\":", f);
    jstr(f, c->to);
    fputc('}', f);
  }
  fputs("\n]}\n", f);
}

/* ---------------------------------------------------------------- HTML */

static void hesc(FILE *f, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    switch (s[i]) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(s[i], f);
    }
  }
}

static void hs(FILE *f, const char *s) {
  if (s) hesc(f, s, strlen(s));
}

static const char *css =
    "body{font:15px/1.5 system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.4em}table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;"
    "padding:.4em;vertical-align:top;text-align:left}th{background:#f4f4f4}del{background:#fdd;color:#900}"
    "ins{background:#dfd;color:#060;text-decoration:none}.rel{white-space:nowrap;font-size:.85em}"
    ".added{background:#f3fff3}.dropped{background:#fff3f3}.moved,.split,.merged{background:#f3f8ff}"
    ".lab{white-space:nowrap;font-weight:600}.sum{color:#555}";

static void html_head(FILE *f, const char *title) {
  fputs("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>", f);
  hs(f, title);
  fprintf(f, "</title><style>%s</style></head><body>\n", css);
}

void render_diff_html(FILE *f, const cmp_diff *d) {
  char t[512];
  snprintf(t, sizeof t, "%s → %s", d->old->name, d->nw->name);
  html_head(f, t);
  fputs("<h1>", f), hs(f, t), fputs("</h1>\n<p class=\"sum\">", f);
  hs(f, d->nw->title);
  fputs("</p>\n", f);
  for (int k = 0; k < 2; k++) {
    fprintf(f, "<h2>%s</h2>\n<table><tr><th>new</th><th>old</th><th>relation</th><th>text</th></tr>\n",
            k ? "Operative paragraphs" : "Preambular paragraphs");
    for (size_t l = 0; l < d->part[k].n; l++) {
      const align_link *x = &d->part[k].links[l];
      const char *a = x->old_i >= 0 ? d->old->part[k][x->old_i].text : NULL;
      const char *b = x->new_i >= 0 ? d->nw->part[k][x->new_i].text : NULL;
      fprintf(f, "<tr class=\"%s\"><td class=\"lab\">", align_relation_name(x->rel));
      hs(f, label_of(d->nw, k, x->new_i));
      fputs("</td><td class=\"lab\">", f);
      hs(f, label_of(d->old, k, x->old_i));
      fprintf(f, "</td><td class=\"rel\">%s", align_relation_name(x->rel));
      if (a && b) fprintf(f, " %.2f", x->sim);
      fputs("</td><td>", f);
      if (a && b && x->edited) {
        wd_result wd;
        wd_diff(a, b, &wd);
        for (size_t i = 0; i < wd.n; i++) {
          int blank = strspn(wd.v[i].s, " \n") >= wd.v[i].n;
          if (blank && wd.v[i].op == WD_DEL) continue;
          const char *tag = blank ? NULL : wd.v[i].op == WD_DEL ? "del" : wd.v[i].op == WD_INS ? "ins" : NULL;
          if (tag) fprintf(f, "<%s>", tag);
          hesc(f, wd.v[i].s, wd.v[i].n);
          if (tag) fprintf(f, "</%s>", tag);
        }
        wd_free(&wd);
      } else {
        const char *tag = !a ? "ins" : !b ? "del" : NULL;
        if (tag) fprintf(f, "<%s>", tag);
        hs(f, b ? b : a);
        if (tag) fprintf(f, "</%s>", tag);
      }
      fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
  }
  fprintf(f, "<h2>Mandate changes (%zu)</h2>\n<table><tr><th>where</th><th>change</th><th>from</th><th>to</th></tr>\n",
          d->n_changes);
  for (size_t i = 0; i < d->n_changes; i++) {
    const mandate_change *c = &d->changes[i];
    fputs("<tr><td class=\"lab\">", f);
    if (c->new_p >= 0) hs(f, d->nw->part[c->part][c->new_p].label);
    if (c->new_p >= 0 && c->old_p >= 0) fputs(" ← ", f);
    if (c->old_p >= 0) hs(f, d->old->part[c->part][c->old_p].label);
    fprintf(f, "</td><td>%s</td><td>", mc_kind_name(c->kind));
    hs(f, c->from);
    fputs("</td><td>", f);
    hs(f, c->to);
    fputs("</td></tr>\n", f);
  }
  fputs("</table>\n</body></html>\n", f);
}

/* ------------------------------------------------------------- lineage */

static void versions_mask(FILE *f, const cmp_lineage *l, unsigned m) {
  int any = 0;
  for (size_t t = 1; t < l->n; t++)
    if (m & (1u << t)) fprintf(f, "%s%s", any++ ? "," : "", l->v[t]->name);
  if (!any) fputc('-', f);
}

void render_lineage_text(FILE *f, const cmp_lineage *l, const render_diff_opts *o) {
  const cmp_version *last = l->v[l->n - 1];
  fprintf(f, "%sseries:%s", o->color ? BOLD : "", o->color ? OFF : "");
  for (size_t t = 0; t < l->n; t++)
    fprintf(f, " %s%s%s%s", t ? "→ " : "", l->v[t]->name, l->v[t]->date ? " " : "", l->v[t]->date ? l->v[t]->date : "");
  fputc('\n', f);
  fprintf(f, "\n%-9s %-20s %-s\n", "paragraph", "first in", "changed in  (labels through the series)");
  for (size_t i = 0; i < l->n_paras; i++) {
    const lineage_para *p = &l->paras[i];
    fprintf(f, "%-9s %-20s ", last->part[p->part][p->p].label, l->v[p->first]->name);
    versions_mask(f, l, p->changed);
    fputs("  (", f);
    for (size_t t = 0; t < l->n; t++)
      fprintf(f, "%s%s", t ? " " : "", p->labels_at[t] >= 0 ? l->v[t]->part[p->part][p->labels_at[t]].label : "·");
    fputs(")\n", f);
  }
  fprintf(f, "\n%-14s %-20s %-20s %s\n", "mandate", "first in", "last in", "changed in");
  for (size_t i = 0; i < l->n_mandates; i++) {
    const lineage_mandate *m = &l->mandates[i];
    const cmp_version *v = l->v[m->last];
    const cmp_clause *c = &v->part[m->part][m->p].clauses[m->c];
    char where[48];
    snprintf(where, sizeof where, "%s.%d", v->part[m->part][m->p].label, m->c + 1);
    int gone = m->last != (int)l->n - 1;
    fprintf(f, "%s%-14s %-20s %-20s ", gone && o->color ? RED : "", where, l->v[m->first]->name,
            gone ? v->name : "(current)");
    versions_mask(f, l, m->changed);
    fprintf(f, "  %s → %s%s\n", c->verb, *c->addressees ? c->addressees : "-", gone && o->color ? OFF : "");
  }
}

void render_lineage_json(FILE *f, const cmp_lineage *l) {
  const cmp_version *last = l->v[l->n - 1];
  fputs("{\"schema\":\"mandat.lineage/1\",\"versions\":[", f);
  for (size_t t = 0; t < l->n; t++) {
    if (t) fputc(',', f);
    json_version(f, l->v[t]);
  }
  fputs("],\"paragraphs\":[", f);
  for (size_t i = 0; i < l->n_paras; i++) {
    const lineage_para *p = &l->paras[i];
    fprintf(f, "%s\n{\"part\":\"%s\",\"label\":", i ? "," : "", part_name(p->part));
    jstr(f, last->part[p->part][p->p].label);
    fputs(",\"first\":", f);
    jstr(f, l->v[p->first]->name);
    fputs(",\"changed_in\":[", f);
    int any = 0;
    for (size_t t = 1; t < l->n; t++)
      if (p->changed & (1u << t)) fprintf(f, "%s", any++ ? "," : ""), jstr(f, l->v[t]->name);
    fputs("],\"labels\":[", f);
    for (size_t t = 0; t < l->n; t++) {
      if (t) fputc(',', f);
      if (p->labels_at[t] >= 0) jstr(f, l->v[t]->part[p->part][p->labels_at[t]].label);
      else fputs("null", f);
    }
    fputs("]}", f);
  }
  fputs("\n],\"mandates\":[", f);
  for (size_t i = 0; i < l->n_mandates; i++) {
    const lineage_mandate *m = &l->mandates[i];
    const cmp_version *v = l->v[m->last];
    const cmp_clause *c = &v->part[m->part][m->p].clauses[m->c];
    fprintf(f, "%s\n{\"paragraph\":", i ? "," : "");
    jstr(f, v->part[m->part][m->p].label);
    fprintf(f, ",\"clause\":%d,\"verb\":", m->c + 1);
    jstr(f, c->verb);
    fputs(",\"addressees\":", f);
    jstr(f, c->addressees);
    fputs(",\"first\":", f);
    jstr(f, l->v[m->first]->name);
    fputs(",\"last\":", f);
    jstr(f, v->name);
    fprintf(f, ",\"current\":%s,\"changed_in\":[", m->last == (int)l->n - 1 ? "true" : "false");
    int any = 0;
    for (size_t t = 1; t < l->n; t++)
      if (m->changed & (1u << t)) fprintf(f, "%s", any++ ? "," : ""), jstr(f, l->v[t]->name);
    fputs("]}", f);
  }
  fputs("\n]}\n", f);
}

void render_lineage_html(FILE *f, const cmp_lineage *l) {
  const cmp_version *last = l->v[l->n - 1];
  html_head(f, "lineage");
  fputs("<h1>Lineage</h1>\n<p class=\"sum\">", f);
  for (size_t t = 0; t < l->n; t++) {
    if (t) fputs(" → ", f);
    hs(f, l->v[t]->name);
  }
  fputs("</p>\n<h2>Paragraphs of the newest version</h2>\n<table><tr><th>paragraph</th><th>first in</th><th>changed in</th>", f);
  for (size_t t = 0; t < l->n; t++) fputs("<th>", f), hs(f, l->v[t]->name), fputs("</th>", f);
  fputs("<th>text</th></tr>\n", f);
  for (size_t i = 0; i < l->n_paras; i++) {
    const lineage_para *p = &l->paras[i];
    fputs("<tr><td class=\"lab\">", f), hs(f, last->part[p->part][p->p].label);
    fputs("</td><td>", f), hs(f, l->v[p->first]->name), fputs("</td><td>", f);
    for (size_t t = 1; t < l->n; t++)
      if (p->changed & (1u << t)) hs(f, l->v[t]->name), fputs(" ", f);
    fputs("</td>", f);
    for (size_t t = 0; t < l->n; t++) {
      fputs("<td class=\"lab\">", f);
      if (p->labels_at[t] >= 0) hs(f, l->v[t]->part[p->part][p->labels_at[t]].label);
      fputs("</td>", f);
    }
    fputs("<td>", f), hs(f, last->part[p->part][p->p].text), fputs("</td></tr>\n", f);
  }
  fputs("</table>\n<h2>Mandates</h2>\n<table><tr><th>paragraph</th><th>verb</th><th>addressees</th><th>first in</th><th>last in</th><th>changed in</th></tr>\n", f);
  for (size_t i = 0; i < l->n_mandates; i++) {
    const lineage_mandate *m = &l->mandates[i];
    const cmp_version *v = l->v[m->last];
    const cmp_clause *c = &v->part[m->part][m->p].clauses[m->c];
    fprintf(f, "<tr class=\"%s\"><td class=\"lab\">", m->last == (int)l->n - 1 ? "" : "dropped");
    hs(f, v->part[m->part][m->p].label);
    fputs("</td><td>", f), hs(f, c->verb), fputs("</td><td>", f), hs(f, c->addressees);
    fputs("</td><td>", f), hs(f, l->v[m->first]->name), fputs("</td><td>", f), hs(f, v->name);
    fputs("</td><td>", f);
    for (size_t t = 1; t < l->n; t++)
      if (m->changed & (1u << t)) hs(f, l->v[t]->name), fputs(" ", f);
    fputs("</td></tr>\n", f);
  }
  fputs("</table>\n</body></html>\n", f);
}
