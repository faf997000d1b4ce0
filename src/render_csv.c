/* render_csv.c: RFC 4180 CSV, one row per mandate clause (docs/export.md).  Quotes
 * doubled, fields holding a comma, quote, CR or LF quoted, CRLF line ends. */
#include <stdio.h>
#include <string.h>

#include "export.h"

void csv_field(mandat_buf *out, const char *s) {
  if (!s)
    return;
  if (!strpbrk(s, ",\"\r\n")) {
    buf_puts(out, s);
    return;
  }
  buf_putc(out, '"');
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      buf_putc(out, '"');
    buf_putc(out, *p);
  }
  buf_putc(out, '"');
}

void render_csv_header(mandat_buf *out) {
  buf_puts(out, "symbol,paragraph,verb,force,addressees,action,conditions,reporting_to,"
                "reporting_session,reporting_date,file,line\r\n");
}

/* Addressees by vocabulary id, else short name, else the words as written. */
void csv_join_addressees(mandat_buf *b, const mandat_clause *c) {
  for (size_t i = 0; i < c->n_addressees; i++) {
    const mandat_addressee *a = &c->addressees[i];
    const char *s = a->id ? a->id : a->name ? a->name : a->text;
    if (i)
      buf_puts(b, "; ");
    buf_puts(b, s ? s : "");
  }
}

void csv_join_conditions(mandat_buf *b, const mandat_clause *c) {
  for (size_t i = 0; i < c->n_conditions; i++) {
    if (i)
      buf_puts(b, "; ");
    buf_puts(b, c->conditions[i]);
  }
}

static void row(mandat_buf *out, const mandat_doc *d, const mandat_entity *e,
                const mandat_paragraph *p, const mandat_clause *c, mandat_buf *tmp) {
  char para[48];
  if (p->number)
    snprintf(para, sizeof para, "OP%.40s", p->number);
  else
    snprintf(para, sizeof para, "OP(%d)", p->n);
  csv_field(out, e->symbol), buf_putc(out, ',');
  csv_field(out, para), buf_putc(out, ',');
  csv_field(out, c->verb), buf_putc(out, ',');
  csv_field(out, mandat_force_name(c->force)), buf_putc(out, ',');
  buf_clear(tmp), csv_join_addressees(tmp, c);
  csv_field(out, buf_cstr(tmp)), buf_putc(out, ',');
  csv_field(out, c->action), buf_putc(out, ',');
  buf_clear(tmp), csv_join_conditions(tmp, c);
  csv_field(out, buf_cstr(tmp)), buf_putc(out, ',');
  csv_field(out, c->has_reporting ? c->report_to : NULL), buf_putc(out, ',');
  csv_field(out, c->has_reporting ? c->report_session : NULL), buf_putc(out, ',');
  csv_field(out, c->has_reporting ? c->report_date : NULL), buf_putc(out, ',');
  csv_field(out, mandat_doc_file(d));
  buf_printf(out, ",%d\r\n", p->lines.first);
}

size_t render_csv(const mandat_doc *d, mandat_buf *out) {
  size_t rows = 0;
  mandat_buf tmp = {0};
  for (size_t i = 0; i < mandat_doc_entity_count(d); i++) {
    const mandat_entity *e = mandat_doc_entity(d, i);
    for (size_t k = 0; k < e->n_operative; k++) {
      const mandat_paragraph *p = &e->operative[k];
      for (size_t c = 0; c < p->n_clauses; c++) {
        if (!mandat_clause_is_mandate(&p->clauses[c]))
          continue;
        row(out, d, e, p, &p->clauses[c], &tmp);
        rows++;
      }
    }
  }
  buf_free(&tmp);
  return rows;
}
