/* clean.c: line classification (text, blank, page header, URL, footnote separator,
 * definition and continuation) and inline clean-up of markup.  One linear pass. */
#include "clean.h"
#include "lexmatch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_upper_ascii(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static bool is_alpha_ascii(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* Width in bytes of a white-space character at s (ASCII blanks, NBSP, narrow NBSP,
 * thin space), else 0. */
static size_t space_width(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (is_space(u[0])) return 1;
  if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0) return 2;
  if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89 || u[2] == 0x8A))
    return 3;
  return 0;
}

/* A Unicode superscript digit at s: its value 0-9 and width, else -1. */
static int superscript_digit(const char *s, size_t n, size_t *w) {
  const unsigned char *u = (const unsigned char *)s;
  if (n >= 2 && u[0] == 0xC2) {
    *w = 2;
    if (u[1] == 0xB9) return 1;
    if (u[1] == 0xB2) return 2;
    if (u[1] == 0xB3) return 3;
  }
  if (n >= 3 && u[0] == 0xE2 && u[1] == 0x81) {
    *w = 3;
    if (u[2] == 0xB0) return 0;
    if (u[2] >= 0xB4 && u[2] <= 0xB9) return u[2] - 0xB4 + 4;
  }
  return -1;
}

static bool starts_ci(const char *s, size_t n, const char *p) {
  size_t k = strlen(p);
  if (n < k) return false;
  for (size_t i = 0; i < k; i++)
    if ((s[i] | ((s[i] >= 'A' && s[i] <= 'Z') ? 32 : 0)) != p[i]) return false;
  return true;
}

static void put_mark(mandat_buf *out, const char *digits, size_t n) {
  buf_putc(out, MARK);
  buf_put(out, digits, n);
  buf_putc(out, MARK);
}

static void put_space(mandat_buf *out) {
  if (out->len && out->data[out->len - 1] != ' ') buf_putc(out, ' ');
}

/* Bytes that may start a space, markup or a superscript digit; all others are
 * copied as they are, in runs (one buf_put per run instead of one per byte). */
static const unsigned char inline_special[256] = {
    [' '] = 1, ['\t'] = 1, ['\f'] = 1, ['\v'] = 1, ['*'] = 1, ['\\'] = 1, ['['] = 1,
    [']'] = 1, ['^'] = 1, ['<'] = 1, [0xC2] = 1, [0xE2] = 1};

