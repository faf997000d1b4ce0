/* read_html.c: HTML input to lines of text, with libxml2's HTML parser.
 *
 * The page is parsed into a tree (htmlCtxtReadMemory, recovering from broken markup)
 * and the tree is walked once, in document order, without recursion: the walk follows
 * the children / next / parent pointers, so nesting depth costs no C stack.
 *
 * Lines:
 *   - Block elements (p, div, h1-h6, li, tr, table, ul, ol, dl, dd, dt, blockquote,
 *     pre, section, article, center, body, ...) end the current line, and one empty
 *     line (len 0) separates what comes before a block boundary from what comes after,
 *     as blank lines separate paragraphs in markdown.  Boundaries coalesce: nested
 *     blocks give one blank line, never several, and there is no blank line at the
 *     start or the end.
 *   - <br> ends the line without a blank line; a <br> on an empty line (<br><br>)
 *     asks for one blank line.
 *   - td/th are inline, separated from their neighbours by a space.
 *   - Other elements (i, em, b, strong, span, a, font, u, small, ...) are reduced to
 *     their text; whitespace runs collapse to one space, leading and trailing
 *     whitespace of a line is dropped.  In <pre> the text is kept as it is, one output
 *     line per source line (the newline right after <pre> is dropped, as browsers do).
 *   - <sup>X</sup> is kept as the literal text "<sup>X</sup>" (whitespace around X
 *     dropped; an empty <sup> gives nothing), so that the clean stage treats footnote
 *     markers the same way for markdown and HTML.  A <sup> that holds a block (broken
 *     markup: <sup>1<p>...) is not a marker: from the block on its text is plain.
 *   - script, style, head, title, noscript, template, svg, math, iframe, object and
 *     comments give no text.
 *   - Entities are decoded by libxml2; the text is UTF-8.  Bytes that are not valid
 *     UTF-8 (libxml2 passes them through when the page is read as UTF-8) become
 *     U+FFFD, so the lines are always valid UTF-8.
 *
 * Line numbers: each line's src is the source line of the first character of text
 * that contributes to it, exactly as `cat -n` numbers the HTML file.  libxml2 stamps
 * a text node with the parser's line at the time the node is created, which is where
 * the first chunk of the text ENDS, not where it starts.  So the SAX characters
 * callback is wrapped: after the default handler has built the node, the line where
 * the chunk starts (parser line minus the newlines inside the chunk) is stored in
 * the new text node's psvi field, which the HTML parser leaves unused.  Within a text
 * node, the line of a character is that start line plus the newlines before it.
 * page is always 0.
 *
 * Storage: the text of every line is appended to out->store while the tree is
 * walked, and only offsets (into store) are recorded, because store->data may move
 * when it grows.  Once the whole store is built, the lines are pushed with pointers
 * into the final store->data (see push_lines); nothing is appended to store after
 * that.  `out` is expected to be freshly zeroed: pointers of lines already in it that
 * point into out->store would be invalidated by the appends.
 *
 * Ownership: the htmlDocPtr and the parser context are freed here, before returning.
 * On failure nothing is pushed to `out` (out->store may hold nothing of ours).
 */
#include "read.h"
#include "model.h"

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- error reporting ----------------------------------------------------------- */

/* A failure of this reader: the caller names the file. */
static mandat_status fail(mandat_error *err, mandat_status st, const char *reason) {
  return error_set(err, st, NULL, 0, reason);
}

/* ---- encoding -------------------------------------------------------------------- */

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

/* Does s[0..n) start with the lowercase ASCII word w, ignoring case? */
static bool starts_ci(const char *s, size_t n, const char *w) {
  size_t k = strlen(w);
  if (n < k) return false;
  for (size_t i = 0; i < k; i++)
    if (lower((unsigned char)s[i]) != w[i]) return false;
  return true;
}

/* Does the page declare its encoding: a UTF-16 byte-order mark, an XML declaration
 * with encoding="...", or charset= (meta charset, http-equiv content-type) in its
 * first 4 KB?  Then libxml2 must follow the declaration; otherwise the page is read
 * as UTF-8 (libxml2 would guess ISO-8859-1 and turn UTF-8 text into mojibake). */
static bool declares_encoding(const char *buf, size_t len) {
  if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                   ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF)))
    return true;
  size_t n = len < 4096 ? len : 4096;
  if (starts_ci(buf, n, "<?xml")) {
    for (size_t i = 0; i < n && buf[i] != '>'; i++)
      if (starts_ci(buf + i, n - i, "encoding")) return true;
  }
  for (size_t i = 0; i < n; i++) {
    if (!starts_ci(buf + i, n - i, "charset")) continue;
    size_t j = i + 7;
    while (j < n && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r')) j++;
    if (j < n && buf[j] == '=') return true;
  }
  return false;
}

