/* fuzz_parse.c: libFuzzer harness.  Feeds arbitrary bytes to mandat_parse() and, when
 * a document comes back, renders it as JSON so the renderer is exercised too; then
 * to mandat_parse_each(), which hands the entities over a group at a time to worker
 * threads, rendering each group.  Built and run by `make fuzz`; each crash it finds
 * becomes a file of tests/fuzz/crashes/, which tests/cli.sh runs through the binary. */
#include <stddef.h>
#include <stdint.h>

#include "mandat.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_group(const mandat_doc *group, void *ctx) {
  render_json_entities(group, true, ctx, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mandat_doc *doc = NULL;
  mandat_error err = {0};
  if (mandat_parse((const char *)data, size, "fuzz", &doc, &err) == MANDAT_OK) {
    mandat_buf out = {0};
    render_json(doc, &out);
    buf_free(&out);
  }
  mandat_doc_free(doc);
  mandat_buf out = {0};
  mandat_parse_each((const char *)data, size, "fuzz", render_group, &out, &err);
  buf_free(&out);
  return 0;
}
