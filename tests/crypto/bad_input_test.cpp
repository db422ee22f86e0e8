// Every crypto parser with truncated, oversized and invalid-point input: a
// clear error code, never a crash or an out-of-bounds read (run under ASan).
#include <gtest/gtest.h>

#include "crypto/adaptor.h"
#include "crypto/musig.h"
#include "crypto/schnorr.h"

namespace ladder::crypto {
namespace {

// x = 5 is not the x coordinate of a curve point; x = p is not a field element.
const char* kNotOnCurveX = "0000000000000000000000000000000000000000000000000000000000000005";
const char* kFieldSizeX = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F";
const char* kOrder = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";

// A valid encoding, then every shorter prefix and one byte longer, each in
// its own heap buffer so ASan catches any read past the end.
template <class Parse>
void expect_length_checked(const Bytes& valid, Parse parse, const std::string& code) {
  ASSERT_TRUE(parse(ByteView(valid))) << "the valid encoding must parse";
  for (size_t len = 0; len < valid.size(); ++len) {
    Bytes truncated(valid.begin(), valid.begin() + static_cast<long>(len));
    auto r = parse(ByteView(truncated));
    ASSERT_FALSE(r) << "length " << len;
    EXPECT_EQ(r.error().code, code) << "length " << len;
  }
  Bytes oversized = valid;
  oversized.push_back(0);
  auto r = parse(ByteView(oversized));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, code);
}

Bytes compressed(uint8_t prefix, const char* x_hex) {
  Bytes b{prefix};
  append(b, hex_or_throw(x_hex));
  return b;
}

TEST(BadInput, PubKey) {
  SecretKey sk = SecretKey::generate();
  Bytes valid(sk.pubkey().bytes().begin(), sk.pubkey().bytes().end());
  expect_length_checked(valid, [](ByteView b) { return PubKey::parse(b); }, "crypto.pubkey-length");
  for (Bytes bad : {compressed(0x02, kNotOnCurveX), compressed(0x03, kFieldSizeX), compressed(0x04, kNotOnCurveX)})
    EXPECT_EQ(PubKey::parse(bad).error().code, "crypto.pubkey-invalid");
  Bytes wrong_prefix = valid;
  wrong_prefix[0] = 0x05;
  EXPECT_EQ(PubKey::parse(wrong_prefix).error().code, "crypto.pubkey-invalid");
  // Uncompressed (65-byte) keys are not accepted where BIP-327 wants 33 bytes.
  Bytes uncompressed(65, 0x04);
  EXPECT_EQ(PubKey::parse(uncompressed).error().code, "crypto.pubkey-length");
}

TEST(BadInput, XOnlyPubKeyAndSignature) {
  SecretKey sk = SecretKey::generate();
  Bytes x(sk.xonly_pubkey().bytes().begin(), sk.xonly_pubkey().bytes().end());
  expect_length_checked(x, [](ByteView b) { return XOnlyPubKey::parse(b); }, "crypto.xonly-length");
  EXPECT_EQ(XOnlyPubKey::parse(hex_or_throw(kNotOnCurveX)).error().code, "crypto.xonly-invalid");
  EXPECT_EQ(XOnlyPubKey::parse(hex_or_throw(kFieldSizeX)).error().code, "crypto.xonly-invalid");

  Bytes msg = {1, 2, 3};
  Bytes sig(64);
  auto s = schnorr_sign(sk, msg).bytes();
  std::copy(s.begin(), s.end(), sig.begin());
  expect_length_checked(sig, [](ByteView b) { return SchnorrSig::parse(b); }, "crypto.sig-length");
  // r = p and s = n parse (64 bytes) but never verify.
  Bytes r_is_p = hex_or_throw(kFieldSizeX), s_is_n = hex_or_throw(kOrder);
  Bytes bad_r = r_is_p, bad_s(sig.begin(), sig.begin() + 32);
  append(bad_r, ByteView(sig).subspan(32));
  append(bad_s, s_is_n);
  EXPECT_FALSE(schnorr_verify(*SchnorrSig::parse(bad_r), msg, sk.xonly_pubkey()));
  EXPECT_FALSE(schnorr_verify(*SchnorrSig::parse(bad_s), msg, sk.xonly_pubkey()));
}

TEST(BadInput, SecretKeyAndScalar) {
  Bytes valid = hex_or_throw("0000000000000000000000000000000000000000000000000000000000000003");
  expect_length_checked(valid, [](ByteView b) { return SecretKey::parse(b); }, "crypto.seckey-length");
  expect_length_checked(valid, [](ByteView b) { return Scalar::parse(b); }, "crypto.scalar-length");
  EXPECT_EQ(SecretKey::parse(Bytes(32, 0)).error().code, "crypto.seckey-invalid");
  EXPECT_EQ(SecretKey::parse(hex_or_throw(kOrder)).error().code, "crypto.seckey-invalid");
  EXPECT_TRUE(Scalar::parse(Bytes(32, 0)));  // zero is a scalar
}

TEST(BadInput, MusigNoncesAndPartialSigs) {
  using namespace musig;
  SecretKey sk = SecretKey::generate();
  auto pair = *nonce_gen(sk.pubkey());
  auto pub = pair.pubnonce.bytes();
  Bytes valid(pub.begin(), pub.end());

  auto check_nonce_error = [](const Error& e, int index, const std::string& what) {
    EXPECT_EQ(e.code, musig::kInvalidContribution);
    EXPECT_EQ(e.index, index);
    EXPECT_EQ(e.what, what);
  };
  for (size_t len : {size_t{0}, size_t{33}, size_t{65}, size_t{67}}) {
    Bytes b(valid.begin(), valid.begin() + static_cast<long>(std::min(len, valid.size())));
    b.resize(len, 0x02);
    check_nonce_error(PubNonce::parse(b, 3).error(), 3, "pubnonce");
    check_nonce_error(AggNonce::parse(b).error(), -1, "aggnonce");
  }
  Bytes second_bad = valid;
  auto off_curve = compressed(0x02, kNotOnCurveX);
  std::copy(off_curve.begin(), off_curve.end(), second_bad.begin() + 33);
  check_nonce_error(PubNonce::parse(second_bad, 7).error(), 7, "pubnonce");
  check_nonce_error(AggNonce::parse(second_bad, "aggothernonce").error(), -1, "aggothernonce");
  // Infinity (33 zero bytes) is allowed in an aggregate nonce only.
  Bytes with_infinity = valid;
  std::fill(with_infinity.begin(), with_infinity.begin() + 33, 0);
  EXPECT_FALSE(PubNonce::parse(with_infinity));
  auto agg = AggNonce::parse(with_infinity);
  ASSERT_TRUE(agg);
  EXPECT_FALSE(agg->r1());
  EXPECT_EQ(agg->bytes(), hex_fixed_or_throw<66>(to_hex(with_infinity)));

  Bytes psig(32, 1);
  expect_length_checked(psig, [](ByteView b) { return PartialSig::parse(b, 2); }, musig::kInvalidContribution);
  auto over = PartialSig::parse(hex_or_throw(kOrder), 2);
  ASSERT_FALSE(over);
  check_nonce_error(over.error(), 2, "psig");

  std::vector<Bytes33> keys = {sk.pubkey().bytes(), *from_hex_fixed<33>(to_hex(compressed(0x03, kFieldSizeX)))};
  auto ctx = KeyAggContext::create(std::span<const Bytes33>(keys));
  ASSERT_FALSE(ctx);
  check_nonce_error(ctx.error(), 1, "pubkey");
  EXPECT_EQ(KeyAggContext::create(std::span<const PubKey>()).error().code, "musig.no-keys");
  EXPECT_EQ(nonce_agg({}).error().code, "musig.no-nonces");
}

TEST(BadInput, AdaptorPreSignature) {
  SecretKey sk = SecretKey::generate(), t = SecretKey::generate();
  auto pre = adaptor::presign(sk, Bytes{9}, t.pubkey());
  ASSERT_TRUE(pre);
  auto b = pre->bytes();
  Bytes valid(b.begin(), b.end());
  expect_length_checked(valid, [](ByteView v) { return adaptor::PreSignature::parse(v); }, "adaptor.presig-length");
  Bytes bad_point = valid;
  auto off_curve = compressed(0x02, kNotOnCurveX);
  std::copy(off_curve.begin(), off_curve.end(), bad_point.begin());
  EXPECT_EQ(adaptor::PreSignature::parse(bad_point).error().code, "adaptor.presig-invalid");
  Bytes bad_s = valid;
  auto n = hex_or_throw(kOrder);
  std::copy(n.begin(), n.end(), bad_s.begin() + 33);
  EXPECT_EQ(adaptor::PreSignature::parse(bad_s).error().code, "adaptor.presig-invalid");
}

}  // namespace
}  // namespace ladder::crypto
