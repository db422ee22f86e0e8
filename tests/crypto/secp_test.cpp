// Scalars, keys and point operations: edge values, and scalar arithmetic
// checked against OpenSSL's BIGNUM as an independent model.
#include <gtest/gtest.h>
#include <openssl/bn.h>

#include <memory>
#include <vector>

#include "crypto/secp.h"

namespace ladder::crypto {
namespace {

const char* kOrderHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";
const char* kGHex = "0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798";

using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
BnPtr bn(const Bytes32& be) { return BnPtr(BN_bin2bn(be.data(), 32, nullptr), &BN_free); }
Bytes32 bn_bytes(const BIGNUM* x) {
  Bytes32 out;
  if (BN_bn2binpad(x, out.data(), 32) != 32) throw std::runtime_error("BN_bn2binpad");
  return out;
}

// The model: (a op b) mod n computed by BIGNUM.
Bytes32 model(const Scalar& a, const Scalar& b, char op) {
  BnPtr n = bn(hex_fixed_or_throw<32>(kOrderHex)), x = bn(a.bytes()), y = bn(b.bytes()), r(BN_new(), &BN_free);
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_new(), &BN_CTX_free);
  int ok = op == '+' ? BN_mod_add(r.get(), x.get(), y.get(), n.get(), ctx.get())
         : op == '-' ? BN_mod_sub(r.get(), x.get(), y.get(), n.get(), ctx.get())
                     : BN_mod_mul(r.get(), x.get(), y.get(), n.get(), ctx.get());
  if (!ok) throw std::runtime_error("BIGNUM op failed");
  return bn_bytes(r.get());
}

std::vector<Scalar> edge_scalars() {
  Scalar n_minus_1 = -Scalar::one();
  return {Scalar(), Scalar::one(), Scalar::from_u64(2), n_minus_1, n_minus_1 - Scalar::one(),
          Scalar::from_u64(0xFFFFFFFFFFFFFFFFULL), *Scalar::parse(hex_or_throw(
              "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0"))};  // (n-1)/2
}

TEST(Scalar, ArithmeticMatchesBignumOnEdgesAndRandomValues) {
  std::vector<Scalar> values = edge_scalars();
  for (int i = 0; i < 200; ++i) values.push_back(Scalar::reduce(random_bytes32()));
  int checked = 0;
  for (size_t i = 0; i < values.size(); ++i)
    for (size_t j = 0; j < values.size(); j += (i < 7 ? 1 : 37)) {
      const Scalar &a = values[i], &b = values[j];
      ASSERT_EQ((a + b).bytes(), model(a, b, '+'));
      ASSERT_EQ((a - b).bytes(), model(a, b, '-'));
      ASSERT_EQ((a * b).bytes(), model(a, b, '*'));
      ++checked;
    }
  EXPECT_GT(checked, 1000);
}

TEST(Scalar, ZeroAndOrderEdges) {
  Scalar zero, one = Scalar::one(), n_minus_1 = -one;
  EXPECT_TRUE(zero.is_zero());
  EXPECT_TRUE((-zero).is_zero());
  EXPECT_TRUE((n_minus_1 + one).is_zero());
  EXPECT_EQ(n_minus_1 * n_minus_1, one);  // (-1)^2
  EXPECT_TRUE((zero * n_minus_1).is_zero());
  EXPECT_TRUE((n_minus_1 * zero).is_zero());
  EXPECT_EQ(zero + n_minus_1, n_minus_1);
  EXPECT_EQ(to_hex(n_minus_1.bytes()), "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
  // Reduction: n -> 0, 2^256 - 1 -> 2^256 - 1 - n.
  EXPECT_TRUE(Scalar::reduce(hex_fixed_or_throw<32>(kOrderHex)).is_zero());
  Bytes32 all_ones;
  all_ones.fill(0xFF);
  EXPECT_EQ(to_hex(Scalar::reduce(all_ones).bytes()), "000000000000000000000000000000014551231950b75fc4402da1732fc9bebe");
  EXPECT_EQ(Scalar::parse(hex_or_throw(kOrderHex)).error().code, "crypto.scalar-overflow");
  EXPECT_EQ(Scalar::parse(all_ones).error().code, "crypto.scalar-overflow");
  EXPECT_TRUE(Scalar::parse(n_minus_1.bytes()));
}

TEST(Points, InfinityIsNullopt) {
  SecretKey sk = SecretKey::generate();
  const PubKey& p = sk.pubkey();
  EXPECT_FALSE(point_mul(p, Scalar()));
  EXPECT_FALSE(generator_mul(Scalar()));
  EXPECT_FALSE(point_add(p, p.negated()));
  EXPECT_FALSE(point_add_generator_mul(p, -sk.scalar()));  // d·G - d·G
  EXPECT_EQ(*point_add_generator_mul(p, Scalar()), p);
  const secp256k1_pubkey* none[1] = {};
  EXPECT_FALSE(point_sum(std::span<const secp256k1_pubkey* const>(none, 0)));
}

TEST(Points, ArithmeticIsConsistent) {
  Scalar a = Scalar::reduce(random_bytes32()), b = Scalar::reduce(random_bytes32());
  PubKey g = *PubKey::parse(hex_or_throw(kGHex));
  EXPECT_EQ(*generator_mul(Scalar::one()), g);
  EXPECT_EQ(*point_mul(g, a), *generator_mul(a));
  EXPECT_EQ(*point_add(*generator_mul(a), *generator_mul(b)), *generator_mul(a + b));
  EXPECT_EQ(*point_add_generator_mul(*generator_mul(a), b), *generator_mul(a + b));
  EXPECT_EQ(*point_mul(*generator_mul(a), b), *generator_mul(a * b));
  EXPECT_EQ(generator_mul(a)->negated(), *generator_mul(-a));
  EXPECT_EQ(generator_mul(a)->negated().negated(), *generator_mul(a));
  std::vector<PubKey> pts;
  Scalar sum;
  for (int i = 1; i <= 50; ++i) {
    Scalar k = Scalar::from_u64(static_cast<uint64_t>(i) * 7919);
    pts.push_back(*generator_mul(k));
    sum += k;
  }
  std::vector<const secp256k1_pubkey*> raw;
  for (const auto& p : pts) raw.push_back(&p.raw());
  EXPECT_EQ(*point_sum(raw), *generator_mul(sum));
}

TEST(Keys, SecretKeyAndXOnly) {
  auto one = SecretKey::from_scalar(Scalar::one());
  ASSERT_TRUE(one);
  EXPECT_EQ(to_hex(one->pubkey().bytes()), to_hex(hex_or_throw(kGHex)));
  EXPECT_EQ(one->xonly_pubkey().bytes(), one->pubkey().xonly().bytes());
  EXPECT_EQ(SecretKey::from_scalar(Scalar()).error().code, "crypto.seckey-invalid");
  auto max = SecretKey::from_scalar(-Scalar::one());  // n - 1: its point is -G, odd y
  ASSERT_TRUE(max);
  EXPECT_FALSE(max->pubkey().has_even_y());
  EXPECT_EQ(max->xonly_pubkey().point(), one->pubkey());  // lift_x picks the even point
  EXPECT_EQ(max->scalar(), -Scalar::one());
  EXPECT_EQ(max->reveal(), (-Scalar::one()).bytes());
  auto x = XOnlyPubKey::parse(ByteView(max->pubkey().bytes()).subspan(1));
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->point().has_even_y());
  EXPECT_EQ(*x, max->xonly_pubkey());
}

}  // namespace
}  // namespace ladder::crypto
