// PubKey, XOnlyPubKey and SecretKey.
#include <stdexcept>

#include "crypto/secp.h"
#include "util/secure.h"

namespace ladder::crypto {

namespace {

Bytes33 serialize(const secp256k1_pubkey& raw) {
  Bytes33 out;
  size_t len = out.size();
  secp256k1_ec_pubkey_serialize(secp_context(), out.data(), &len, &raw, SECP256K1_EC_COMPRESSED);
  return out;
}

}  // namespace

// ---- PubKey ----

Expected<PubKey> PubKey::parse(ByteView bytes) {
  if (bytes.size() != 33)
    return make_error("crypto.pubkey-length", "compressed public key must be 33 bytes, got " + std::to_string(bytes.size()));
  if (bytes[0] != 0x02 && bytes[0] != 0x03)
    return make_error("crypto.pubkey-invalid", "compressed public key must start with 0x02 or 0x03");
  secp256k1_pubkey raw;
  if (!secp256k1_ec_pubkey_parse(secp_context(), &raw, bytes.data(), bytes.size()))
    return make_error("crypto.pubkey-invalid", "x coordinate is not on the curve or not below p");
  Bytes33 b;
  std::copy(bytes.begin(), bytes.end(), b.begin());
  return PubKey(raw, b);
}

PubKey PubKey::from_raw(const secp256k1_pubkey& raw) { return PubKey(raw, serialize(raw)); }

Expected<PubKey> PubKey::parse_uncompressed(ByteView bytes) {
  if (bytes.size() != 65)
    return make_error("crypto.pubkey-length", "uncompressed public key must be 65 bytes, got " + std::to_string(bytes.size()));
  if (bytes[0] != 0x04) return make_error("crypto.pubkey-invalid", "uncompressed public key must start with 0x04");
  secp256k1_pubkey raw;
  if (!secp256k1_ec_pubkey_parse(secp_context(), &raw, bytes.data(), bytes.size()))
    return make_error("crypto.pubkey-invalid", "the point is not on the curve");
  return from_raw(raw);
}

Bytes65 PubKey::uncompressed() const {
  Bytes65 out;
  size_t len = out.size();
  secp256k1_ec_pubkey_serialize(secp_context(), out.data(), &len, &raw_, SECP256K1_EC_UNCOMPRESSED);
  return out;
}

XOnlyPubKey PubKey::xonly() const { return XOnlyPubKey(has_even_y() ? *this : negated()); }

PubKey PubKey::negated() const {
  secp256k1_pubkey r = raw_;
  if (!secp256k1_ec_pubkey_negate(secp_context(), &r)) throw std::logic_error("secp256k1_ec_pubkey_negate failed");
  Bytes33 b = bytes_;
  b[0] ^= 0x01;  // negation flips the parity of y and keeps x
  return PubKey(r, b);
}

// ---- XOnlyPubKey ----

XOnlyPubKey::XOnlyPubKey(const PubKey& even) : even_(even) {
  if (!secp256k1_xonly_pubkey_from_pubkey(secp_context(), &xonly_, nullptr, &even_.raw()))
    throw std::logic_error("secp256k1_xonly_pubkey_from_pubkey failed");
  std::copy(even_.bytes().begin() + 1, even_.bytes().end(), bytes_.begin());
}

Expected<XOnlyPubKey> XOnlyPubKey::parse(ByteView bytes) {
  if (bytes.size() != 32)
    return make_error("crypto.xonly-length", "x-only public key must be 32 bytes, got " + std::to_string(bytes.size()));
  Bytes33 compressed;
  compressed[0] = 0x02;
  std::copy(bytes.begin(), bytes.end(), compressed.begin() + 1);
  auto p = PubKey::parse(compressed);
  if (!p) return make_error("crypto.xonly-invalid", "x coordinate is not on the curve or not below p");
  return XOnlyPubKey(*p);
}

// ---- SecretKey ----

namespace {
secp256k1_pubkey keypair_pub(const secp256k1_keypair& kp) {
  secp256k1_pubkey pub;
  if (!secp256k1_keypair_pub(secp_context(), &pub, &kp)) throw std::logic_error("secp256k1_keypair_pub failed");
  return pub;
}
}  // namespace

SecretKey::SecretKey(const secp256k1_keypair& kp)
    : keypair_(kp), pub_(PubKey::from_raw(keypair_pub(kp))), xonly_(pub_.xonly()) {}

SecretKey::~SecretKey() { secure_wipe(keypair_); }

Expected<SecretKey> SecretKey::parse(ByteView bytes) {
  if (bytes.size() != 32)
    return make_error("crypto.seckey-length", "secret key must be 32 bytes, got " + std::to_string(bytes.size()));
  secp256k1_keypair kp;
  if (!secp256k1_keypair_create(secp_context(), &kp, bytes.data())) {
    secure_wipe(kp);
    return make_error("crypto.seckey-invalid", "secret key must be in [1, n)");
  }
  SecretKey sk(kp);
  secure_wipe(kp);
  return sk;
}

Expected<SecretKey> SecretKey::from_scalar(const Scalar& d) { return parse(d.bytes()); }

SecretKey SecretKey::generate() {
  for (;;) {
    Bytes32 b = random_bytes32();
    auto sk = parse(b);
    secure_wipe(b);
    if (sk) return std::move(sk).value();
  }
}

Bytes32 SecretKey::reveal() const {
  Bytes32 out;
  if (!secp256k1_keypair_sec(secp_context(), out.data(), &keypair_)) throw std::logic_error("secp256k1_keypair_sec failed");
  return out;
}

Scalar SecretKey::scalar() const {
  Scalar s;  // 1 <= d < n, so the bytes are a valid scalar as they are
  if (!secp256k1_keypair_sec(secp_context(), s.be_.data(), &keypair_)) throw std::logic_error("secp256k1_keypair_sec failed");
  return s;
}

}  // namespace ladder::crypto