/* ---- line numbers of text nodes ---------------------------------------------------- */

/* SAX characters callback: the default tree builder, then the start line of the chunk
 * on a text node it has just created (see the header comment). */
static void characters_with_line(void *ctx, const xmlChar *ch, int len) {
  xmlParserCtxtPtr ctxt = ctx;
  xmlNodePtr before = ctxt->node ? ctxt->node->last : NULL;
  xmlSAX2Characters(ctx, ch, len);
  xmlNodePtr last = ctxt->node ? ctxt->node->last : NULL;
  if (!last || last->type != XML_TEXT_NODE || last->psvi != NULL) return;
  if (last == before) return; /* appended to an existing node: it has its line */
  long line = ctxt->input ? ctxt->input->line : 0;
  long nl = 0;
  for (int i = 0; i < len; i++)
    if (ch[i] == '\n') nl++;
  /* When the parser flushes a full buffer in the middle of a text, it has not yet
   * consumed (counted) the last character copied, which its cursor still points at. */
  if (nl > 0 && ch[len - 1] == '\n' && ctxt->input && ctxt->input->cur &&
      (*ctxt->input->cur == '\n' || *ctxt->input->cur == '\r'))
    nl--;
  line -= nl;
  if (line < 1) line = 1;
  if (line > INT_MAX) line = INT_MAX;
  last->psvi = (void *)(intptr_t)line;
}

/* ---- the line builder ---------------------------------------------------------------- */

typedef struct {
  size_t off, len;
  int src, src_end; /* first and last source line of the line's text */
} rec;

typedef struct {
  mandat_buf *store;
  rec *v;
  size_t n, cap;
  bool open;          /* a line has begun (it has text, or is a line of a <pre>) */
  size_t cur_off;     /* start of the current line in store */
  int cur_src, cur_last;
  bool pending_space; /* collapsed whitespace after text of the current line */
  bool need_blank;    /* a block boundary since the last line */
  int pre;            /* depth of <pre> */
  bool pre_start;     /* at the very start of a <pre>: drop one newline */
  int sup;            /* depth of <sup> */
  bool sup_open;      /* "<sup>" written, "</sup>" not yet */
  bool sup_void;      /* a block inside <sup>: not a marker, its text is plain */
} builder;

static void add_rec(builder *b, size_t off, size_t len, int src, int src_end) {
  VEC_GROW(b->v, b->n, b->cap);
  b->v[b->n].off = off;
  b->v[b->n].len = len;
  b->v[b->n].src = src;
  b->v[b->n].src_end = src_end > src ? src_end : src;
  b->n++;
}

static void line_begin(builder *b, int src) {
  if (b->open) return;
  if (b->need_blank && b->n > 0) add_rec(b, b->store->len, 0, src, src);
  b->need_blank = false;
  b->open = true;
  b->cur_off = b->store->len;
  b->cur_src = b->cur_last = src;
  b->pending_space = false;
}

static void line_end(builder *b) {
  if (!b->open) return;
  if (b->sup_open) { /* a line break inside <sup>: close it here, reopen after */
    buf_put(b->store, "</sup>", 6);
    b->sup_open = false;
  }
  add_rec(b, b->cur_off, b->store->len - b->cur_off, b->cur_src, b->cur_last);
  b->open = false;
  b->pending_space = false;
}

static void block_boundary(builder *b) {
  line_end(b);
  if (b->sup > 0) b->sup_void = true;
  if (b->n > 0) b->need_blank = true;
}

/* Append valid UTF-8: each byte that does not start a well-formed sequence becomes
 * U+FFFD. */
static void put_utf8(mandat_buf *out, const unsigned char *s, size_t n) {
  size_t i = 0, run = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t k = 0;
    if (c < 0x80) k = 1;
    else if (c >= 0xC2 && c <= 0xDF) k = 2;
    else if (c >= 0xE0 && c <= 0xEF) k = 3;
    else if (c >= 0xF0 && c <= 0xF4) k = 4;
    bool ok = k > 0 && i + k <= n;
    for (size_t j = 1; ok && j < k; j++)
      if ((s[i + j] & 0xC0) != 0x80) ok = false;
    if (ok && k == 3) {
      if (c == 0xE0 && s[i + 1] < 0xA0) ok = false;  /* overlong */
      if (c == 0xED && s[i + 1] >= 0xA0) ok = false; /* surrogate */
    }
    if (ok && k == 4) {
      if (c == 0xF0 && s[i + 1] < 0x90) ok = false; /* overlong */
      if (c == 0xF4 && s[i + 1] >= 0x90) ok = false; /* > U+10FFFF */
    }
    if (ok) {
      i += k;
      run += k;
      continue;
    }
    buf_put(out, (const char *)s + i - run, run);
    buf_put(out, "\xEF\xBF\xBD", 3);
    run = 0;
    i++;
  }
  buf_put(out, (const char *)s + n - run, run);
}

