/* spec_runner.c: runs the examples of the tests/spec files (cmark's spec style) against
 * mandat_parse() + render_json().  No framework.  Each example is also parsed with
 * mandat_parse_each() (entities handed over a group at a time, extracted on worker
 * threads): its JSON must be the same to the byte, or its error the same.
 *
 * An example is fenced by a line of 32 backticks followed by " example" and closed by
 * a line of 32 backticks.  Inside: the input, a line holding a single ".", then the
 * expected part, one item a line:
 *   FRAGMENT        must occur in the compact JSON, after the previous fragment;
 *   !FRAGMENT       must not occur anywhere in the JSON;
 *   error: TEXT     mandat_parse() must fail and its reason must contain TEXT.
 * Blank expected lines are ignored.  In the input, "→" (U+2192) stands for a tab.
 * An example preceded (within the three lines above its fence) by an HTML comment
 * "<!-- known failure: … -->" documents a parser bug: it still runs and still counts
 * as failed when it fails; its failure line says "known failure".
 *
 * Usage: spec_runner FILE.md...   Prints one line per failure and ends with
 * "N passed, N failed".  Exit status 1 if any example failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mandat.h"
#include "render.h"

#define FENCE "````````````````````````````````"
#define FENCE_LEN 32
#define WINDOW 300 /* bytes of actual output shown around a failure */

static int passed, failed;

/* Read a whole file into a NUL-terminated malloc'd buffer; NULL on failure. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  mandat_buf b = {0};
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_put(&b, chunk, k);
  fclose(f);
  buf_cstr(&b);
  *len = b.len;
  return buf_detach(&b);
}

static bool is_fence_open(const char *s, size_t n) {
  return n == FENCE_LEN + 8 && memcmp(s, FENCE, FENCE_LEN) == 0 &&
         memcmp(s + FENCE_LEN, " example", 8) == 0;
}

static bool is_fence_close(const char *s, size_t n) {
  return n == FENCE_LEN && memcmp(s, FENCE, FENCE_LEN) == 0;
}

/* Append a line of input, turning "→" into a tab. */
static void put_input_line(mandat_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x86 &&
        (unsigned char)s[i + 2] == 0x92) {
      buf_putc(b, '\t');
      i += 2;
    } else {
      buf_putc(b, s[i]);
    }
  }
  buf_putc(b, '\n');
}

/* Print up to WINDOW bytes of `s` around offset `at`, on one line. */
static void print_window(const char *s, size_t len, size_t at) {
  size_t from = at > WINDOW / 2 ? at - WINDOW / 2 : 0;
  /* do not start inside a UTF-8 sequence */
  while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
    from--;
  size_t to = from + WINDOW < len ? from + WINDOW : len;
  while (to < len && ((unsigned char)s[to] & 0xC0) == 0x80)
    to++;
  fprintf(stdout, "    actual: %s%.*s%s\n", from ? "…" : "", (int)(to - from), s + from,
          to < len ? "…" : "");
}

/* mandat_parse_each(): each group's entities appended to the JSON being built. */
typedef struct {
  mandat_buf json;
  bool first;
} streamed;

static void on_group(const mandat_doc *g, void *ctx) {
  streamed *sd = ctx;
  if (sd->first) render_json_head(g, &sd->json);
  render_json_entities(g, sd->first, &sd->json, NULL);
  sd->first = false;
}

/* Run one example.  `exp` holds the expected lines (NUL-separated by the caller's
 * line splitting: we get them as one buffer with '\n').  Returns true on pass. */
