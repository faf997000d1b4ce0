/* cmd_mandates.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli.h"

int cmd_mandates(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: mandates is not built yet\n");
  return 2;
}

int cmd_classify(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: classify is not built yet\n");
  return 2;
}
