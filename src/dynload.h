/* dynload.h: libraries opened on first use, with dlopen(), instead of linked.
 *
 * poppler-glib (PDF input) and libmicrohttpd (`mandat serve`) bring some 50
 * libraries between them (cairo, NSS, X11, GnuTLS …): linked, every command would
 * load them, 10 MB of memory and milliseconds of start-up for the few that need
 * them.  Their headers still give the types; the Makefile names each library by
 * the soname of the one the headers come with. */
#ifndef MANDAT_DYNLOAD_H
#define MANDAT_DYNLOAD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const char *name; /* the symbol */
  void *fn;         /* the address of the function pointer to fill */
} dyn_sym;

/* Open the library `soname` and fill every function pointer of syms.  Returns
 * false, with the reason in why, when the library or one of the symbols is
 * missing.  Not thread-safe: call it under pthread_once(). */
bool dyn_open(const char *soname, const dyn_sym *syms, size_t n, char *why, size_t whylen);

#endif
