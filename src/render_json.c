/* render_json.c: `mandat parse --json`, the version-1 contract (docs/parse-json.md). */
#include <string.h>

#include "render.h"

/* Bytes a JSON string cannot hold as they are: controls (and the NUL that ends
 * the C string), the quotation mark and the backslash. */
static const unsigned char json_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1};

void json_str(mandat_buf *out, const char *s) {
  if (!s) {
    buf_puts(out, "null");
    return;
  }
  buf_putc(out, '"');
  const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
  while (p < end) {
    /* runs of bytes that need no escape go out in one copy, found 8 bytes a step */
    const unsigned char *q = p;
    while (q + 8 <= end) {
      uint64_t x = load8(q);
      if (bytes_lt(x, 0x20) | bytes_eq(x, '"') | bytes_eq(x, '\\')) break;
      q += 8;
    }
    while (q < end && !json_escape[*q]) q++;
    buf_put(out, (const char *)p, (size_t)(q - p));
    if (q == end) break;
    switch (*q) {
    case '"': buf_puts(out, "\\\""); break;
    case '\\': buf_puts(out, "\\\\"); break;
    case '\n': buf_puts(out, "\\n"); break;
    case '\r': buf_puts(out, "\\r"); break;
    case '\t': buf_puts(out, "\\t"); break;
    default: buf_printf(out, "\\u%04x", *q);
    }
    p = q + 1;
  }
  buf_putc(out, '"');
}

static void key(mandat_buf *o, const char *k) {
  json_str(o, k);
  buf_putc(o, ':');
}

static void span(mandat_buf *o, mandat_span s) { buf_printf(o, "[%d,%d]", s.first, s.last); }

static void clause(mandat_buf *o, const mandat_clause *c) {
  buf_putc(o, '{');
  key(o, "verb"), json_str(o, c->verb), buf_putc(o, ',');
  key(o, "force"), json_str(o, mandat_force_name(c->force)), buf_putc(o, ',');
  key(o, "addressees"), buf_putc(o, '[');
  for (size_t i = 0; i < c->n_addressees; i++) {
    if (i) buf_putc(o, ',');
    buf_putc(o, '{');
    key(o, "id"), json_str(o, c->addressees[i].id), buf_putc(o, ',');
    key(o, "name"), json_str(o, c->addressees[i].name), buf_putc(o, ',');
    key(o, "text"), json_str(o, c->addressees[i].text), buf_putc(o, '}');
  }
  buf_puts(o, "],");
  key(o, "action"), json_str(o, c->action), buf_putc(o, ',');
  key(o, "conditions"), buf_putc(o, '[');
  for (size_t i = 0; i < c->n_conditions; i++) {
    if (i) buf_putc(o, ',');
    json_str(o, c->conditions[i]);
  }
  buf_puts(o, "],");
  key(o, "reporting");
  if (c->has_reporting) {
    buf_putc(o, '{');
    key(o, "to"), json_str(o, c->report_to), buf_putc(o, ',');
    key(o, "session"), json_str(o, c->report_session), buf_putc(o, ',');
    key(o, "date"), json_str(o, c->report_date), buf_putc(o, '}');
  } else {
    buf_puts(o, "null");
  }
  buf_putc(o, '}');
}

static void paragraph(mandat_buf *o, const mandat_paragraph *p) {
  buf_putc(o, '{');
  buf_printf(o, "\"n\":%d,", p->n);
  if (p->kind == MANDAT_PARA_OPERATIVE) key(o, "number"), json_str(o, p->number), buf_putc(o, ',');
  key(o, "lines"), span(o, p->lines), buf_putc(o, ',');
  if (p->kind == MANDAT_PARA_PREAMBLE) key(o, "opening"), json_str(o, p->opening), buf_putc(o, ',');
  key(o, "text"), json_str(o, p->text), buf_putc(o, ',');
  key(o, "notes"), buf_putc(o, '[');
  for (size_t i = 0; i < p->n_notes; i++) buf_printf(o, i ? ",%d" : "%d", p->notes[i]);
  buf_putc(o, ']');
  if (p->kind == MANDAT_PARA_OPERATIVE) {
    buf_putc(o, ',');
    key(o, "subparagraphs"), buf_putc(o, '[');
    for (size_t i = 0; i < p->n_subs; i++) {
      if (i) buf_putc(o, ',');
      buf_putc(o, '{');
      key(o, "label"), json_str(o, p->subs[i].label), buf_putc(o, ',');
      key(o, "lines"), span(o, p->subs[i].lines), buf_putc(o, ',');
      key(o, "text"), json_str(o, p->subs[i].text), buf_putc(o, '}');
    }
    buf_puts(o, "],");
    key(o, "clauses"), buf_putc(o, '[');
    for (size_t i = 0; i < p->n_clauses; i++) {
      if (i) buf_putc(o, ',');
      clause(o, &p->clauses[i]);
    }
    buf_putc(o, ']');
  }
  buf_putc(o, '}');
}

