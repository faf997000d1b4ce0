/* cmd_export.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli.h"

int cmd_export(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: export is not built yet\n");
  return 2;
}
