// The process-wide libsecp256k1 context and the random source.
#include <openssl/rand.h>

#include <stdexcept>

#include "crypto/secp.h"
#include "util/secure.h"

namespace ladder::crypto {

void fill_random(std::span<uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed: no secure randomness");
}

Bytes32 random_bytes32() {
  Bytes32 b;
  fill_random(b);
  return b;
}

const secp256k1_context* secp_context() {
  // Created once and deliberately never destroyed: objects with static
  // storage duration may still use it during shutdown.
  static const secp256k1_context* const ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (!c) throw std::runtime_error("secp256k1_context_create failed");
    Bytes32 seed = random_bytes32();
    int ok = secp256k1_context_randomize(c, seed.data());
    secure_wipe(seed);
    if (!ok) throw std::runtime_error("secp256k1_context_randomize failed");
    return c;
  }();
  return ctx;
}

}  // namespace ladder::crypto
