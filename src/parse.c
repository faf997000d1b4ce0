/* parse.c: the pipeline entry points mandat_parse() and mandat_parse_file():
 * read → clean → structure → extract, with the checks that turn bad input into
 * one clear error. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clean.h"
#include "extract.h"
#include "model.h"
#include "read.h"
#include "structure.h"

/* A failure of the file `name` ("-" when the caller gave none). */
static mandat_status fail(mandat_error *err, mandat_status st, const char *name, int line,
                          const char *reason) {
  return error_set(err, st, name ? name : "-", line, reason);
}

/* A file that is not text: binary, or invalid UTF-8 at `line`. */
static mandat_status not_text(mandat_error *err, mandat_status st, const char *name, int line) {
  if (st == MANDAT_ERR_BINARY)
    return fail(err, st, name, line, "binary data, not text (a NUL or control byte)");
  char why[64];
  snprintf(why, sizeof why, "invalid UTF-8 at line %d", line);
  return fail(err, st, name, line, why);
}

/* From this size on, a text is checked and hashed on a thread of its own while it
 * is cleaned; below, a thread costs more than it saves. */
#define CHECK_THREAD_MIN ((size_t)4 << 20)
/* What parse_file() reads of such a file before the thread reads on: enough for
 * read_detect() (64 kB) many times over. */
#define FIRST_BLOCK ((size_t)1 << 20)

