/* cmd_search.c: `mandat search [--db PATH] [filters] QUERY`, full-text search of the
 * registry (search.c does the work).  One hit per paragraph: symbol, paragraph,
 * file:line and a snippet with the matched words in bold on a terminal, in [..]
 * otherwise; --json for the same as one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "render.h"
#include "search.h"
#include "store.h"

/* A whole number in [lo, hi] from an option value, or -1. */
static long number(const char *s, long lo, long hi) {
  char *end;
  if (!s || !*s)
    return -1;
  long v = strtol(s, &end, 10);
  return *end || v < lo || v > hi ? -1 : v;
}

static void print_json(const search_opts *o, const search_result *r) {
  mandat_buf b = {0};
  buf_puts(&b, "{\"query\":"), json_str(&b, o->query);
  buf_printf(&b, ",\"total\":%ld,\"hits\":[", r->total);
  for (int i = 0; i < r->n; i++) {
    const search_hit *h = &r->hits[i];
    buf_puts(&b, i ? ",{\"symbol\":" : "{\"symbol\":"), json_str(&b, h->symbol);
    buf_puts(&b, ",\"paragraph\":"), json_str(&b, h->paragraph);
    buf_puts(&b, ",\"kind\":"), json_str(&b, h->kind);
    buf_puts(&b, ",\"snippet\":"), json_str(&b, h->snippet);
    buf_puts(&b, ",\"file\":"), json_str(&b, h->file);
    buf_printf(&b, ",\"line\":%d,\"score\":%.4f}", h->line, h->score);
  }
  buf_puts(&b, "]}\n");
  fwrite(b.data, 1, b.len, stdout);
  buf_free(&b);
}

static void print_text(const search_result *r, long offset) {
  for (int i = 0; i < r->n; i++) {
    const search_hit *h = &r->hits[i];
    printf("%s %s  %s:%d\n    %s\n", h->symbol ? h->symbol : "(no symbol)", h->paragraph,
           h->file ? h->file : "?", h->line, h->snippet ? h->snippet : "");
  }
  if (r->n == 0)
    printf("no hits%s\n", r->total ? " on this page" : "");
  else
    printf("%ld-%ld of %ld hits\n", offset + 1, offset + r->n, r->total);
}

int cmd_search(int argc, char **argv) {
  search_opts o = {0};
  const char *db_path = NULL, *v;
  bool json = false, bad = false, dashes = false;
  mandat_buf query = {0};
  int status = 2;
  for (int i = 1; i < argc && !bad; i++) {
    const char *a = argv[i];
    if (dashes || a[0] != '-' || !a[1]) {
      if (query.len)
        buf_putc(&query, ' ');
      buf_puts(&query, a); /* several arguments: one query, words joined */
    } else if (strcmp(a, "--") == 0)
      dashes = true;
    else if (strcmp(a, "--json") == 0)
      json = true;
    else if ((v = cli_value(argc, argv, &i, "--db", &bad)))
      db_path = v;
    else if ((v = cli_value(argc, argv, &i, "--organ", &bad)))
      o.organ = v;
    else if ((v = cli_value(argc, argv, &i, "--lang", &bad)))
      o.lang = v;
    else if ((v = cli_value(argc, argv, &i, "--kind", &bad)))
      o.kind = v;
    else if ((v = cli_value(argc, argv, &i, "--addressee", &bad)))
      o.addressee = v;
    else if ((v = cli_value(argc, argv, &i, "--force", &bad)))
      o.force = v;
    else if ((v = cli_value(argc, argv, &i, "--symbol", &bad)))
      o.symbol = v;
    else if ((v = cli_value(argc, argv, &i, "--year", &bad))) {
      if (search_parse_years(v, &o.year_from, &o.year_to) != 0) {
        cli_usage("search: --year must be YEAR or FROM-TO (e.g. 2011-2025)");
        goto done;
      }
    } else if ((v = cli_value(argc, argv, &i, "--limit", &bad))) {
      if ((o.limit = (int)number(v, 1, SEARCH_MAX_LIMIT)) < 0) {
        cli_usage("search: --limit must be 1 to %d", SEARCH_MAX_LIMIT);
        goto done;
      }
    } else if ((v = cli_value(argc, argv, &i, "--offset", &bad))) {
      if ((o.offset = number(v, 0, 1000000000L)) < 0) {
        cli_usage("search: --offset must be a number, 0 or more");
        goto done;
      }
    } else if (!bad) {
      cli_usage("search: unknown option '%s'", a);
      goto done;
    }
  }
  if (bad)
    goto done;
  if (!query.len) {
    cli_usage("search: no query given");
    goto done;
  }
  o.query = buf_cstr(&query);
  bool tty = !json && isatty(STDOUT_FILENO);
  o.mark_open = tty ? "\033[1m" : "[";
  o.mark_close = tty ? "\033[0m" : "]";

  /* The query and filters are checked before the registry is opened, so a bad
   * query is reported as such even without a registry. */
  char err[300];
  char *expr = NULL;
  if (search_translate(o.query, &expr, err, sizeof err) != SEARCH_OK) {
    fprintf(stderr, "mandat: search: %s\n", err);
    goto done;
  }
  free(expr);

  sqlite3 *db = NULL;
  const char *path = cli_db_path(db_path);
  if (access(path, F_OK) != 0) {
    fprintf(stderr, "mandat: search: no registry at %s (create it with `mandat ingest`)\n", path);
    status = 1;
    goto done;
  }
  if (store_open(path, false, &db, err, sizeof err) != SQLITE_OK) {
    fprintf(stderr, "mandat: search: %s: %s\n", path, err);
    status = 1;
    goto done;
  }
  search_result r;
  search_status st = search_run(db, &o, &r, err, sizeof err);
  if (st == SEARCH_OK) {
    if (json)
      print_json(&o, &r);
    else
      print_text(&r, o.offset);
    search_result_free(&r);
    status = fflush(stdout) == 0 ? 0 : 1;
    if (status)
      fprintf(stderr, "mandat: cannot write output\n");
  } else {
    fprintf(stderr, "mandat: search: %s\n", err);
    status = st == SEARCH_DB_ERROR ? 1 : 2;
  }
  store_close(db);
done:
  buf_free(&query);
  return status;
}
