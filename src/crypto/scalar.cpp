// Scalar arithmetic mod n. Addition, negation and reduction use four 64-bit
// limbs and masks (no secret-dependent branches); multiplication delegates to
// libsecp256k1 (secp256k1_ec_seckey_tweak_mul), which rejects zero operands,
// so the zero cases are handled here.
#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

#include "crypto/secp.h"

namespace ladder::crypto {

namespace {

using Limbs = std::array<uint64_t, 4>;  // little-endian limbs

// n = FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141
constexpr Limbs kN = {0xBFD25E8CD0364141ULL, 0xBAAEDCE6AF48A03BULL, 0xFFFFFFFFFFFFFFFEULL, 0xFFFFFFFFFFFFFFFFULL};

// Big-endian bytes <-> limbs, one 8-byte load and byte swap per limb.
static_assert(std::endian::native == std::endian::little, "limb loads assume a little-endian host");

Limbs load(const Bytes32& be) {
  Limbs w;
  for (int limb = 0; limb < 4; ++limb) {
    uint64_t v;
    std::memcpy(&v, be.data() + (3 - limb) * 8, 8);
    w[limb] = __builtin_bswap64(v);
  }
  return w;
}

Bytes32 store(const Limbs& w) {
  Bytes32 be;
  for (int limb = 0; limb < 4; ++limb) {
    uint64_t v = __builtin_bswap64(w[limb]);
    std::memcpy(be.data() + (3 - limb) * 8, &v, 8);
  }
  return be;
}

// out = a - b; returns the final borrow (0 or 1).
uint64_t sub(const Limbs& a, const Limbs& b, Limbs& out) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t d = a[i] - b[i];
    uint64_t b1 = a[i] < b[i];
    out[i] = d - borrow;
    borrow = b1 | (d < borrow);
  }
  return borrow;
}

// mask all-ones selects a, all-zeros selects b.
Limbs select(uint64_t mask, const Limbs& a, const Limbs& b) {
  Limbs r;
  for (int i = 0; i < 4; ++i) r[i] = (a[i] & mask) | (b[i] & ~mask);
  return r;
}

// x mod n for any x < 2^256 (x < 2n always holds).
Limbs reduce_once(const Limbs& x, uint64_t carry) {
  Limbs d;
  uint64_t borrow = sub(x, kN, d);
  // Use x - n when x (plus a carry bit 2^256) is at least n.
  uint64_t use_d = carry | (borrow ^ 1);
  return select(0 - use_d, d, x);
}

uint64_t nonzero_mask(const Limbs& w) {
  uint64_t any = w[0] | w[1] | w[2] | w[3];
  // 1 if any != 0, computed without a branch.
  uint64_t bit = (any | (0 - any)) >> 63;
  return 0 - bit;
}

}  // namespace

// Scalars are created and destroyed in every hot loop, so the wipe is an
// inline store the compiler must keep (the barrier says the bytes are read),
// the technique libsecp256k1 uses for its own secrets.
Scalar::~Scalar() {
  be_.fill(0);
  __asm__ __volatile__("" : : "r"(be_.data()) : "memory");
}

Expected<Scalar> Scalar::parse(ByteView bytes) {
  if (bytes.size() != 32) return make_error("crypto.scalar-length", "scalar must be 32 bytes, got " + std::to_string(bytes.size()));
  Bytes32 be;
  std::copy(bytes.begin(), bytes.end(), be.begin());
  Limbs d;
  if (sub(load(be), kN, d) == 0) return make_error("crypto.scalar-overflow", "scalar is not below the group order");
  Scalar s;
  s.be_ = be;
  return s;
}

Scalar Scalar::reduce(const Bytes32& bytes) {
  Scalar s;
  s.be_ = store(reduce_once(load(bytes), 0));
  return s;
}

Scalar Scalar::from_u64(uint64_t v) {
  Scalar s;
  s.be_ = store(Limbs{v, 0, 0, 0});
  return s;
}

bool Scalar::is_zero() const { return nonzero_mask(load(be_)) == 0; }

Scalar Scalar::operator+(const Scalar& o) const {
  Limbs a = load(be_), b = load(o.be_), sum;
  uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t t = a[i] + b[i];
    uint64_t c1 = t < a[i];
    sum[i] = t + carry;
    carry = c1 | (sum[i] < carry);
  }
  Scalar r;
  r.be_ = store(reduce_once(sum, carry));
  return r;
}

Scalar Scalar::operator-() const {
  Limbs a = load(be_), neg;
  sub(kN, a, neg);  // a < n: no borrow
  Scalar r;
  r.be_ = store(select(nonzero_mask(a), neg, Limbs{}));
  return r;
}

Scalar Scalar::operator*(const Scalar& o) const {
  Scalar r;
  if (is_zero() || o.is_zero()) return r;
  r.be_ = be_;
  // Both operands are in [1, n), so libsecp256k1 accepts them; the product of
  // two non-zero residues mod the prime n is non-zero.
  if (!secp256k1_ec_seckey_tweak_mul(secp_context(), r.be_.data(), o.be_.data()))
    throw std::logic_error("secp256k1_ec_seckey_tweak_mul rejected valid scalars");
  return r;
}

bool Scalar::operator==(const Scalar& o) const {
  uint8_t diff = 0;
  for (size_t i = 0; i < 32; ++i) diff |= static_cast<uint8_t>(be_[i] ^ o.be_[i]);
  return diff == 0;
}

}  // namespace ladder::crypto
