/* cmd_serve.c: `mandat serve`, the HTTP JSON API and web interface over the
 * registry (http.c).  Read-only; binds to loopback unless told otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http.h"

/* --routes prints the route table, one "PATTERN[*]<TAB>summary" per line: the HTTP
 * tests check each /api/ route against web/openapi.json. */
static int print_routes(void) {
  for (const mandat_http_route *r = mandat_http_routes; r->pattern; r++)
    printf("%s%s\t%s\n", r->pattern, r->prefix ? "*" : "", r->summary);
  return 0;
}

/* A port or thread count: an integer in [lo, hi], else -1. */
static int number(const char *v, int lo, int hi) {
  char *end;
  long n = strtol(v, &end, 10);
  return (*v && !*end && n >= lo && n <= hi) ? (int)n : -1;
}

int cmd_serve(int argc, char **argv) {
  mandat_http_options opt = {.bind = "127.0.0.1", .port = 8080};
  const char *db = NULL, *v;
  bool bad = false;
  for (int i = 1; i < argc; i++) {
    if ((v = cli_value(argc, argv, &i, "--db", &bad))) db = v;
    else if ((v = cli_value(argc, argv, &i, "--bind", &bad))) opt.bind = v;
    else if ((v = cli_value(argc, argv, &i, "--port", &bad))) {
      if ((opt.port = number(v, 0, 65535)) < 0) return cli_usage("serve: --port must be 0 to 65535");
    } else if ((v = cli_value(argc, argv, &i, "--threads", &bad))) {
      if ((opt.threads = number(v, 1, 64)) < 0) return cli_usage("serve: --threads must be 1 to 64");
    } else if (!bad && strcmp(argv[i], "--no-cache") == 0) {
      opt.no_cache = true;
    } else if (!bad && strcmp(argv[i], "--routes") == 0) {
      return print_routes();
    } else if (!bad) {
      return cli_usage("serve: unknown argument '%s'", argv[i]);
    }
    if (bad) return 2;
  }
  opt.db_path = cli_db_path(db);
  return mandat_http_serve(&opt);
}
