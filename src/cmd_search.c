/* cmd_search.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli.h"

int cmd_search(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: search is not built yet\n");
  return 2;
}