void clean_inline(const char *s, size_t n, mandat_buf *out) {
  size_t start = out->len;
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    size_t w;
    if (!inline_special[c]) {
      /* a single space between two plain bytes is copied with them */
      size_t j = i + 1;
      while (j < n && (!inline_special[(unsigned char)s[j]] ||
                       (s[j] == ' ' && j + 1 < n && !inline_special[(unsigned char)s[j + 1]])))
        j++;
      buf_put(out, s + i, j - i);
      i = j;
    } else if ((w = space_width(s + i, n - i))) {
      put_space(out);
      i += w;
    } else if (c == '*') {
      i++;
    } else if (c == '\\' && i + 1 < n && strchr("()[]*_#.\\-!{}<>`'\"", s[i + 1]) && s[i + 1]) {
      buf_putc(out, s[i + 1]);
      i += 2;
    } else if (c == '[') {
      /* [text](target): keep text, drop the target. */
      const char *close = memchr(s + i, ']', n - i);
      if (close && (size_t)(close - s) + 1 < n && close[1] == '(' &&
          memchr(close, ')', n - (size_t)(close - s)))
        i++;
      else
        buf_putc(out, (char)c), i++;
    } else if (c == ']' && i + 1 < n && s[i + 1] == '(') {
      const char *rp = memchr(s + i, ')', n - i);
      if (rp) i = (size_t)(rp - s) + 1;
      else buf_putc(out, ']'), i++;
    } else if (c == '^' && i + 1 < n && s[i + 1] == '{') {
      const char *rb = memchr(s + i, '}', n - i);
      if (!rb) {
        i += 2;
        continue;
      }
      const char *in = s + i + 2;
      size_t k = (size_t)(rb - in), d = 0;
      while (d < k && is_digit((unsigned char)in[d])) d++;
      if (k && d == k) put_mark(out, in, k);
      else if (k && k <= 3) buf_put(out, in, k); /* ^{e}, ^{er}: ordinal suffix */
      i = (size_t)(rb - s) + 1; /* other content (^{Error! Bookmark …}) is dropped */
    } else if (c == '^' && i + 1 < n && is_alpha_ascii((unsigned char)s[i + 1])) {
      i++; /* 69^e: keep the suffix, drop the caret */
    } else if (c == '<' && starts_ci(s + i, n - i, "<sup>")) {
      size_t j = i + 5, d = 0;
      while (j + d < n && is_digit((unsigned char)s[j + d])) d++;
      if (d && starts_ci(s + j + d, n - j - d, "</sup>")) {
        put_mark(out, s + j, d);
        i = j + d + 6;
      } else {
        i = j;
      }
    } else if (c == '<' && i + 1 < n && (is_alpha_ascii((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
      const char *gt = memchr(s + i, '>', n - i);
      size_t j = i + 1 + (s[i + 1] == '/');
      size_t t = j;
      while (t < n && is_alpha_ascii((unsigned char)s[t])) t++;
      if (gt && t > j && t < n && (s[t] == '>' || s[t] == ' ' || s[t] == '/')) i = (size_t)(gt - s) + 1;
      else buf_putc(out, '<'), i++;
    } else {
      int d = superscript_digit(s + i, n - i, &w);
      if (d >= 0) {
        char digits[16];
        size_t nd = 0;
        while (i < n && (d = superscript_digit(s + i, n - i, &w)) >= 0) {
          if (nd < sizeof digits) digits[nd++] = (char)('0' + d);
          i += w;
        }
        put_mark(out, digits, nd);
      } else {
        buf_putc(out, (char)c);
        i++;
      }
    }
  }
  /* trim */
  while (out->len > start && out->data[out->len - 1] == ' ') out->len--;
  size_t lead = start;
  while (lead < out->len && out->data[lead] == ' ') lead++;
  if (lead > start) {
    memmove(out->data + start, out->data + lead, out->len - lead);
    out->len -= lead - start;
  }
  if (out->data) out->data[out->len] = '\0';
}

/* --- page headers and footers ------------------------------------------------- */

/* One token of a running header or footer: a document symbol (A/77/464,
 * A/C.3/66/L.15), a page count (15/80), a job number (22-27149, 311-53519), a page
 * number, a language tag such as (F).  Returns 2 for a symbol, 1 for another
 * header token, 0 when the token cannot belong to a header. */
static int header_token(const char *t, size_t n) {
  size_t slashes = 0, digits = 0, dashes = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    if (c == '/') slashes++;
    else if (is_digit(c)) digits++;
    else if (c == '-') dashes++;
    else if (!(is_alpha_ascii(c) || c == '.' || c == '(' || c == ')')) return 0;
  }
  if (n >= 3 && t[0] == '(' && t[n - 1] == ')') return 1; /* (F), (2017) */
  if (digits == n) return n <= 4 ? 1 : 0;                  /* page number */
  if (slashes == 1 && digits == n - 1) return 1;           /* 15/80 */
  if (dashes == 1 && digits == n - 1 && t[0] != '-' && t[n - 1] != '-') return 1; /* job */
  if (slashes >= 1 && is_upper_ascii((unsigned char)t[0]) && digits && t[n - 1] != '.' &&
      t[n - 1] != '/')
    return 2; /* A/77/464 */
  return 0;
}

/* True when the whole line is made of header tokens; *sym gets the symbol token. */
static bool page_line(const char *s, size_t n, const char **sym, size_t *symlen) {
  size_t i = 0, tokens = 0;
  bool strong = false;
  *sym = NULL;
  if (n > 80) return false;
  while (i < n) {
    while (i < n && is_space((unsigned char)s[i])) i++;
    if (i >= n) break;
    size_t j = i;
    while (j < n && !is_space((unsigned char)s[j])) j++;
    int k = header_token(s + i, j - i);
    if (!k) {
      if (j - i == 4 && starts_ci(s + i, 4, "page")) k = 1;
      else return false;
    }
    if (k == 2 && !*sym) *sym = s + i, *symlen = j - i;
    if (k == 2 || memchr(s + i, '/', j - i) || memchr(s + i, '-', j - i)) strong = true;
    tokens++;
    i = j;
  }
  return tokens > 0 && (strong || tokens == 1);
}

static bool url_line(const char *s, size_t n) {
  if (!(starts_ci(s, n, "http://") || starts_ci(s, n, "https://") || starts_ci(s, n, "www.")))
    return false;
  for (size_t i = 0; i < n; i++)
    if (is_space((unsigned char)s[i])) return false;
  return true;
}

static bool rule_of(const char *s, size_t n, char ch, size_t min) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == ch) k++;
    else if (!is_space((unsigned char)s[i])) return false;
  }
  return k >= min;
}

