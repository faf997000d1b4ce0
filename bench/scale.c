/* scale.c: the scale corpus of `make bench-registry`.  Writes N synthetic General
 * Assembly resolutions into a directory, half French and half English, each a
 * well-formed text that `mandat parse` reads (header, chapeau, preambular
 * paragraphs ending with ",", numbered operative paragraphs, footer), with a new
 * symbol (A/RES/<session>/<1000 + i>), a year from 1990 to 2025 and real paragraphs
 * drawn at random: the French ones parsed out of the corpus/ files, the English ones
 * read from bench/data/en-paragraphs.txt (7,658 paragraphs of GA resolutions from
 * the UN Mandate Source Registry's public output, checked in so that a clone needs
 * nothing else).  The same seed gives the same files.
 *
 * usage: scale OUTDIR N [ROOT]   (ROOT: the source tree, default ".") */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "mandat.h"

typedef struct {
  char **v;
  size_t n, cap;
} list;

static void add(list *l, const char *s) {
  VEC_GROW(l->v, l->n, l->cap);
  l->v[l->n++] = xstrdup(s);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { /* xorshift64: fixed seed, same corpus every run */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
static size_t pick(size_t n) { return (size_t)(next() % n); }

/* French paragraphs: parse the bundled corpus. */
static int load_french(const char *root, list *pp, list *op) {
  char path[4096];
  for (int i = 0; i < 5; i++) {
    static const char *const files[] = {"000_fddacb455b7ac21b.txt", "001_b88bee2951a23392.txt",
                                        "002_6baa116d527fb12c.txt", "003_469ba701f917d0c9.txt",
                                        "004_f137dedce854ddd0.txt"};
    snprintf(path, sizeof path, "%s/corpus/%s", root, files[i]);
    mandat_doc *doc = NULL;
    mandat_error err = {0};
    if (mandat_parse_file(path, &doc, &err) != MANDAT_OK) {
      fprintf(stderr, "scale: %s: %s\n", path, err.reason);
      return -1;
    }
    for (size_t e = 0; e < mandat_doc_entity_count(doc); e++) {
      const mandat_entity *en = mandat_doc_entity(doc, e);
      for (size_t k = 0; k < en->n_preamble; k++) {
        const char *t = en->preamble[k].text;
        size_t n = strlen(t);
        if (n > 40 && t[n - 1] == ',')
          add(pp, t);
      }
      for (size_t k = 0; k < en->n_operative; k++)
        if (strlen(en->operative[k].text) > 40)
          add(op, en->operative[k].text);
    }
    mandat_doc_free(doc);
  }
  return 0;
}

/* English paragraphs: KIND<TAB>SYMBOL<TAB>TEXT lines, '#' comments. */
static int load_english(const char *root, list *pp, list *op) {
  char path[4096];
  snprintf(path, sizeof path, "%s/bench/data/en-paragraphs.txt", root);
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "scale: %s: %s\n", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    if (line[n - 1] == '\n')
      line[--n] = '\0';
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (line[0] == '#' || !t2)
      continue;
    add(line[0] == 'P' ? pp : op, t2 + 1);
  }
  free(line);
  fclose(f);
  return 0;
}

static const char *const month_en[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
static const char *const month_fr[12] = {"janvier",   "février", "mars",     "avril",
                                         "mai",       "juin",    "juillet",  "août",
                                         "septembre", "octobre", "novembre", "décembre"};

/* One resolution; fr selects the language.  Operative paragraphs end with ";",
 * the last with "." as printed. */
static void resolution(mandat_buf *b, int fr, int i, int year, const list *pp, const list *op) {
  int session = year - 1945, number = 1000 + i, day = 1 + (int)pick(28), month = (int)pick(12);
  int npp = 2 + (int)pick(9), nop = 3 + (int)pick(18);
  if (fr) {
    buf_printf(b, "Assemblée générale\n\nDistr. générale\n%d %s %d\n\n", day, month_fr[month],
               year);
    buf_printf(b, "Point %d de l'ordre du jour\n\n", 10 + (int)pick(150));
    buf_printf(b, "Résolution adoptée par l'Assemblée générale le %d %s %d\n\n", day,
               month_fr[month], year);
    buf_printf(b, "%d/%d. Résolution de synthèse numéro %d\n\nL'Assemblée générale,\n\n", session,
               number, i);
  } else {
    buf_printf(b, "General Assembly\n\nDistr.: General\n%d %s %d\n\n", day, month_en[month], year);
    buf_printf(b, "Agenda item %d\n\n", 10 + (int)pick(150));
    buf_printf(b, "Resolution adopted by the General Assembly on %d %s %d\n\n", day,
               month_en[month], year);
    buf_printf(b, "%d/%d. Synthetic resolution number %d\n\nThe General Assembly,\n\n", session,
               number, i);
  }
  for (int k = 0; k < npp; k++)
    buf_printf(b, "%s\n\n", pp->v[pick(pp->n)]);
  for (int k = 0; k < nop; k++) {
    const char *t = op->v[pick(op->n)];
    size_t n = strlen(t);
    while (n > 0 && (t[n - 1] == ';' || t[n - 1] == '.' || t[n - 1] == ' '))
      n--;
    buf_printf(b, "%d. %.*s%s\n\n", k + 1, (int)n, t, k + 1 < nop ? (fr ? " ;" : ";") : ".");
  }
  if (fr)
    buf_printf(b, "%de séance plénière\n%d %s %d\n", 40 + (int)pick(40), day, month_fr[month],
               year);
  else
    buf_printf(b, "%dth plenary meeting\n%d %s %d\n", 40 + (int)pick(40), day, month_en[month],
               year);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: scale OUTDIR N [ROOT]\n");
    return 2;
  }
  const char *dir = argv[1], *root = argc > 3 ? argv[3] : ".";
  long n = strtol(argv[2], NULL, 10);
  list fpp = {0}, fop = {0}, epp = {0}, eop = {0};
  if (load_french(root, &fpp, &fop) || load_english(root, &epp, &eop))
    return 1;
  if (!fpp.n || !fop.n || !epp.n || !eop.n) {
    fprintf(stderr, "scale: no paragraphs to draw from\n");
    return 1;
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "scale: %s: %s\n", dir, strerror(errno));
    return 1;
  }
  mandat_buf b = {0};
  double bytes = 0;
  char path[4096];
  for (long i = 0; i < n; i++) {
    int fr = (i % 2) == 0, year = 1990 + (int)pick(36);
    buf_clear(&b);
    resolution(&b, fr, (int)i, year, fr ? &fpp : &epp, fr ? &fop : &eop);
    snprintf(path, sizeof path, "%s/%05ld_%s.txt", dir, i, fr ? "fr" : "en");
    FILE *f = fopen(path, "w");
    if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
      fprintf(stderr, "scale: %s: %s\n", path, strerror(errno));
      return 1;
    }
    bytes += (double)b.len;
  }
  printf("%ld files, %.1f MB, from %zu+%zu French and %zu+%zu English paragraphs\n", n, bytes / 1e6,
         fpp.n, fop.n, epp.n, eop.n);
  buf_free(&b);
  return 0;
}
