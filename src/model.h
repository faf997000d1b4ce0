/* model.h: the in-memory document tree (struct mandat_doc) and the helpers the
 * pipeline stages use to build it.  The tree owns all its strings (an arena) and
 * arrays; renderers only read it through include/mandat.h. */
#ifndef MANDAT_MODEL_H
#define MANDAT_MODEL_H

#include "buf.h"
#include "lexicon.h"
#include "mandat.h"

struct mandat_doc {
  const char *file;
  char sha256[65];
  mandat_format format;
  const mandat_lexicon *lex;
  int lines;       /* lines of the input file */
  bool pdf_layout; /* PDF-extracted text (page headers, footnote separators) */
  mandat_entity *ents;
  size_t n_ents, cap_ents;
  /* Streaming (doc_take_group): entities handed over before ents[0], so that ids
   * keep counting (« R12 »), and the roots among all entities met so far. */
  size_t ent_base, n_roots;
  /* arena: every string of the tree.  strs lists the malloc'd blocks the
   * document frees: arena chunks (many strings packed in each) and strings given
   * with doc_own().  arena/arena_left: the free tail of the current chunk. */
  char **strs;
  size_t n_strs, cap_strs;
  char *arena;
  size_t arena_left;
  const char *arena_chunk; /* start of the chunk arena points into */
};

mandat_doc *doc_new(const char *file);

/* A point in the building of a document: the blocks its arena held then. */
typedef struct {
  size_t n_strs;
  const char *chunk; /* the arena chunk being filled then, or NULL */
} doc_mark;
doc_mark doc_mark_now(const mandat_doc *d);

/* Move the entities of d, with their arrays and the arena blocks of d made before
 * `keep`, into a new document of their own (file, hash, format, language and line
 * count copied), which the caller frees with mandat_doc_free().  d goes on with no
 * entity, numbering the next after them, and keeps the blocks made since `keep`
 * (strings of an entity being built) and the chunk being filled at `keep`, which
 * may hold strings of both: that chunk goes with the next group, so a group's
 * strings stay valid until the group after it is freed.  Parent indices are local
 * to a document: the structure stage hands a group over when a root opens the next. */
mandat_doc *doc_take_group(mandat_doc *d, doc_mark keep);

/* Copy n bytes into the document's arena; returns a NUL-terminated string the
 * document owns.  doc_strz copies a C string (NULL gives NULL).  The strings are
 * packed into large chunks freed all at once by mandat_doc_free(): never free()
 * or realloc() one of them. */
const char *doc_str(mandat_doc *d, const char *s, size_t n);
const char *doc_strz(mandat_doc *d, const char *s);
/* Take ownership of a malloc'd string. */
const char *doc_own(mandat_doc *d, char *s);

mandat_entity *doc_add_entity(mandat_doc *d, mandat_entity_kind kind);
mandat_paragraph *entity_add_para(mandat_entity *e, mandat_para_kind kind);
mandat_footnote *entity_add_footnote(mandat_entity *e);
mandat_citation *entity_add_citation(mandat_entity *e);
mandat_subparagraph *para_add_sub(mandat_paragraph *p);
void para_add_note(mandat_paragraph *p, int n);
mandat_clause *para_add_clause(mandat_paragraph *p);
mandat_addressee *clause_add_addressee(mandat_clause *c);
void clause_add_condition(mandat_clause *c, const char *s);

/* Fill *err (when not NULL): status, line (0: not about a line), file (NULL: left
 * as it is, for the caller to name) and reason (NULL: mandat_strerror).  Returns st. */
mandat_status error_set(mandat_error *err, mandat_status st, const char *file, int line,
                        const char *reason);

/* SHA-256 of a buffer as 64 hex digits + NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);
/* The same over pieces: a context from sha256_begin(), fed by sha256_update(),
 * freed by sha256_end() which writes the hex digest. */
void *sha256_begin(void);
void sha256_update(void *ctx, const void *data, size_t len);
void sha256_end(void *ctx, char out[65]);

#endif
