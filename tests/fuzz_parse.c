/* fuzz_parse.c: libFuzzer harness.  Feeds arbitrary bytes to mandat_parse() and, when
 * a document comes back, renders it as JSON so the renderer is exercised too.  Built
 * and run by `make fuzz`; each crash it finds becomes a file of tests/fuzz/crashes/,
 * which tests/cli.sh runs through the binary. */
#include <stddef.h>
#include <stdint.h>

#include "mandat.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mandat_doc *doc = NULL;
  mandat_error err = {0};
  if (mandat_parse((const char *)data, size, "fuzz", &doc, &err) == MANDAT_OK) {
    mandat_buf out = {0};
    render_json(doc, &out);
    buf_free(&out);
  }
  mandat_doc_free(doc);
  return 0;
}
