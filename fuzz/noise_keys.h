// Fixed keys for the Noise fuzz targets (BOLT #8's test keys), so that every
// input is reproducible.
#pragma once

#include "crypto/secp.h"
#include "util/bytes.h"

namespace fuzz {

inline ladder::crypto::SecretKey filled_key(uint8_t fill) {
  return ladder::crypto::SecretKey::parse(ladder::Bytes(32, fill)).value();
}

inline const ladder::crypto::SecretKey& initiator_static() {
  static const auto k = filled_key(0x11);
  return k;
}
inline const ladder::crypto::SecretKey& initiator_ephemeral() {
  static const auto k = filled_key(0x12);
  return k;
}
inline const ladder::crypto::SecretKey& responder_static() {
  static const auto k = filled_key(0x21);
  return k;
}
inline const ladder::crypto::SecretKey& responder_ephemeral() {
  static const auto k = filled_key(0x22);
  return k;
}

}  // namespace fuzz