static bool run_example(const char *file, int line, const char *input, size_t in_len,
                        const char *exp, bool known) {
  mandat_doc *doc = NULL;
  mandat_error err = {0};
  mandat_status st = mandat_parse(input, in_len, "spec", &doc, &err);
  mandat_buf json = {0};
  if (st == MANDAT_OK)
    render_json(doc, &json);
  const char *out = buf_cstr(&json);
  size_t out_len = json.len;
  size_t pos = 0; /* ordered search position */
  bool ok = true;
  const char *p = exp;
  while (*p && ok) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    char *frag = xstrndup(p, n);
    p += n + (nl ? 1 : 0);
    if (!*frag) {
      free(frag);
      continue;
    }
    const char *why = NULL;
    size_t at = pos;
    if (strncmp(frag, "error: ", 7) == 0) {
      if (st == MANDAT_OK)
        why = "expected an error, parse succeeded";
      else if (!strstr(err.reason, frag + 7))
        why = "error reason differs";
    } else if (st != MANDAT_OK) {
      why = "parse failed";
    } else if (frag[0] == '!') {
      const char *hit = strstr(out, frag + 1);
      if (hit) {
        why = "unexpected fragment present";
        at = (size_t)(hit - out);
      }
    } else {
      const char *hit = strstr(out + pos, frag);
      if (hit) {
        pos = (size_t)(hit - out) + strlen(frag);
      } else {
        why = strstr(out, frag) ? "fragment out of order" : "fragment missing";
      }
    }
    if (why) {
      ok = false;
      printf("FAIL %s:%d: %s%s\n    expected: %s\n", file, line, why,
             known ? " (known failure)" : "", frag);
      if (st != MANDAT_OK)
        printf("    actual: error: %s\n", err.reason);
      else
        print_window(out, out_len, at);
    }
    free(frag);
  }
  /* the same text handed over a group at a time */
  streamed sd = {{0}, true};
  mandat_error err2 = {0};
  mandat_status st2 = mandat_parse_each(input, in_len, "spec", on_group, &sd, &err2);
  if (st2 == MANDAT_OK) render_json_tail(&sd.json);
  const char *why2 = NULL;
  if (st2 != st) why2 = "mandat_parse_each() status differs from mandat_parse()";
  else if (st != MANDAT_OK && strcmp(err.reason, err2.reason) != 0) why2 = "mandat_parse_each() error differs";
  else if (st != MANDAT_OK && sd.json.len) why2 = "mandat_parse_each() handed groups over before failing";
  else if (st == MANDAT_OK && (sd.json.len != json.len || memcmp(sd.json.data, json.data, json.len) != 0))
    why2 = "mandat_parse_each() JSON differs from mandat_parse()";
  if (why2) {
    ok = false;
    printf("FAIL %s:%d: %s\n", file, line, why2);
  }
  buf_free(&sd.json);
  buf_free(&json);
  mandat_doc_free(doc);
  return ok;
}

static void run_file(const char *path) {
  size_t len;
  char *text = slurp(path, &len);
  if (!text) {
    printf("FAIL %s: cannot read\n", path);
    failed++;
    return;
  }
  enum { PROSE, INPUT, EXPECT } state = PROSE;
  mandat_buf input = {0}, exp = {0};
  int lineno = 0, ex_line = 0, last_known = -100;
  bool known = false;
  const char *s = text, *end = text + len;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
    lineno++;
    if (n && s[n - 1] == '\r')
      n--;
    switch (state) {
    case PROSE:
      if (n >= 20 && memcmp(s, "<!-- known failure", 18) == 0)
        last_known = lineno;
      if (is_fence_open(s, n)) {
        state = INPUT;
        ex_line = lineno;
        known = lineno - last_known <= 3;
        buf_clear(&input);
        buf_clear(&exp);
      }
      break;
    case INPUT:
      if (n == 1 && s[0] == '.')
        state = EXPECT;
      else if (is_fence_close(s, n)) {
        printf("FAIL %s:%d: example has no \".\" line\n", path, ex_line);
        failed++;
        state = PROSE;
      } else
        put_input_line(&input, s, n);
      break;
    case EXPECT:
      if (is_fence_close(s, n)) {
        if (run_example(path, ex_line, buf_cstr(&input), input.len, buf_cstr(&exp), known))
          passed++;
        else
          failed++;
        state = PROSE;
      } else {
        buf_put(&exp, s, n);
        buf_putc(&exp, '\n');
      }
      break;
    }
    s = nl ? nl + 1 : end;
  }
  if (state != PROSE) {
    printf("FAIL %s:%d: example not closed\n", path, ex_line);
    failed++;
  }
  buf_free(&input);
  buf_free(&exp);
  free(text);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: spec_runner FILE.md...\n");
    return 2;
  }
  for (int i = 1; i < argc; i++)
    run_file(argv[i]);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
