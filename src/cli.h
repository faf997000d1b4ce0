/* cli.h: the subcommands of the mandat program and the small helpers they share.
 * Each subcommand lives in its own cmd_*.c file and is listed once in the table
 * of cli.c.  A subcommand returns the process exit status: 0 success, 1 some
 * input failed, 2 usage error. */
#ifndef MANDAT_CLI_H
#define MANDAT_CLI_H

#include <stdbool.h>

int cmd_parse(int argc, char **argv);       /* cli.c */
int cmd_mandates(int argc, char **argv);    /* cmd_mandates.c */
int cmd_classify(int argc, char **argv);    /* cmd_mandates.c */
int cmd_ingest(int argc, char **argv);      /* cmd_store.c */
int cmd_show(int argc, char **argv);        /* cmd_store.c */
int cmd_cites(int argc, char **argv);       /* cmd_store.c */
int cmd_stats(int argc, char **argv);       /* cmd_store.c */
int cmd_search(int argc, char **argv);      /* cmd_search.c */
int cmd_export(int argc, char **argv);      /* cmd_export.c */
int cmd_diff(int argc, char **argv);        /* cmd_compare.c */
int cmd_lineage(int argc, char **argv);     /* cmd_compare.c */
int cmd_duplicates(int argc, char **argv);  /* cmd_compare.c */
int cmd_serve(int argc, char **argv);       /* cmd_serve.c */

/* "--name VALUE" or "--name=VALUE" at argv[*i]: returns the value and advances *i
 * past it; NULL when argv[*i] is not that option.  A missing value prints a usage
 * error and sets *bad. */
const char *cli_value(int argc, char **argv, int *i, const char *name, bool *bad);

/* The registry path: the --db value if given, else $MANDAT_DB, else ./mandat.db. */
const char *cli_db_path(const char *given);

/* Print "mandat: MSG (see `mandat help`)" and return 2. */
int cli_usage(const char *fmt, ...);

#endif
