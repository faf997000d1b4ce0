/* cmd_compare.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli.h"

int cmd_diff(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: diff is not built yet\n");
  return 2;
}

int cmd_lineage(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: lineage is not built yet\n");
  return 2;
}

int cmd_duplicates(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: duplicates is not built yet\n");
  return 2;
}