/* A definition « 12 text » or « 12  text » at the start of a PDF footnote line. */
static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_digit((unsigned char)s[i])) return false;
  return n > 0;
}

static int pdf_note_number(const char *s, size_t n, size_t *skip) {
  size_t d = 0;
  while (d < n && d < 4 && is_digit((unsigned char)s[d])) d++;
  if (!d || d >= n || !is_space((unsigned char)s[d])) return -1;
  size_t j = d;
  while (j < n && is_space((unsigned char)s[j])) j++;
  if (j >= n) return -1;
  if (skip) *skip = j;
  return atoi(s);
}

static bool ends_open(const char *text, size_t len) {
  if (!len) return false;
  char c = text[len - 1];
  return !(c == '.' || c == ';' || c == ':' || c == ')');
}

static uint16_t sat16(long v) { return v < 0 ? 0 : v > 65535 ? 65535 : (uint16_t)v; }

/* --- where lines come from, where their cleaned text goes -------------------------
 * Text and markdown are split into lines as they are read, and cleaned in place:
 * a line's cleaned text is never longer than the line and its newline, but for a
 * superscript digit turned into a marker or a page line that is only a symbol, so
 * the cleaned texts fit behind the line being read, and the input buffer itself
 * becomes the store (memory: the input and 32 bytes a line).  Converted input
 * (HTML, PDF) comes as lines and goes into a store of the same size.  A cleaned
 * text that would run over the next line's bytes (or past the store) goes into a
 * block of its own, kept in out->spill. */
typedef struct {
  const mandat_lines *in; /* converted input, or NULL: text split as read */
  read_checker *gate;     /* text: how far the buffer is checked, or NULL: all */
  size_t li;              /* next line of in */
  const char *buf;        /* text input */
  size_t len, pos;        /* pos: the offset of the next line */
  int src;                /* lines read */
} line_src;

static bool next_line(line_src *ls, mandat_line *l) {
  if (ls->in) {
    if (ls->li >= ls->in->n) return false;
    *l = ls->in->v[ls->li++];
    return true;
  }
  if (ls->pos >= ls->len) return false;
  if (ls->gate && !read_checker_wait(ls->gate, ls->pos)) return false; /* not text: stop */
  const char *b = ls->buf + ls->pos;
  const char *nl = memchr(b, '\n', ls->len - ls->pos);
  size_t n = nl ? (size_t)(nl - b) : ls->len - ls->pos;
  ls->pos += n + (nl != NULL);
  if (n && b[n - 1] == '\r') n--;
  ls->src++;
  *l = (mandat_line){b, n, ls->src, ls->src, 0};
  return true;
}

/* The next line that is not empty, without taking it. */
static bool peek_nonempty(const line_src *ls, mandat_line *l) {
  line_src t = *ls;
  while (next_line(&t, l))
    if (l->len) return true;
  return false;
}

typedef struct {
  char *base;   /* the store */
  size_t w;     /* where the next text goes */
  size_t limit; /* in place: the offset of the next line; otherwise the store's size */
} placer;

/* Copy n bytes and a NUL to the store, or to a block of its own; returns where. */
static const char *place(placer *pl, clines *out, const char *s, size_t n) {
  char *dst;
  if (pl->w + n + 1 <= pl->limit) {
    dst = pl->base + pl->w;
    pl->w += n + 1;
  } else {
    dst = xmalloc(n + 1);
    VEC_GROW(out->spill, out->n_spill, out->cap_spill);
    out->spill[out->n_spill++] = dst;
  }
  memmove(dst, s, n);
  dst[n] = '\0';
  return dst;
}

