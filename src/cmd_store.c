/* cmd_store.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli.h"

int cmd_ingest(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: ingest is not built yet\n");
  return 2;
}

int cmd_show(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: show is not built yet\n");
  return 2;
}

int cmd_cites(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: cites is not built yet\n");
  return 2;
}

int cmd_stats(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "mandat: stats is not built yet\n");
  return 2;
}
