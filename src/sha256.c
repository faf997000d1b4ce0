/* sha256.c: SHA-256 of a buffer, for the source block and the registry's content
 * hash.  libcrypto's SHA256() uses the CPU's SHA extensions or vector code: about
 * ten times the speed of a portable C loop, which cost a tenth of a whole parse. */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

void sha256_hex(const void *data, size_t len, char out[65]) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(data, len, md);
  for (int k = 0; k < SHA256_DIGEST_LENGTH; k++) snprintf(out + 2 * k, 3, "%02x", md[k]);
}

/* Incremental: libcrypto's EVP digest context. */
void *sha256_begin(void) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) abort(); /* out of memory */
  return ctx;
}

void sha256_update(void *ctx, const void *data, size_t len) { EVP_DigestUpdate(ctx, data, len); }

void sha256_end(void *ctx, char out[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, md, &n);
  EVP_MD_CTX_free(ctx);
  for (unsigned k = 0; k < n && k < 32; k++) snprintf(out + 2 * k, 3, "%02x", md[k]);
}