static void paragraphs(mandat_buf *o, const char *name, const mandat_paragraph *v, size_t n) {
  key(o, name), buf_putc(o, '[');
  for (size_t i = 0; i < n; i++) {
    if (i) buf_putc(o, ',');
    paragraph(o, &v[i]);
  }
  buf_putc(o, ']');
}

static void entity(mandat_buf *o, const mandat_doc *d, const mandat_entity *e) {
  buf_putc(o, '{');
  key(o, "id"), json_str(o, e->id), buf_putc(o, ',');
  key(o, "kind"), json_str(o, mandat_entity_kind_name(e->kind)), buf_putc(o, ',');
  key(o, "parent"), json_str(o, e->parent >= 0 ? mandat_doc_entity(d, (size_t)e->parent)->id : NULL);
  buf_putc(o, ',');
  key(o, "symbol"), json_str(o, e->symbol), buf_putc(o, ',');
  key(o, "organ"), json_str(o, e->organ), buf_putc(o, ',');
  key(o, "session"), json_str(o, e->session), buf_putc(o, ',');
  key(o, "adoption_date"), json_str(o, e->adoption_date), buf_putc(o, ',');
  key(o, "meeting"), json_str(o, e->meeting), buf_putc(o, ',');
  key(o, "agenda_item");
  if (e->agenda_number || e->agenda_title) {
    buf_putc(o, '{');
    key(o, "number"), json_str(o, e->agenda_number), buf_putc(o, ',');
    key(o, "title"), json_str(o, e->agenda_title), buf_putc(o, '}');
  } else {
    buf_puts(o, "null");
  }
  buf_putc(o, ',');
  key(o, "title"), json_str(o, e->title), buf_putc(o, ',');
  key(o, "lines"), span(o, e->lines), buf_putc(o, ',');
  paragraphs(o, "preamble", e->preamble, e->n_preamble);
  buf_putc(o, ',');
  paragraphs(o, "operative", e->operative, e->n_operative);
  buf_putc(o, ',');
  key(o, "footnotes"), buf_putc(o, '[');
  for (size_t i = 0; i < e->n_footnotes; i++) {
    if (i) buf_putc(o, ',');
    buf_printf(o, "{\"n\":%d,\"lines\":", e->footnotes[i].n);
    span(o, e->footnotes[i].lines);
    buf_putc(o, ','), key(o, "text"), json_str(o, e->footnotes[i].text), buf_putc(o, '}');
  }
  buf_puts(o, "],");
  key(o, "citations"), buf_putc(o, '[');
  for (size_t i = 0; i < e->n_citations; i++) {
    const mandat_citation *c = &e->citations[i];
    if (i) buf_putc(o, ',');
    buf_putc(o, '{');
    key(o, "kind"), json_str(o, mandat_cite_kind_name(c->kind)), buf_putc(o, ',');
    key(o, "symbol"), json_str(o, c->symbol), buf_putc(o, ',');
    key(o, "as_written"), json_str(o, c->as_written), buf_putc(o, ',');
    key(o, "in"), json_str(o, c->in), buf_putc(o, '}');
  }
  buf_puts(o, "]}");
}

void render_json_head(const mandat_doc *d, mandat_buf *o) {
  buf_puts(o, "{\"schema\":\"mandat.parse/1\",\"source\":{");
  key(o, "file"), json_str(o, mandat_doc_file(d)), buf_putc(o, ',');
  key(o, "sha256"), json_str(o, mandat_doc_sha256(d)), buf_putc(o, ',');
  key(o, "format"), json_str(o, mandat_format_name(mandat_doc_format(d))), buf_putc(o, ',');
  key(o, "language"), json_str(o, mandat_doc_language(d)), buf_putc(o, ',');
  buf_printf(o, "\"lines\":%d},\"entities\":[", mandat_doc_line_count(d));
}

void render_json_entities(const mandat_doc *d, bool first, mandat_buf *o, FILE *f) {
  for (size_t i = 0; i < mandat_doc_entity_count(d); i++) {
    if (i || !first) buf_putc(o, ',');
    entity(o, d, mandat_doc_entity(d, i));
    if (f) {
      fwrite(o->data, 1, o->len, f);
      buf_clear(o);
    }
  }
}

void render_json_tail(mandat_buf *o) { buf_puts(o, "]}"); }

void render_json(const mandat_doc *d, mandat_buf *o) {
  render_json_head(d, o);
  render_json_entities(d, true, o, NULL);
  render_json_tail(o);
}

void render_json_file(const mandat_doc *d, mandat_buf *scratch, FILE *f) {
  buf_clear(scratch);
  render_json_head(d, scratch);
  render_json_entities(d, true, scratch, f);
  render_json_tail(scratch);
  buf_putc(scratch, '\n');
  fwrite(scratch->data, 1, scratch->len, f);
  buf_clear(scratch);
}
