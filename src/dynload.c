/* dynload.c: dlopen() of a library and its functions (see dynload.h). */
#include "dynload.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

bool dyn_open(const char *soname, const dyn_sym *syms, size_t n, char *why, size_t whylen) {
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    snprintf(why, whylen, "cannot load %s: %s", soname, dlerror());
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    void *f = dlsym(h, syms[i].name);
    if (!f) {
      snprintf(why, whylen, "%s lacks %s", soname, syms[i].name);
      return false;
    }
    /* POSIX: a function's address from dlsym() is copied, not cast, into a
     * function pointer (ISO C has no conversion between the two) */
    memcpy(syms[i].fn, &f, sizeof f);
  }
  return true; /* the library stays open for the life of the process */
}
