// MuSig2 end-to-end flows beyond the BIP vectors: many signers, duplicate
// keys, tweaks, SecNonce single use, culprit naming, infinity nonces.
#include <gtest/gtest.h>

#include <type_traits>

#include "crypto/musig.h"

namespace ladder::crypto::musig {
namespace {

static_assert(!std::is_copy_constructible_v<SecNonce>);
static_assert(!std::is_copy_assignable_v<SecNonce>);
static_assert(std::is_nothrow_move_constructible_v<SecNonce>);

struct Ceremony {
  std::vector<SecretKey> keys;
  std::vector<PubKey> pubkeys;
  std::vector<SecNonce> secnonces;
  std::vector<PubNonce> pubnonces;
};

Ceremony start(size_t n, ByteView msg) {
  Ceremony c;
  for (size_t i = 0; i < n; ++i) {
    c.keys.push_back(SecretKey::generate());
    c.pubkeys.push_back(c.keys.back().pubkey());
  }
  for (size_t i = 0; i < n; ++i) {
    auto pair = nonce_gen(c.pubkeys[i], {.sk = &c.keys[i], .msg = msg});
    c.secnonces.push_back(std::move(pair->secnonce));
    c.pubnonces.push_back(pair->pubnonce);
  }
  return c;
}

SchnorrSig sign_all(Ceremony& c, const KeyAggContext& ctx, ByteView msg) {
  auto session = Session::create(ctx, *nonce_agg(c.pubnonces), msg);
  EXPECT_TRUE(session);
  std::vector<PartialSig> psigs;
  for (size_t i = 0; i < c.keys.size(); ++i) {
    auto p = session->sign(std::move(c.secnonces[i]), c.keys[i]);
    EXPECT_TRUE(p) << p.error().to_string();
    EXPECT_TRUE(session->verify(*p, c.pubnonces[i], i));
    psigs.push_back(*p);
  }
  return *session->aggregate(psigs);
}

TEST(Musig, ManySignersWithTweaksProduceValidSignatures) {
  Bytes msg = {0xAB, 0xCD};
  for (size_t n : {1, 2, 3, 17}) {
    Ceremony c = start(n, msg);
    auto sorted = key_sort(c.pubkeys);
    auto base = KeyAggContext::create(c.pubkeys);
    ASSERT_TRUE(base);
    auto ctx = base->apply_tweaks(std::vector<Tweak>{{random_bytes32(), false}, {random_bytes32(), true}});
    ASSERT_TRUE(ctx);
    auto sig = sign_all(c, *ctx, msg);
    EXPECT_TRUE(schnorr_verify(sig, msg, ctx->xonly_pubkey())) << n << " signers";
    EXPECT_FALSE(schnorr_verify(sig, msg, base->xonly_pubkey()));
  }
}

TEST(Musig, DuplicateKeysShareACoefficientAndStillSign) {
  Bytes msg = {1};
  Ceremony c = start(2, msg);
  std::vector<PubKey> keys = {c.pubkeys[0], c.pubkeys[1], c.pubkeys[0]};
  auto ctx = KeyAggContext::create(keys);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(ctx->coefficient(0), ctx->coefficient(2));
  EXPECT_EQ(ctx->coefficient(1), Scalar::one());  // the second distinct key
  EXPECT_EQ(*ctx->index_of(c.pubkeys[0]), 0u);
  // Signer 0 occupies two slots: it signs twice, with two nonces.
  auto extra = nonce_gen(c.pubkeys[0], {.sk = &c.keys[0]});
  std::vector<PubNonce> nonces = {c.pubnonces[0], c.pubnonces[1], extra->pubnonce};
  auto session = Session::create(*ctx, *nonce_agg(nonces), msg);
  std::vector<PartialSig> psigs = {*session->sign(std::move(c.secnonces[0]), c.keys[0]),
                                   *session->sign(std::move(c.secnonces[1]), c.keys[1]),
                                   *session->sign(std::move(extra->secnonce), c.keys[0])};
  EXPECT_TRUE(schnorr_verify(*session->aggregate(psigs), msg, ctx->xonly_pubkey()));
}

TEST(Musig, SecNonceIsConsumedBySigning) {
  Bytes msg = {7};
  Ceremony c = start(2, msg);
  auto ctx = *KeyAggContext::create(c.pubkeys);
  auto session = *Session::create(ctx, *nonce_agg(c.pubnonces), msg);
  SecNonce& mine = c.secnonces[0];
  ASSERT_TRUE(mine.pubnonce());
  ASSERT_TRUE(session.sign(std::move(mine), c.keys[0]));
  EXPECT_FALSE(mine.pubnonce());  // wiped
  auto again = session.sign(std::move(mine), c.keys[0]);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "musig.secnonce-invalid");

