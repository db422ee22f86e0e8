// Property tests (rapidcheck, at least 1,000 cases each) for adaptor
// signatures, single-signer and in MuSig2 sessions: adapted signatures
// verify under BIP-340; extraction returns t with t·G = T; pre-verification
// rejects a pre-signature checked against another T, message or key. Both
// parities of R + T must occur, so the negation path is exercised.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdlib>

#include "crypto/adaptor.h"
#include "crypto/musig.h"

namespace ladder::crypto {
namespace {

constexpr int kCases = 1000;

// rapidcheck reads RC_PARAMS once, at first use; ask for kCases unless the
// caller chose otherwise.
const bool kParamsSet = [] { return setenv("RC_PARAMS", "max_success=1000", 0) == 0; }();

rc::Gen<Bytes32> gen_bytes32() {
  return rc::gen::map(rc::gen::container<std::vector<uint8_t>>(32, rc::gen::arbitrary<uint8_t>()), [](std::vector<uint8_t> v) {
    Bytes32 b;
    std::copy(v.begin(), v.end(), b.begin());
    return b;
  });
}

SecretKey gen_key() {
  Scalar d = Scalar::reduce(*gen_bytes32());
  RC_PRE(!d.is_zero());
  return *SecretKey::from_scalar(d);
}

Bytes gen_msg() { return *rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()); }

Bytes other_msg(const Bytes& msg) {
  Bytes m = msg;
  if (m.empty()) m.push_back(0);
  else m[0] ^= 0x01;
  return m;
}

struct Stats {
  int cases = 0, odd = 0, even = 0;
};

void expect_enough(const Stats& s) {
  EXPECT_GE(s.cases, kCases);
  EXPECT_GT(s.odd, 0) << "R + T never had odd y: the negation path went untested";
  EXPECT_GT(s.even, 0);
}

TEST(AdaptorProperty, SingleSigner) {
  ASSERT_TRUE(kParamsSet);
  Stats stats;
  bool ok = rc::check("single-signer pre-sign / pre-verify / adapt / extract", [&] {
    SecretKey sk = gen_key(), t = gen_key(), other_key = gen_key(), other_t = gen_key();
    RC_PRE(other_t.pubkey() != t.pubkey() && other_key.xonly_pubkey() != sk.xonly_pubkey());
    Bytes msg = gen_msg();
    auto pre = adaptor::presign(sk, msg, t.pubkey(), *gen_bytes32());
    RC_ASSERT(pre.has_value());
    (pre->nonce().has_even_y() ? stats.even : stats.odd)++;

    RC_ASSERT(adaptor::pre_verify(*pre, msg, sk.xonly_pubkey(), t.pubkey()));
    RC_ASSERT(!adaptor::pre_verify(*pre, msg, sk.xonly_pubkey(), other_t.pubkey()));
    RC_ASSERT(!adaptor::pre_verify(*pre, other_msg(msg), sk.xonly_pubkey(), t.pubkey()));
    RC_ASSERT(!adaptor::pre_verify(*pre, msg, other_key.xonly_pubkey(), t.pubkey()));
    // The pre-signature alone is not a signature.
    RC_ASSERT(!schnorr_verify(adaptor::adapt(*pre, other_t), msg, sk.xonly_pubkey()));

    SchnorrSig sig = adaptor::adapt(*pre, t);
    RC_ASSERT(schnorr_verify(sig, msg, sk.xonly_pubkey()));
    auto extracted = adaptor::extract(*pre, sig, t.pubkey());
    RC_ASSERT(extracted.has_value());
    RC_ASSERT(extracted->pubkey() == t.pubkey());
    RC_ASSERT(extracted->scalar() == t.scalar());
    RC_ASSERT(!adaptor::extract(*pre, sig, other_t.pubkey()).has_value());
    ++stats.cases;
  });
  EXPECT_TRUE(ok);
  expect_enough(stats);
}

TEST(AdaptorProperty, MusigSession) {
  ASSERT_TRUE(kParamsSet);
  Stats stats;
  bool ok = rc::check("MuSig2 adaptor session", [&] {
    using namespace musig;
    int n = *rc::gen::inRange(1, 5);
    std::vector<SecretKey> keys;
    std::vector<PubKey> pubkeys;
    for (int i = 0; i < n; ++i) {
      keys.push_back(gen_key());
      pubkeys.push_back(keys.back().pubkey());
    }
    SecretKey t = gen_key(), other_t = gen_key(), outsider = gen_key();
    RC_PRE(other_t.pubkey() != t.pubkey());
    Bytes msg = gen_msg();
    auto base = KeyAggContext::create(key_sort(pubkeys));
    RC_ASSERT(base.has_value());
    bool xonly_tweak = *rc::gen::arbitrary<bool>();
    auto ctx = base->apply_tweak({Scalar::reduce(*gen_bytes32()).bytes(), xonly_tweak});
    RC_ASSERT(ctx.has_value());

    std::vector<SecNonce> secnonces;
    std::vector<PubNonce> pubnonces;
    for (int i = 0; i < n; ++i) {
      auto pair = nonce_gen(pubkeys[i], {.sk = &keys[i], .aggpk = ctx->xonly_pubkey().bytes(), .msg = msg,
                                         .rand = *gen_bytes32()});
      RC_ASSERT(pair.has_value());
      secnonces.push_back(std::move(pair->secnonce));
      pubnonces.push_back(pair->pubnonce);
    }
    auto session = Session::create(*ctx, *nonce_agg(pubnonces), msg, t.pubkey());
    RC_ASSERT(session.has_value());
    (session->final_nonce().has_even_y() ? stats.even : stats.odd)++;

    std::vector<PartialSig> psigs;
    for (int i = 0; i < n; ++i) {
      size_t slot = *ctx->index_of(pubkeys[i]);
      auto p = session->sign(std::move(secnonces[i]), keys[i]);
      RC_ASSERT(p.has_value());
      // Another signer checks this partial against R + T.
      RC_ASSERT(session->verify(*p, pubnonces[i], slot).has_value());
      psigs.push_back(*p);
    }
    auto pre = session->aggregate_presig(psigs);
    RC_ASSERT(pre.has_value());
    XOnlyPubKey agg = ctx->xonly_pubkey();
    RC_ASSERT(adaptor::pre_verify(*pre, msg, agg, t.pubkey()));
    RC_ASSERT(!adaptor::pre_verify(*pre, msg, agg, other_t.pubkey()));
    RC_ASSERT(!adaptor::pre_verify(*pre, other_msg(msg), agg, t.pubkey()));
    RC_ASSERT(!adaptor::pre_verify(*pre, msg, base->xonly_pubkey(), t.pubkey()));
    RC_ASSERT(!adaptor::pre_verify(*pre, msg, outsider.xonly_pubkey(), t.pubkey()));

    SchnorrSig sig = adaptor::adapt(*pre, t);
    RC_ASSERT(schnorr_verify(sig, msg, agg));
    auto extracted = adaptor::extract(*pre, sig, t.pubkey());
    RC_ASSERT(extracted.has_value());
    RC_ASSERT(extracted->pubkey() == t.pubkey());
    ++stats.cases;
  });
  EXPECT_TRUE(ok);
  expect_enough(stats);
}

}  // namespace
}  // namespace ladder::crypto
