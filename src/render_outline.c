/* render_outline.c: the readable outline of `mandat parse` (default output). */
#include <string.h>

#include "buf.h"
#include "render.h"

/* Print at most `max` bytes of s, cut at a UTF-8 boundary, with an ellipsis. */
static void excerpt(FILE *f, const char *s, size_t max) {
  size_t n = strlen(s), k = utf8_cut(s, n, max);
  fwrite(s, 1, k, f);
  if (k < n) fputs("…", f);
}

static size_t clause_count(const mandat_entity *e) {
  size_t n = 0;
  for (size_t i = 0; i < e->n_operative; i++) n += e->operative[i].n_clauses;
  return n;
}

static void para_line(FILE *f, const mandat_paragraph *p) {
  char tag[32];
  if (p->kind == MANDAT_PARA_PREAMBLE) snprintf(tag, sizeof tag, "PP%d", p->n);
  else snprintf(tag, sizeof tag, "OP%s", p->number ? p->number : "-");
  fprintf(f, "    %-8s %5d-%-5d ", tag, p->lines.first, p->lines.last);
  if (p->kind == MANDAT_PARA_PREAMBLE) {
    fprintf(f, "%s", p->opening ? p->opening : "");
    if (p->opening && strlen(p->text) > strlen(p->opening)) {
      fputs(" ", f);
      excerpt(f, p->text + strlen(p->opening) + (p->text[strlen(p->opening)] == ' '), 60);
    }
  } else {
    excerpt(f, p->text, 80);
  }
  if (p->n_subs) fprintf(f, "  [%zu sub-paragraphs]", p->n_subs);
  fputc('\n', f);
}

void render_outline_head(const mandat_doc *d, FILE *f) {
  fprintf(f, "%s  (%s, %s, %d lines)\n", mandat_doc_file(d),
          mandat_format_name(mandat_doc_format(d)), mandat_doc_language(d) ? mandat_doc_language(d) : "?",
          mandat_doc_line_count(d));
}

void render_outline(const mandat_doc *d, bool brief, FILE *f) {
  render_outline_head(d, f);
  render_outline_entities(d, brief, f);
}

void render_outline_entities(const mandat_doc *d, bool brief, FILE *f) {
  for (size_t i = 0; i < mandat_doc_entity_count(d); i++) {
    const mandat_entity *e = mandat_doc_entity(d, i);
    fprintf(f, "  %s %s %s", e->id, mandat_entity_kind_name(e->kind), e->symbol ? e->symbol : "(no symbol)");
    if (e->parent >= 0) fprintf(f, "  in %s", mandat_doc_entity(d, (size_t)e->parent)->id);
    if (e->organ) fprintf(f, "  %s", e->organ);
    if (e->session) fprintf(f, "  session %s", e->session);
    if (e->adoption_date) fprintf(f, "  adopted %s", e->adoption_date);
    if (e->meeting) fprintf(f, "  (%s)", e->meeting);
    fputc('\n', f);
    if (e->title) {
      fputs("    « ", f);
      excerpt(f, e->title, 110);
      fputs(" »\n", f);
    }
    if (e->agenda_number || e->agenda_title)
      fprintf(f, "    agenda item %s%s%s\n", e->agenda_number ? e->agenda_number : "?",
              e->agenda_title ? ": " : "", e->agenda_title ? e->agenda_title : "");
    fprintf(f, "    lines %d-%d: %zu preambular, %zu operative, %zu clauses, %zu footnotes, %zu citations\n",
            e->lines.first, e->lines.last, e->n_preamble, e->n_operative, clause_count(e),
            e->n_footnotes, e->n_citations);
    size_t show = brief ? 3 : (size_t)-1;
    for (size_t k = 0; k < e->n_preamble && k < show; k++) para_line(f, &e->preamble[k]);
    if (brief && e->n_preamble > show) fprintf(f, "    … %zu more preambular\n", e->n_preamble - show);
    for (size_t k = 0; k < e->n_operative && k < show; k++) para_line(f, &e->operative[k]);
    if (brief && e->n_operative > show) fprintf(f, "    … %zu more operative\n", e->n_operative - show);
  }
}
