// Point operations as libsecp256k1 public-API calls, with the point at
// infinity represented as std::nullopt.
#include <stdexcept>

#include "crypto/secp.h"

namespace ladder::crypto {

std::optional<PubKey> point_sum(std::span<const secp256k1_pubkey* const> points) {
  if (points.empty()) return std::nullopt;
  secp256k1_pubkey out;
  // With valid inputs, combine fails only when the sum is infinity.
  if (!secp256k1_ec_pubkey_combine(secp_context(), &out, points.data(), points.size())) return std::nullopt;
  return PubKey::from_raw(out);
}

std::optional<PubKey> point_add(const PubKey& a, const PubKey& b) {
  const secp256k1_pubkey* pts[2] = {&a.raw(), &b.raw()};
  return point_sum(pts);
}

std::optional<PubKey> point_mul(const PubKey& p, const Scalar& k) {
  if (k.is_zero()) return std::nullopt;
  secp256k1_pubkey r = p.raw();
  // k in [1, n) and a valid point: the product is a valid point.
  if (!secp256k1_ec_pubkey_tweak_mul(secp_context(), &r, k.bytes().data()))
    throw std::logic_error("secp256k1_ec_pubkey_tweak_mul rejected valid input");
  return PubKey::from_raw(r);
}

std::optional<PubKey> generator_mul(const Scalar& k) {
  if (k.is_zero()) return std::nullopt;
  secp256k1_pubkey r;
  if (!secp256k1_ec_pubkey_create(secp_context(), &r, k.bytes().data()))
    throw std::logic_error("secp256k1_ec_pubkey_create rejected a valid scalar");
  return PubKey::from_raw(r);
}

std::optional<PubKey> point_add_generator_mul(const PubKey& p, const Scalar& k) {
  if (k.is_zero()) return p;
  secp256k1_pubkey r = p.raw();
  // Fails only when P + k·G is infinity (k is below n).
  if (!secp256k1_ec_pubkey_tweak_add(secp_context(), &r, k.bytes().data())) return std::nullopt;
  return PubKey::from_raw(r);
}

}  // namespace ladder::crypto
