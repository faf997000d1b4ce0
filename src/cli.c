/* cli.c: the command line.  Subcommands are one static table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>

#include "cli.h"
#include "mandat.h"
#include "render.h"

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *usage;
  const char *help;
} command;

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const command commands[] = {
    {"parse", cmd_parse, "parse [--json] [--brief] FILE...",
     "read resolutions (text, markdown, HTML, PDF) and print their outline or JSON"},
    {"mandates", cmd_mandates,
     "mandates [--csv|--json] [--addressee ID] [--force F] FILE...\n"
     "  mandat mandates [--db PATH] [--symbol S] [--organ O] [--year FROM-TO] [--since DATE]\n"
     "                  [--no-reporting] [--conditions] [--all-versions] [--addressee ID] [--force F]",
     "one row per clause that asks someone to act, from files or from the registry"},
    {"classify", cmd_classify, "classify [--json] [FILE]",
     "label paragraphs separated by blank lines: preambular, operative or other"},
    {"ingest", cmd_ingest, "ingest [--db PATH] [--quiet] FILE|DIR...", "store resolutions in the registry"},
    {"search", cmd_search, "search [--db PATH] [filters] QUERY", "full-text search of the registry"},
    {"show", cmd_show, "show [--db PATH] [--json] [--all-versions] SYMBOL [OP12|PP3] [--history]",
     "a resolution or paragraph from the registry"},
    {"cites", cmd_cites, "cites [--db PATH] [--json] [--all-versions] SYMBOL",
     "who cites a resolution, and what it cites"},
    {"stats", cmd_stats, "stats [--db PATH] [--json] [--symbol S] [--organ O] [--year FROM-TO] [--since DATE]",
     "counts by organ, year, force and addressee"},
    {"export", cmd_export, "export [--db PATH] --format json|csv|akn [--symbol S]",
     "export the registry"},
    {"diff", cmd_diff, "diff [--json|--html] OLD NEW", "how a resolution changed between versions"},
    {"lineage", cmd_lineage, "lineage [--json|--html] FILE|SYMBOL...",
     "where each paragraph and mandate of a series first appeared"},
    {"duplicates", cmd_duplicates, "duplicates [--db PATH] [--json|--csv]",
     "near-duplicate paragraphs and mandates across resolutions"},
    {"serve", cmd_serve, "serve [--db PATH] [--port 8080] [--bind 127.0.0.1]",
     "HTTP JSON API and web interface"},
    {"version", cmd_version, "version", "print the version"},
    {"help", cmd_help, "help", "this help"},
    {NULL, NULL, NULL, NULL}};

static int usage_error(const char *msg) {
  fprintf(stderr, "mandat: %s (see `mandat help`)\n", msg);
  return 2;
}

static int cmd_help(int argc, char **argv) {
  (void)argc, (void)argv;
  printf("mandat %s: the mandate registry of the UN crime prevention and criminal justice programme\n\n"
         "usage:\n", MANDAT_VERSION);
  for (const command *c = commands; c->name; c++) printf("  mandat %s\n      %s\n", c->usage, c->help);
  return 0;
}

static int cmd_version(int argc, char **argv) {
  (void)argc, (void)argv;
  printf("mandat %s\n", MANDAT_VERSION);
  return 0;
}

/* Report a failed file on one line. */
static void report(const mandat_error *err) {
  if (err->line > 0 && !strstr(err->reason, "line"))
    fprintf(stderr, "mandat: %s:%d: %s\n", err->file, err->line, err->reason);
  else
    fprintf(stderr, "mandat: %s: %s\n", err->file, err->reason);
}

/* `mandat parse` renders each group of entities as the parser hands it over:
 * the head of a file's output goes out with its first group. */
typedef struct {
  bool json, brief, first;
  mandat_buf out;
} parse_out;

static void parse_group(const mandat_doc *g, void *ctx) {
  parse_out *po = ctx;
  if (po->json) {
    if (po->first) render_json_head(g, &po->out);
    render_json_entities(g, po->first, &po->out, stdout);
  } else {
    if (po->first) render_outline_head(g, stdout);
    render_outline_entities(g, po->brief, stdout);
  }
  po->first = false;
}

int cmd_parse(int argc, char **argv) {
  bool json = false, brief = false;
  int nfiles = 0, failed = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) json = true;
    else if (strcmp(argv[i], "--brief") == 0) brief = true;
    else if (strcmp(argv[i], "--") == 0) break;
    else if (argv[i][0] == '-' && argv[i][1]) {
      char msg[300];
      snprintf(msg, sizeof msg, "parse: unknown option '%s'", argv[i]);
      return usage_error(msg);
    }
  }
  parse_out po = {json, brief, true, {0}};
  bool after_dashes = false;
  for (int i = 1; i < argc; i++) {
    if (!after_dashes && strcmp(argv[i], "--") == 0) {
      after_dashes = true;
      continue;
    }
    if (!after_dashes && argv[i][0] == '-' && argv[i][1]) continue;
    nfiles++;
    mandat_error err = {0};
    po.first = true;
    if (mandat_parse_file_each(argv[i], parse_group, &po, &err) != MANDAT_OK) {
      report(&err);
      failed++;
      continue;
    }
    if (json) {
      render_json_tail(&po.out);
      buf_putc(&po.out, '\n');
      fwrite(po.out.data, 1, po.out.len, stdout);
      buf_clear(&po.out);
    }
  }
  buf_free(&po.out);
  if (!nfiles) return usage_error("parse: no file given");
  if (fflush(stdout) != 0) {
    fprintf(stderr, "mandat: cannot write output\n");
    return 1;
  }
  return failed ? 1 : 0;
}

const char *cli_value(int argc, char **argv, int *i, const char *name, bool *bad) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n) != 0) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (a[n] != '\0') return NULL;
  if (*i + 1 >= argc) {
    cli_usage("option %s needs a value", name);
    *bad = true;
    return NULL;
  }
  *i += 1;
  return argv[*i];
}

const char *cli_db_path(const char *given) {
  if (given && *given) return given;
  const char *env = getenv("MANDAT_DB");
  return env && *env ? env : "mandat.db";
}

int cli_usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("mandat: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs(" (see `mandat help`)\n", stderr);
  va_end(ap);
  return 2;
}

int mandat_cli(int argc, char **argv) {
  if (argc < 2) {
    cmd_help(0, NULL);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) return cmd_help(0, NULL);
  if (strcmp(argv[1], "--version") == 0) return cmd_version(0, NULL);
  for (const command *c = commands; c->name; c++)
    if (strcmp(c->name, argv[1]) == 0) return c->run(argc - 1, argv + 1);
  char msg[300];
  snprintf(msg, sizeof msg, "unknown command '%s'", argv[1]);
  return usage_error(msg);
}