/* The one pass of clean_lines() and clean_text(): base/limit as in placer. */
static void clean_pass(line_src *ls, char *base, size_t limit, clines *out) {
  mandat_buf scratch = {0};
  placer pl = {base, 0, limit};
  bool in_notes = false;        /* inside a PDF footnote block (after ____) */
  bool first_in_block = false;  /* no definition read yet in this block */
  int pending_num = 0;          /* a note number read alone on its line */
  size_t unnumbered = (size_t)-1; /* a note text waiting for its number */
  int last_fn = 0;
  size_t last_note_line = (size_t)-1; /* index in out of the last definition line */
  out->n = 0;
  out->pdf_layout = false;
  mandat_line L;
  while (next_line(ls, &L)) {
    if (!ls->in) pl.limit = ls->pos; /* in place: up to the next line */
    const char *s = L.text;
    size_t n = L.len, ind = 0;
    while (ind < n && is_space((unsigned char)s[ind])) ind++;
    const char *t = s + ind;
    size_t tn = n - ind;
    while (tn && (is_space((unsigned char)t[tn - 1]) || space_width(t + tn - 1, 1))) tn--;
    cline c = {.kind = CL_TEXT, .src = L.src, .span = sat16(L.src_end - L.src), .indent = sat16(ind)};
    size_t from = 0; /* bytes of t to skip before cleaning */
    const char *sym = NULL;
    size_t symlen = 0;
    size_t w;
    if (tn == 0 || (tn == 2 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] == 0xA0)) {
      c.kind = CL_BLANK;
    } else if (url_line(t, tn)) {
      c.kind = CL_URL;
    } else if (rule_of(t, tn, '_', 5)) {
      c.kind = CL_FNSEP;
      in_notes = true;
      first_in_block = true;
      pending_num = 0;
      out->pdf_layout = true;
    } else if (rule_of(t, tn, '-', 3) || rule_of(t, tn, '*', 3)) {
      c.kind = CL_RULE;
    } else if (in_notes && tn <= 3 && pdf_note_number(t, tn, NULL) < 0 && all_digits(t, tn)) {
      /* poppler sets a note's number on a line of its own, before its text; the
       * block's first number may come last, after all the texts */
      int num = 0; /* tn <= 3 digits, which may end the buffer: no atoi() */
      for (size_t d = 0; d < tn; d++) num = num * 10 + (t[d] - '0');
      /* the number of the text that follows, or, when no note text follows (a
       * page header, the end), of the block's note that had none */
      mandat_line nx;
      const char *sym2;
      size_t symlen2;
      bool text_follows = peek_nonempty(ls, &nx) && !page_line(nx.text, nx.len, &sym2, &symlen2) &&
                          !url_line(nx.text, nx.len);
      if (unnumbered != (size_t)-1 && !text_follows && num > 0) {
        out->v[unnumbered].fn = sat16(num);
        unnumbered = (size_t)-1;
      } else {
        pending_num = num;
      }
      c.kind = CL_RULE;
    } else if (page_line(t, tn, &sym, &symlen)) {
      c.kind = CL_PAGE;
      in_notes = false;
      out->pdf_layout = true;
    } else if (t[0] == '#') {
      c.kind = CL_HEADING;
      while (from < tn && t[from] == '#') from++;
    } else if (superscript_digit(t, tn, &w) >= 0 || starts_ci(t, tn, "<sup>")) {
      /* markdown / HTML footnote definition: ¹ text, <sup>1</sup> text */
      size_t j = 0;
      if (t[0] == '<') {
        j = 5;
        while (j < tn && is_digit((unsigned char)t[j])) j++;
        if (starts_ci(t + j, tn - j, "</sup>")) {
          c.fn = sat16(j - 5 > 5 ? 65535 : atoi(t + 5));
          from = j + 6;
        }
      } else {
        int d, num = 0;
        while (j < tn && (d = superscript_digit(t + j, tn - j, &w)) >= 0) {
          num = num < 100000 ? num * 10 + d : num;
          j += w;
        }
        c.fn = sat16(num);
        from = j;
      }
      if (from) c.kind = CL_FNDEF, last_fn = c.fn;
    } else if (in_notes && (pending_num || (first_in_block && lex_is_upper(t, tn) && ind == 0 &&
                                             pdf_note_number(t, tn, NULL) < 0))) {
      /* the text of a note whose number stood alone (or is still to come) */
      c.kind = CL_FNDEF;
      c.fn = sat16(pending_num);
      if (!pending_num) unnumbered = out->n;
      else last_fn = pending_num;
      pending_num = 0;
    } else if (in_notes) {
      size_t skip;
      int num = pdf_note_number(t, tn, &skip);
      /* a definition continues the running sequence, restarts it (drafts of a
       * report number their notes from 1), or opens the first block met */
      if (num > 0 && (num == last_fn + 1 || num == last_fn + 2 || num == 1 || (last_fn == 0 && first_in_block))) {
        c.kind = CL_FNDEF;
        c.fn = sat16(num);
        last_fn = num;
        from = skip;
      } else if (last_note_line != (size_t)-1 &&
                 ends_open(out->v[last_note_line].text, out->v[last_note_line].len)) {
        c.kind = CL_FNCONT;
      } else {
        in_notes = false;
      }
    }
    if (c.kind == CL_FNDEF) first_in_block = false;
    if (c.kind == CL_TEXT && t[0] == '*') c.emphasis = true;
    buf_clear(&scratch);
    if (c.kind == CL_PAGE) {
      if (sym) buf_put(&scratch, sym, symlen);
    } else if (c.kind != CL_BLANK && c.kind != CL_URL && c.kind != CL_FNSEP && c.kind != CL_RULE) {
      clean_inline(t + from, tn - from, &scratch);
    }
    c.len = (uint32_t)scratch.len;
    c.text = place(&pl, out, scratch.data ? scratch.data : "", scratch.len);
    VEC_GROW(out->v, out->n, out->cap);
    out->v[out->n] = c;
    if (c.kind == CL_FNDEF || c.kind == CL_FNCONT) last_note_line = out->n;
    else if (c.kind != CL_BLANK && c.kind != CL_URL) last_note_line = (size_t)-1;
    out->n++;
  }
  buf_free(&scratch);
}

