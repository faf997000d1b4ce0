/* clean.c: line classification (text, blank, page header, URL, footnote separator,
 * definition and continuation) and inline clean-up of markup.  One linear pass. */
#include "clean.h"
#include "lexmatch.h"

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
      size_t j = i + 1;
      while (j < n && !inline_special[(unsigned char)s[j]]) j++;
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

void clean_lines(const mandat_lines *in, clines *out) {
  mandat_buf store = {0};
  /* One cline per input line, and cleaning rarely lengthens a line (only a
   * superscript digit turned into a marker does): sized once, the arrays are not
   * doubled past what they need, nor copied on the way. */
  size_t bytes = 64;
  for (size_t li = 0; li < in->n; li++) bytes += in->v[li].len + 1;
  store.data = xmalloc(bytes);
  store.cap = bytes;
  out->cap = in->n ? in->n : 1;
  out->v = xrealloc(out->v, out->cap * sizeof *out->v);
  size_t note_off = 0; /* store offset of the text of last_note_line */
  bool in_notes = false; /* inside a PDF footnote block (after ____) */
  bool first_in_block = false; /* no definition read yet in this block */
  int pending_num = 0;          /* a note number read alone on its line */
  size_t unnumbered = (size_t)-1; /* a note text waiting for its number */
  int last_fn = 0;
  size_t last_note_line = (size_t)-1; /* index in out of the last definition line */
  out->n = 0;
  out->pdf_layout = false;
  for (size_t li = 0; li < in->n; li++) {
    const mandat_line *L = &in->v[li];
    const char *s = L->text;
    size_t n = L->len, ind = 0;
    while (ind < n && is_space((unsigned char)s[ind])) ind++;
    const char *t = s + ind;
    size_t tn = n - ind;
    while (tn && (is_space((unsigned char)t[tn - 1]) || space_width(t + tn - 1, 1))) tn--;
    cline c = {CL_TEXT, L->src, L->src_end, (int)ind, 0, false, NULL, 0, NULL};
    size_t from = 0; /* bytes of t to skip before cleaning */
    const char *sym;
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
      int num = atoi(t);
      /* the number of the text that follows, or, when no note text follows (a
       * page header, the end), of the block's note that had none */
      size_t nx = li + 1;
      while (nx < in->n && in->v[nx].len == 0) nx++;
      const char *sym2;
      size_t symlen2;
      bool text_follows = nx < in->n && !page_line(in->v[nx].text, in->v[nx].len, &sym2, &symlen2) &&
                          !url_line(in->v[nx].text, in->v[nx].len);
      if (unnumbered != (size_t)-1 && !text_follows && num > 0) {
        out->v[unnumbered].fn = num;
        unnumbered = (size_t)-1;
      } else {
        pending_num = num;
      }
      c.kind = CL_RULE;
    } else if (page_line(t, tn, &sym, &symlen)) {
      c.kind = CL_PAGE;
      in_notes = false;
      out->pdf_layout = true;
      if (sym) {
        c.symbol = sym; /* a flag until the store is final: see below */
        buf_put(&store, sym, symlen);
        buf_putc(&store, '\0');
      }
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
          c.fn = atoi(t + 5);
          from = j + 6;
        }
      } else {
        int d;
        while (j < tn && (d = superscript_digit(t + j, tn - j, &w)) >= 0) {
          c.fn = c.fn * 10 + d;
          j += w;
        }
        from = j;
      }
      if (from) c.kind = CL_FNDEF, last_fn = c.fn;
    } else if (in_notes && (pending_num || (first_in_block && lex_is_upper(t, tn) && ind == 0 &&
                                             pdf_note_number(t, tn, NULL) < 0))) {
      /* the text of a note whose number stood alone (or is still to come) */
      c.kind = CL_FNDEF;
      c.fn = pending_num;
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
        c.fn = num;
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
    size_t off = store.len;
    if (c.kind != CL_BLANK && c.kind != CL_URL && c.kind != CL_FNSEP && c.kind != CL_RULE &&
        c.kind != CL_PAGE)
      clean_inline(t + from, tn - from, &store);
    c.len = store.len - off;
    buf_putc(&store, '\0');
    VEC_GROW(out->v, out->n, out->cap);
    out->v[out->n] = c;
    /* texts are fixed up below; keep them reachable for ends_open meanwhile */
    out->v[out->n].text = store.data + off;
    if (c.kind == CL_FNDEF || c.kind == CL_FNCONT) last_note_line = out->n, note_off = off;
    else if (c.kind != CL_BLANK && c.kind != CL_URL) last_note_line = (size_t)-1;
    out->n++;
    /* store may have moved: refresh the pointer of the note line we look back at */
    if (last_note_line != (size_t)-1) out->v[last_note_line].text = store.data + note_off;
  }
  out->store = buf_detach(&store);
  /* The store holds, line after line, the symbol of a page line (when it has one)
   * then the text: the offsets follow from the lengths, no array of them is kept. */
  size_t off = 0;
  for (size_t k = 0; k < out->n; k++) {
    if (out->v[k].symbol) {
      out->v[k].symbol = out->store + off;
      off += strlen(out->store + off) + 1;
    }
    out->v[k].text = out->store + off;
    off += out->v[k].len + 1;
  }
}

void clines_free(clines *cl) {
  free(cl->v);
  free(cl->store);
  memset(cl, 0, sizeof *cl);
}