/* Text that is not whitespace, inside a line. */
static void put_text(builder *b, const unsigned char *s, size_t n, int src) {
  line_begin(b, src);
  if (src > b->cur_last) b->cur_last = src;
  if (b->pending_space && b->store->len > b->cur_off) buf_putc(b->store, ' ');
  b->pending_space = false;
  if (b->sup > 0 && !b->sup_void && !b->sup_open) {
    buf_put(b->store, "<sup>", 5);
    b->sup_open = true;
  }
  put_utf8(b->store, s, n);
}

static bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A text node outside <pre>: whitespace collapsed. */
static void text_flow(builder *b, const unsigned char *s, size_t n, int line) {
  size_t i = 0;
  while (i < n) {
    if (is_space(s[i])) {
      if (s[i] == '\n') line++;
      /* leading whitespace inside <sup> is dropped, not turned into a space */
      if (b->open && !(b->sup > 0 && !b->sup_void && !b->sup_open)) b->pending_space = true;
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && !is_space(s[j])) j++;
    put_text(b, s + i, j - i, line);
    i = j;
  }
}

/* A text node inside <pre>: one line per source line, kept as it is ('\r' dropped). */
static void text_pre(builder *b, const unsigned char *s, size_t n, int line) {
  size_t i = 0;
  if (b->pre_start) {
    b->pre_start = false;
    if (n > 0 && s[0] == '\n') {
      i = 1;
      line++;
    }
  }
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != '\n') j++;
    size_t e = j;
    while (e > i && s[e - 1] == '\r') e--;
    if (e > i) {
      line_begin(b, line);
      if (b->sup > 0 && !b->sup_void && !b->sup_open) {
        buf_put(b->store, "<sup>", 5);
        b->sup_open = true;
      }
      put_utf8(b->store, s + i, e - i);
    }
    if (j < n) { /* the newline ends the line, even an empty one */
      line_begin(b, line);
      line_end(b);
      line++;
      j++;
    }
    i = j;
  }
}

/* ---- elements ------------------------------------------------------------------------ */

typedef enum { EL_INLINE, EL_BLOCK, EL_SKIP, EL_BR, EL_PRE, EL_SUP, EL_CELL } el_kind;

static el_kind classify(const xmlChar *name) {
  static const char *const block[] = {
      "p",       "div",     "h1",       "h2",     "h3",      "h4",         "h5",
      "h6",      "li",      "tr",       "table",  "ul",      "ol",         "dl",
      "dd",      "dt",      "blockquote", "section", "article", "center",   "body",
      "html",    "header",  "footer",   "nav",    "aside",   "main",       "figure",
      "figcaption", "form", "fieldset", "address", "hr",     "caption",    "thead",
      "tbody",   "tfoot",   "details",  "summary", "menu",   "dir",        "legend",
      "hgroup",  "listing", "xmp",      "plaintext", "frameset", "noframes"};
  static const char *const skip[] = {"script", "style",  "head",   "title",  "noscript",
                                     "template", "svg",  "math",   "iframe", "object",
                                     "embed",  "select", "textarea", "button", "canvas"};
  if (!name) return EL_INLINE;
  const char *s = (const char *)name;
  if (!strcmp(s, "br")) return EL_BR;
  if (!strcmp(s, "pre")) return EL_PRE;
  if (!strcmp(s, "sup")) return EL_SUP;
  if (!strcmp(s, "td") || !strcmp(s, "th")) return EL_CELL;
  for (size_t i = 0; i < sizeof block / sizeof *block; i++)
    if (!strcmp(s, block[i])) return EL_BLOCK;
  for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
    if (!strcmp(s, skip[i])) return EL_SKIP;
  return EL_INLINE;
}

/* The source line where a text node's text starts. */
static int text_line(xmlNodePtr t, int fallback) {
  long line = 0;
  if (t->psvi) line = (long)(intptr_t)t->psvi;
  if (line <= 0) line = xmlGetLineNo(t);
  if (line <= 0 && t->parent && t->parent->type == XML_ELEMENT_NODE) line = xmlGetLineNo(t->parent);
  if (line <= 0) line = fallback > 0 ? fallback : 1;
  return line > INT_MAX ? INT_MAX : (int)line;
}