static bool all_blank(const char *buf, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (!(buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\f'))
      return false;
  return true;
}

/* A resolution that stops mid-sentence: the last paragraph of the last entity ends
 * without closing punctuation, or the entity has a preamble and no operative part. */
static bool truncated(const mandat_doc *d, bool ends_line, char *why, size_t whylen) {
  const mandat_entity *e = &d->ents[d->n_ents - 1];
  /* a page of a printed volume holds several resolutions and may end inside the
   * last: only a document of one text is judged as a whole */
  if (d->n_roots > 1) return false;
  if (e->kind == MANDAT_ENTITY_RESOLUTION || e->kind == MANDAT_ENTITY_DRAFT) {
    if (e->n_preamble && !e->n_operative) {
      snprintf(why, whylen, "text ends after preambular paragraph %zu (line %d), before any operative paragraph",
               e->n_preamble, e->preamble[e->n_preamble - 1].lines.last);
      return true;
    }
  }
  const mandat_paragraph *p = e->n_operative ? &e->operative[e->n_operative - 1]
                                             : e->n_preamble ? &e->preamble[e->n_preamble - 1] : NULL;
  if (!p || !p->text) return false;
  size_t n = strlen(p->text);
  while (n && p->text[n - 1] == ' ') n--;
  /* « … Services.1 »: a footnote number after the final stop */
  size_t d0 = n;
  while (d0 && p->text[d0 - 1] >= '0' && p->text[d0 - 1] <= '9') d0--;
  if (d0 < n && d0 && strchr(".;:)", p->text[d0 - 1])) n = d0;
  if (!n) return false;
  /* OCR and web text may lose a final full stop: a text that stops mid-sentence
   * is only called truncated when the file itself stops mid-line */
  if (ends_line) return false;
  unsigned char c = (unsigned char)p->text[n - 1];
  if (c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ',' ||
      c == 0xBB /* » */ || c == '"' || c == 0x9D /* ” */)
    return false;
  snprintf(why, whylen, "text stops mid-sentence in %s paragraph %s (line %d)",
           p->kind == MANDAT_PARA_OPERATIVE ? "operative" : "preambular",
           p->number ? p->number : "", p->lines.last);
  return true;
}

/* Read from fd into b until EOF; false on an error (errno set) or past the limit. */
static bool read_rest(int fd, mandat_buf *b, bool *too_large) {
  char chunk[65536];
  for (;;) {
    /* straight into the buffer while it has room, then through a chunk (a file
     * that grew, a pipe) */
    bool direct = b->cap - b->len > 1;
    ssize_t k = direct ? read(fd, b->data + b->len, b->cap - b->len - 1) : read(fd, chunk, sizeof chunk);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return false;
    if (k == 0) return true;
    if (b->len + (size_t)k > MANDAT_MAX_INPUT) {
      *too_large = true;
      return false;
    }
    if (direct) b->len += (size_t)k;
    else buf_put(b, chunk, (size_t)k);
  }
}

/* --- streaming: mandat_parse_file_each() -------------------------------------
 * The structure stage hands each complete group over (group_ready()).
 * STREAM_WORKERS threads take the groups in turn and extract their clauses and
 * citations side by side, while the structure of the next groups is built.  A
 * group extracted out of turn waits in `done`; the worker that completes the
 * group whose turn it is gives it, and every group ready after it, to the caller's
 * function and frees them, so the function sees the groups one at a time and in
 * document order, and no worker waits for another.  At most STREAM_INFLIGHT
 * groups are handed over and not yet given: memory stays bounded by them,
 * whatever the size of the file.  The workers start with the second group; a
 * document of one group is finished in the calling thread. */
#define STREAM_INFLIGHT 6
#define STREAM_WORKERS 2 /* the machines mandat runs on have 2 cores and more */

typedef struct {
  mandat_group_fn fn;
  void *ctx;
  pthread_t workers[STREAM_WORKERS];
  size_t n_workers;
  bool closed, giving; /* giving: a worker is giving groups to fn */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  mandat_doc *todo[STREAM_INFLIGHT], *done[STREAM_INFLIGHT]; /* by turn % STREAM_INFLIGHT */
  size_t pushed, taken, handed; /* groups queued, taken by a worker, given to fn */
} stream;

/* A group finished in the calling thread. */
static void finish_here(stream *s, mandat_doc *g) {
  extract_document(g);
  s->fn(g, s->ctx);
  mandat_doc_free(g);
}

static void *stream_worker(void *arg) {
  stream *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (s->taken == s->pushed && !s->closed) pthread_cond_wait(&s->cv, &s->mu);
    if (s->taken == s->pushed) break;
    size_t turn = s->taken++;
    mandat_doc *g = s->todo[turn % STREAM_INFLIGHT];
    pthread_mutex_unlock(&s->mu);
    extract_document(g);
    pthread_mutex_lock(&s->mu);
    s->done[turn % STREAM_INFLIGHT] = g;
    if (s->giving) continue; /* the worker giving groups out will give this one */
    s->giving = true;
    mandat_doc *next;
    while ((next = s->done[s->handed % STREAM_INFLIGHT])) {
      s->done[s->handed % STREAM_INFLIGHT] = NULL;
      pthread_mutex_unlock(&s->mu);
      s->fn(next, s->ctx);
      mandat_doc_free(next);
      pthread_mutex_lock(&s->mu);
      s->handed++;
      pthread_cond_broadcast(&s->cv); /* room for the structure stage */
    }
    s->giving = false;
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

static void stream_push(stream *s, mandat_doc *g) {
  if (!s->n_workers) {
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    while (s->n_workers < STREAM_WORKERS &&
           pthread_create(&s->workers[s->n_workers], NULL, stream_worker, s) == 0)
      s->n_workers++;
    if (!s->n_workers) { /* no thread: each group is finished here as it comes */
      pthread_mutex_destroy(&s->mu);
      pthread_cond_destroy(&s->cv);
      finish_here(s, g);
      return;
    }
  }
  pthread_mutex_lock(&s->mu);
  while (s->pushed - s->handed == STREAM_INFLIGHT) pthread_cond_wait(&s->cv, &s->mu);
  s->todo[s->pushed % STREAM_INFLIGHT] = g;
  s->pushed++;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

/* Wait until the workers have finished every group. */
static void stream_close(stream *s) {
  if (!s->n_workers) return;
  pthread_mutex_lock(&s->mu);
  s->closed = true;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
  for (size_t i = 0; i < s->n_workers; i++) pthread_join(s->workers[i], NULL);
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cv);
  s->n_workers = 0;
}

static void group_ready(mandat_doc *doc, doc_mark keep, void *ctx) {
  stream_push(ctx, doc_take_group(doc, keep));
}

/* mandat_parse(); `owned`, when not NULL, is buf itself, malloc'd and handed over
 * by the caller.  When fd >= 0, only the first `have` bytes of buf (owned, len in
 * all, not all blank) are read: the rest is still to read from fd.  Text and
 * markdown are cleaned in place: the buffer (owned, or a copy of the caller's)
 * becomes the store of the cleaned lines, freed once the tree is built (the tree
 * holds copies of all it keeps).  Converted input (HTML, PDF) is freed as soon as
 * its lines are cleaned. */
static mandat_status parse(const char *buf, size_t len, char *owned, int fd, size_t have,
                           const char *name, stream *sm, mandat_doc **out, mandat_error *err) {
  mandat_status st = MANDAT_OK;
  mandat_lines lines = {0};
  clines cl = {0};
  mandat_doc *doc = NULL;
  read_checker *checker = NULL;
  char why[200];
  int line = 0;
  if (out) *out = NULL;
  if (len > MANDAT_MAX_INPUT) {
    snprintf(why, sizeof why, "file too large (%zu bytes; the limit is %u MB)", len,
             MANDAT_MAX_INPUT >> 20);
    st = fail(err, MANDAT_ERR_TOO_LARGE, name, 0, why);
    goto done;
  }
  if (len == 0 || all_blank(buf, have)) {
    st = fail(err, MANDAT_ERR_EMPTY, name, 0, "empty file");
    goto done;
  }
  doc = doc_new(name);
  doc->format = read_detect(buf, have); /* it reads the first 64 kB at most */
  bool is_text = doc->format == MANDAT_FORMAT_TEXT || doc->format == MANDAT_FORMAT_MARKDOWN;
  /* a large text is checked and hashed on a second thread while it is cleaned */
  if (is_text && len >= CHECK_THREAD_MIN && (owned || fd < 0))
    checker = read_checker_start(owned ? owned : (char *)buf, len, fd, have);
  if (!checker && have < len) { /* no thread: the rest of the file is read here */
    mandat_buf rest = {owned, have, len + 1};
    bool too_large = false, whole = read_rest(fd, &rest, &too_large) && rest.len == len;
    buf = owned = rest.data; /* moved if the file grew */
    if (!whole) {
      st = fail(err, MANDAT_ERR_IO, name, 0, "read error: the file changed while it was read");
      goto done;
    }
  }
  if (!checker) sha256_hex(buf, len, doc->sha256);
  if (doc->format == MANDAT_FORMAT_PDF) {
    mandat_error e2 = {0};
    st = read_pdf(buf, len, &lines, &e2);
    if (st != MANDAT_OK) {
      st = fail(err, st, name, 0, e2.reason[0] ? e2.reason : "not a readable PDF");
      goto done;
    }
  } else if (!checker) {
    st = read_check_text(buf, len, &line);
    if (st != MANDAT_OK) {
      st = not_text(err, st, name, line);
      goto done;
    }
    if (doc->format == MANDAT_FORMAT_HTML) {
      mandat_error e2 = {0};
      st = read_html(buf, len, &lines, &e2);
      if (st != MANDAT_OK) {
        st = fail(err, st, name, e2.line, e2.reason[0] ? e2.reason : "unreadable HTML");
        goto done;
      }
    }
  }
  /* truncated() needs only the last byte of the file (the check thread reads it) */
  bool ends_line = !checker && (buf[len - 1] == '\n' || buf[len - 1] == '\r');
  if (is_text) {
    char *text = owned;
    if (!text) { /* the caller's buffer is not ours to clean in: a copy */
      text = memcpy(xmalloc_large(len + 1), buf, len);
      text[len] = '\0';
    }
    owned = NULL;
    clean_text(text, len, checker, &cl); /* cl owns text from here */
    if (checker) {
      st = read_checker_end(checker, &line, doc->sha256, &ends_line, why, sizeof why);
      checker = NULL;
      if (st == MANDAT_ERR_IO) {
        char reason[sizeof why + 16];
        snprintf(reason, sizeof reason, "read error: %s", why);
        st = fail(err, st, name, 0, reason);
        goto done;
      }
      if (st != MANDAT_OK) {
        st = not_text(err, st, name, line);
        goto done;
      }
    }
  } else {
    clean_lines(&lines, &cl);
    lines_free(&lines); /* cl holds copies */
    free(owned);
    owned = NULL;
  }
  buf = NULL;
  doc->lines = cl.src_lines;
  doc->pdf_layout = cl.pdf_layout;
  doc->lex = structure_language(&cl);
  st = structure_build(doc, &cl, sm ? group_ready : NULL, sm);
  if (st != MANDAT_OK) {
    st = fail(err, st, name, 0,
              "no resolution found (no chapeau such as « L'Assemblée générale, » or "
              "\"The General Assembly,\" followed by paragraphs)");
    goto done;
  }
  /* The tree owns copies of every string it keeps: the cleaned lines (the input's
   * bytes and 24 bytes a line) are dead from here, and extraction need not carry
   * them. */
  clines_free(&cl);
  /* a file of one root is judged before anything is handed over: a failure is
   * known before the first group goes out */
  if (truncated(doc, ends_line, why, sizeof why)) {
    st = fail(err, MANDAT_ERR_TRUNCATED, name, 0, why);
    goto done;
  }
  if (sm && sm->n_workers) {
    stream_push(sm, doc_take_group(doc, doc_mark_now(doc)));
  } else if (sm) {
    finish_here(sm, doc_take_group(doc, doc_mark_now(doc)));
  } else {
    extract_document(doc);
    *out = doc;
    doc = NULL;
  }
done:
  if (checker) { /* a failure before the check was over: wait for its thread */
    char sha[65];
    bool ends;
    read_checker_end(checker, &line, sha, &ends, why, sizeof why);
  }
  if (sm) stream_close(sm);
  clines_free(&cl);
  lines_free(&lines);
  mandat_doc_free(doc);
  free(owned);
  return st;
}

mandat_status mandat_parse(const char *buf, size_t len, const char *name, mandat_doc **out,
                           mandat_error *err) {
  return parse(buf, len, NULL, -1, len, name, NULL, out, err);
}

/* Read the file at path and parse it, whole (out) or a group at a time (sm).  A
 * large regular file is read a first block at a time here: the check thread reads
 * the rest while the text is being cleaned (read_checker_start()). */
static mandat_status parse_file(const char *path, stream *sm, mandat_doc **out, mandat_error *err) {
  mandat_status st;
  if (out) *out = NULL;
  int fd = open(path, O_RDONLY);
  char why[200];
  if (fd < 0) {
    snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
    return fail(err, MANDAT_ERR_IO, path, 0, why);
  }
  mandat_buf b = {0};
  bool too_large = false;
  /* a regular file is read into a buffer of its size: doubling would leave up to
   * half of it unused at the peak */
  struct stat sb;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 && sb.st_size <= MANDAT_MAX_INPUT) {
    size_t size = (size_t)sb.st_size;
    b.cap = size + 1;
    b.data = xmalloc_large(b.cap);
    if (size >= CHECK_THREAD_MIN) {
      while (b.len < FIRST_BLOCK) {
        ssize_t k = read(fd, b.data + b.len, FIRST_BLOCK - b.len);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        b.len += (size_t)k;
      }
      if (b.len == FIRST_BLOCK && !all_blank(b.data, b.len)) {
        st = parse(b.data, size, b.data, fd, b.len, path, sm, out, err); /* frees b.data */
        close(fd);
        return st;
      }
    }
  }
  if (!read_rest(fd, &b, &too_large)) {
    if (too_large) snprintf(why, sizeof why, "file too large (over %u MB)", MANDAT_MAX_INPUT >> 20);
    else snprintf(why, sizeof why, "read error: %s", strerror(errno));
    close(fd);
    buf_free(&b);
    return fail(err, too_large ? MANDAT_ERR_TOO_LARGE : MANDAT_ERR_IO, path, 0, why);
  }
  close(fd);
  if (!b.data) return parse("", 0, NULL, -1, 0, path, sm, out, err);
  st = parse(b.data, b.len, b.data, -1, b.len, path, sm, out, err); /* parse() frees b.data */
  return st;
}

mandat_status mandat_parse_file(const char *path, mandat_doc **out, mandat_error *err) {
  return parse_file(path, NULL, out, err);
}

mandat_status mandat_parse_file_each(const char *path, mandat_group_fn fn, void *ctx,
                                     mandat_error *err) {
  stream sm = {.fn = fn, .ctx = ctx};
  return parse_file(path, &sm, NULL, err);
}

mandat_status mandat_parse_each(const char *buf, size_t len, const char *name, mandat_group_fn fn,
                                void *ctx, mandat_error *err) {
  stream sm = {.fn = fn, .ctx = ctx};
  return parse(buf, len, NULL, -1, len, name, &sm, NULL, err);
}