  // A move transfers the nonce and wipes the source.
  SecNonce moved = std::move(c.secnonces[1]);
  EXPECT_FALSE(c.secnonces[1].pubnonce());
  EXPECT_TRUE(session.sign(std::move(moved), c.keys[1]));
}

TEST(Musig, SigningChecksNonceKeyAndMembership) {
  Bytes msg = {7};
  Ceremony c = start(2, msg);
  auto ctx = *KeyAggContext::create(c.pubkeys);
  auto session = *Session::create(ctx, *nonce_agg(c.pubnonces), msg);
  // Signer 1's nonce used with signer 0's key.
  auto mismatch = session.sign(std::move(c.secnonces[1]), c.keys[0]);
  EXPECT_EQ(mismatch.error().code, "musig.secnonce-key-mismatch");
  // A key that is not in the session.
  SecretKey outsider = SecretKey::generate();
  auto out = nonce_gen(outsider.pubkey(), {.sk = &outsider});
  auto r = session.sign(std::move(out->secnonce), outsider);
  EXPECT_EQ(r.error().code, "musig.signer-not-in-keys");
}

TEST(Musig, VerificationNamesTheCulpritOfABadPartial) {
  Bytes msg = {3, 3};
  Ceremony c = start(4, msg);
  auto ctx = *KeyAggContext::create(c.pubkeys);
  auto session = *Session::create(ctx, *nonce_agg(c.pubnonces), msg);
  std::vector<PartialSig> psigs;
  for (size_t i = 0; i < 4; ++i) psigs.push_back(*session.sign(std::move(c.secnonces[i]), c.keys[i]));
  psigs[2] = PartialSig(psigs[2].s() + Scalar::one());  // signer 2 cheats
  EXPECT_FALSE(schnorr_verify(*session.aggregate(psigs), msg, ctx.xonly_pubkey()));
  for (size_t i = 0; i < 4; ++i) {
    Status st = session.verify(psigs[i], c.pubnonces[i], i);
    if (i != 2) {
      EXPECT_TRUE(st);
      continue;
    }
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, kInvalidContribution);
    EXPECT_EQ(st.error().index, 2);
    EXPECT_EQ(st.error().what, "psig");
  }
  // A partial checked against another signer's nonce or slot fails too.
  EXPECT_FALSE(session.verify(psigs[0], c.pubnonces[1], 0));
  EXPECT_FALSE(session.verify(psigs[0], c.pubnonces[0], 1));
  EXPECT_THROW((void)session.verify(psigs[0], c.pubnonces[0], 4), std::out_of_range);
}

TEST(Musig, InfiniteAggregateNonceStillNamesTheCulprit) {
  // Signer 1 (dishonest) announces the negation of signer 0's nonce, making
  // both halves of the aggregate infinity; the session uses R = G.
  Bytes msg = {5};
  Ceremony c = start(2, msg);
  c.pubnonces[1] = PubNonce(c.pubnonces[0].r1().negated(), c.pubnonces[0].r2().negated());
  auto agg = *nonce_agg(c.pubnonces);
  EXPECT_FALSE(agg.r1());
  EXPECT_FALSE(agg.r2());
  auto ctx = *KeyAggContext::create(c.pubkeys);
  auto session = *Session::create(ctx, agg, msg);
  EXPECT_EQ(to_hex(session.final_nonce().bytes()), "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  auto p0 = session.sign(std::move(c.secnonces[0]), c.keys[0]);
  ASSERT_TRUE(p0);
  EXPECT_TRUE(session.verify(*p0, c.pubnonces[0], 0));
  // Signer 1 holds no secret for the nonce it announced: whatever it sends
  // fails verification against that nonce, which names it.
  auto p1 = session.sign(std::move(c.secnonces[1]), c.keys[1]);
  ASSERT_TRUE(p1);
  Status st = session.verify(*p1, c.pubnonces[1], 1);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().index, 1);
  EXPECT_EQ(st.error().what, "psig");
}

TEST(Musig, KeyAggContextIsSharedAndOrderMatters) {
  Ceremony c = start(3, {});
  auto a = *KeyAggContext::create(c.pubkeys);
  auto sorted = key_sort(c.pubkeys);
  auto b = *KeyAggContext::create(sorted);
  auto again = *KeyAggContext::create(key_sort(std::vector<PubKey>{c.pubkeys[2], c.pubkeys[0], c.pubkeys[1]}));
  EXPECT_EQ(b.aggregate_pubkey(), again.aggregate_pubkey());
  if (sorted != c.pubkeys) {
    EXPECT_NE(a.aggregate_pubkey(), b.aggregate_pubkey());
  }
  auto tweaked = *b.apply_tweak({random_bytes32(), true});
  EXPECT_EQ(&tweaked.pubkeys(), &b.pubkeys());  // the signer list is shared, not copied
  EXPECT_NE(tweaked.aggregate_pubkey(), b.aggregate_pubkey());
}

TEST(Musig, AdaptorSessionMisuseIsAnError) {
  Bytes msg = {8};
  Ceremony c = start(2, msg);
  auto ctx = *KeyAggContext::create(c.pubkeys);
  auto agg = *nonce_agg(c.pubnonces);
  auto plain = *Session::create(ctx, agg, msg);
  EXPECT_EQ(plain.aggregate_presig({}).error().code, "musig.not-adaptor-session");
  auto with_t = *Session::create(ctx, agg, msg, SecretKey::generate().pubkey());
  EXPECT_EQ(with_t.aggregate({}).error().code, "musig.adaptor-session");
  // R does not depend on T, so T = -R makes R + T infinity.
  auto cancel = Session::create(ctx, agg, msg, plain.final_nonce().negated());
  EXPECT_EQ(cancel.error().code, "musig.adaptor-nonce-infinity");
}

}  // namespace
}  // namespace ladder::crypto::musig