/* Entering a node; returns whether to walk its children. */
static bool enter(builder *b, xmlNodePtr n, int *last_line) {
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (!n->content) return false;
    int line = text_line(n, *last_line);
    *last_line = line;
    size_t len = strlen((const char *)n->content);
    if (b->pre > 0) text_pre(b, n->content, len, line);
    else text_flow(b, n->content, len, line);
    return false;
  }
  if (n->type != XML_ELEMENT_NODE) return false; /* comments, PIs, DTD */
  switch (classify(n->name)) {
  case EL_SKIP: return false;
  case EL_BLOCK: block_boundary(b); break;
  case EL_BR:
    if (b->open) line_end(b);
    else if (b->n > 0) b->need_blank = true;
    break;
  case EL_PRE:
    block_boundary(b);
    b->pre++;
    b->pre_start = true;
    break;
  case EL_SUP: b->sup++; break;
  case EL_CELL:
    if (b->open) b->pending_space = true;
    break;
  case EL_INLINE: break;
  }
  return true;
}

/* Leaving an element whose children have been walked (or that had none). */
static void leave(builder *b, xmlNodePtr n) {
  if (n->type != XML_ELEMENT_NODE) return;
  switch (classify(n->name)) {
  case EL_BLOCK: block_boundary(b); break;
  case EL_PRE:
    block_boundary(b);
    if (b->pre > 0) b->pre--;
    b->pre_start = false;
    break;
  case EL_SUP:
    if (b->sup > 0) b->sup--;
    if (b->sup == 0 && b->sup_open) { /* pending_space stays: a space after </sup> */
      buf_put(b->store, "</sup>", 6);
      b->sup_open = false;
    }
    if (b->sup == 0) b->sup_void = false;
    break;
  case EL_CELL:
    if (b->open) b->pending_space = true;
    break;
  default: break;
  }
}

static void walk(builder *b, xmlDocPtr doc) {
  xmlNodePtr top = (xmlNodePtr)doc;
  xmlNodePtr n = doc->children;
  int last_line = 1;
  while (n) {
    if (enter(b, n, &last_line) && n->children) {
      n = n->children;
      continue;
    }
    /* leave n, then its ancestors as long as they have no next sibling */
    for (;;) {
      leave(b, n);
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (!n || n == top) {
        n = NULL;
        break;
      }
    }
  }
  line_end(b);
}

/* ---- entry point ----------------------------------------------------------------------- */

static int count_lines(const char *buf, size_t len) {
  size_t nl = 0;
  for (const char *p = buf, *end = buf + len; (p = memchr(p, '\n', (size_t)(end - p))); p++) nl++;
  if (len > 0 && buf[len - 1] != '\n') nl++;
  return nl > INT_MAX ? INT_MAX : (int)nl;
}

mandat_status read_html(const char *buf, size_t len, mandat_lines *out, mandat_error *err) {
  if (!buf || len == 0) return fail(err, MANDAT_ERR_EMPTY, "empty HTML input");
  if (len > INT_MAX) return fail(err, MANDAT_ERR_TOO_LARGE, "HTML input over 2 GB");

  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt || !ctxt->sax) {
    if (ctxt) htmlFreeParserCtxt(ctxt);
    return fail(err, MANDAT_ERR_FORMAT, "HTML parser could not be created");
  }
  ctxt->sax->characters = characters_with_line;
  const char *encoding = declares_encoding(buf, len) ? NULL : "UTF-8";
  int options = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER;
  htmlDocPtr doc = htmlCtxtReadMemory(ctxt, buf, (int)len, NULL, encoding, options);
  /* In recovery mode libxml2 only stops (disableSAX) on a fatal condition, mostly
   * nesting deeper than its limit (256 elements): the tree is then cut short, and a
   * partial text must not pass for the page. */
  bool halted = ctxt->disableSAX != 0;
  int errnum = ctxt->errNo;
  htmlFreeParserCtxt(ctxt);
  if (!doc) return fail(err, MANDAT_ERR_FORMAT, "HTML parser returned no document");
  if (halted) {
    xmlFreeDoc(doc);
    char reason[128];
    if (errnum == XML_ERR_INTERNAL_ERROR)
      snprintf(reason, sizeof reason, "HTML elements nested deeper than %u: parser stopped",
               xmlParserMaxDepth);
    else
      snprintf(reason, sizeof reason, "HTML parser stopped (libxml2 error %d)", errnum);
    return fail(err, MANDAT_ERR_FORMAT, reason);
  }

  builder b = {0};
  b.store = &out->store;
  walk(&b, doc);
  xmlFreeDoc(doc);

  /* The store is complete: pointers into it are final from here on. */
  const char *base = buf_cstr(&out->store);
  for (size_t i = 0; i < b.n; i++) {
    lines_push(out, base + b.v[i].off, b.v[i].len, b.v[i].src, 0);
    out->v[out->n - 1].src_end = b.v[i].src_end;
  }
  free(b.v);
  out->src_lines = count_lines(buf, len);
  return MANDAT_OK;
}