void clean_lines(const mandat_lines *in, clines *out) {
  /* One cline per input line, and cleaning rarely lengthens a line: sized once,
   * the arrays are not doubled past what they need. */
  size_t bytes = 64;
  for (size_t li = 0; li < in->n; li++) bytes += in->v[li].len + 1;
  out->store = xmalloc(bytes);
  out->cap = in->n ? in->n : 1;
  out->v = xrealloc(out->v, out->cap * sizeof *out->v);
  line_src ls = {.in = in};
  clean_pass(&ls, out->store, bytes, out);
  out->src_lines = in->src_lines;
}

void clean_text(char *buf, size_t len, read_checker *gate, clines *out) {
  /* One cline a line: the lines of what is read already, and while the rest is
   * being read, as many again for each as long stretch of it (the array grows if
   * the estimate falls short). */
  size_t seen = len;
  if (gate) seen = read_checker_wait(gate, 0) ? read_checker_ready(gate) : 0;
  size_t lines = 1;
  for (const char *p = buf, *end = buf + seen; (p = memchr(p, '\n', (size_t)(end - p))); p++) lines++;
  if (seen < len) lines = (size_t)((double)lines * ((double)len / (double)(seen ? seen : 1)) * 1.05) + 1024;
  out->store = buf;
  out->cap = lines;
  out->v = xrealloc(out->v, out->cap * sizeof *out->v);
  line_src ls = {.buf = buf, .len = len, .gate = gate};
  if (seen >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ls.pos = 3; /* byte order mark */
  clean_pass(&ls, buf, 0, out);
  out->src_lines = ls.src;
}

void clines_free(clines *cl) {
  free(cl->v);
  free(cl->store);
  for (size_t i = 0; i < cl->n_spill; i++) free(cl->spill[i]);
  free(cl->spill);
  memset(cl, 0, sizeof *cl);
}
