// BIP-327 vectors: sign_verify_vectors.json, tweak_vectors.json,
// det_sign_vectors.json, sig_agg_vectors.json.
#include "bip327_support.h"

namespace ladder::crypto::musig::test {
namespace {

std::vector<Bytes> byte_list(const json& hex_list) {
  std::vector<Bytes> out;
  for (const auto& h : hex_list) out.push_back(ladder::test::hex_field(h));
  return out;
}

SecNonce secnonce_from(const json& hex) { return SecNonce::import_bip327(hex_fixed_or_throw<97>(hex.get<std::string>())); }

TEST(Bip327Vectors, SignVerify) {
  json v = ladder::test::read_vector_json("bip327/sign_verify_vectors.json");
  auto sk = *SecretKey::parse(ladder::test::hex_field(v["sk"]));
  auto pubkeys = fixed_list<33>(v["pubkeys"]);
  auto pnonces = fixed_list<66>(v["pnonces"]);
  auto aggnonces = fixed_list<66>(v["aggnonces"]);
  auto msgs = byte_list(v["msgs"]);
  int valid = 0, errors = 0;

  for (const auto& c : v["valid_test_cases"]) {
    SCOPED_TRACE(c.dump());
    auto keys = pick(pubkeys, c["key_indices"]);
    auto nonces = pick(pnonces, c["nonce_indices"]);
    const Bytes& msg = msgs.at(c["msg_index"]);
    size_t signer = c["signer_index"];
    auto ctx = KeyAggContext::create(keys);
    ASSERT_TRUE(ctx);
    auto aggnonce = AggNonce::parse(aggnonces.at(c["aggnonce_index"]));
    ASSERT_TRUE(aggnonce);
    std::vector<PubNonce> parsed = *parse_pubnonces(nonces);
    EXPECT_EQ(*nonce_agg(parsed), *aggnonce);  // the vector's aggnonce is NonceAgg of its nonces
    auto session = Session::create(*ctx, *aggnonce, msg);
    ASSERT_TRUE(session);
    auto psig = session->sign(secnonce_from(v["secnonces"][0]), sk);
    ASSERT_TRUE(psig) << psig.error().to_string();
    EXPECT_EQ(to_hex(psig->bytes()), to_hex(ladder::test::hex_field(c["expected"])));
    EXPECT_TRUE(session->verify(*psig, parsed.at(signer), signer));
    EXPECT_TRUE(partial_sig_verify(psig->bytes(), nonces, keys, {}, msg, signer));
    ++valid;
  }

  for (const auto& c : v["sign_error_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    auto run = [&]() -> Expected<PartialSig> {
      LADDER_ASSIGN(KeyAggContext ctx, KeyAggContext::create(pick(pubkeys, c["key_indices"])));
      LADDER_ASSIGN(AggNonce aggnonce, AggNonce::parse(aggnonces.at(c["aggnonce_index"])));
      LADDER_ASSIGN(Session session, Session::create(ctx, aggnonce, msgs.at(c["msg_index"])));
      return session.sign(secnonce_from(v["secnonces"].at(c["secnonce_index"].get<size_t>())), sk);
    };
    expect_error(run(), c["error"]);
    ++errors;
  }

  for (const auto& c : v["verify_fail_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    size_t signer = c["signer_index"];
    Status st = partial_sig_verify(ladder::test::hex_field(c["sig"]), pick(pnonces, c["nonce_indices"]),
                                   pick(pubkeys, c["key_indices"]), {}, msgs.at(c["msg_index"]), signer);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, kInvalidContribution);
    EXPECT_EQ(st.error().what, "psig");
    EXPECT_EQ(st.error().index, static_cast<int>(signer));
    ++errors;
  }

  for (const auto& c : v["verify_error_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    Status st = partial_sig_verify(ladder::test::hex_field(c["sig"]), pick(pnonces, c["nonce_indices"]),
                                   pick(pubkeys, c["key_indices"]), {}, msgs.at(c["msg_index"]), c["signer_index"]);
    expect_error(st, c["error"]);
    ++errors;
  }
  EXPECT_EQ(valid, 6);
  EXPECT_EQ(errors, 11);
  report("sign_verify_vectors.json", valid, errors);
}

TEST(Bip327Vectors, Tweak) {
  json v = ladder::test::read_vector_json("bip327/tweak_vectors.json");
  auto sk = *SecretKey::parse(ladder::test::hex_field(v["sk"]));
  auto pubkeys = fixed_list<33>(v["pubkeys"]);
  auto pnonces = fixed_list<66>(v["pnonces"]);
  auto tweaks = fixed_list<32>(v["tweaks"]);
  Bytes msg = ladder::test::hex_field(v["msg"]);
  auto aggnonce = *AggNonce::parse(ladder::test::hex_field(v["aggnonce"]));
  int valid = 0, errors = 0;

  for (const auto& c : v["valid_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    auto keys = pick(pubkeys, c["key_indices"]);
    auto nonces = pick(pnonces, c["nonce_indices"]);
    auto tw = tweak_list(tweaks, c["tweak_indices"], c["is_xonly"]);
    size_t signer = c["signer_index"];
    std::vector<PubNonce> parsed = *parse_pubnonces(nonces);
    EXPECT_EQ(*nonce_agg(parsed), aggnonce);
    auto ctx = KeyAggContext::create(keys)->apply_tweaks(tw);
    ASSERT_TRUE(ctx);
    auto session = Session::create(*ctx, aggnonce, msg);
    ASSERT_TRUE(session);
    auto psig = session->sign(secnonce_from(v["secnonce"]), sk);
    ASSERT_TRUE(psig) << psig.error().to_string();
    EXPECT_EQ(to_hex(psig->bytes()), to_hex(ladder::test::hex_field(c["expected"])));
    EXPECT_TRUE(partial_sig_verify(psig->bytes(), nonces, keys, tw, msg, signer));
    ++valid;
  }
  for (const auto& c : v["error_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    auto ctx = KeyAggContext::create(pick(pubkeys, c["key_indices"]));
    ASSERT_TRUE(ctx);
    expect_error(ctx->apply_tweaks(tweak_list(tweaks, c["tweak_indices"], c["is_xonly"])), c["error"]);
    ++errors;
  }
  EXPECT_EQ(valid + errors, 6);
  report("tweak_vectors.json", valid, errors);
}

Expected<DeterministicSignResult> run_det_sign(const SecretKey& sk, const std::vector<Bytes33>& pubkeys,
                                               const std::vector<Bytes>& msgs, const json& c) {
  std::optional<Bytes32> rand;
  if (!c["rand"].is_null()) rand = hex_fixed_or_throw<32>(c["rand"].get<std::string>());
  auto tweaks = fixed_list<32>(c["tweaks"]);
  LADDER_ASSIGN(KeyAggContext ctx, KeyAggContext::create(pick(pubkeys, c["key_indices"])));
  LADDER_ASSIGN(ctx, ctx.apply_tweaks(tweak_list(tweaks, nullptr, c["is_xonly"])));
  LADDER_ASSIGN(PubNonce other, PubNonce::parse(ladder::test::hex_field(c["aggothernonce"]), -1, "aggothernonce"));
  return deterministic_sign(sk, other, ctx, msgs.at(c["msg_index"]), rand);
}

TEST(Bip327Vectors, DeterministicSign) {
  json v = ladder::test::read_vector_json("bip327/det_sign_vectors.json");
  auto sk = *SecretKey::parse(ladder::test::hex_field(v["sk"]));
  auto pubkeys = fixed_list<33>(v["pubkeys"]);
  auto msgs = byte_list(v["msgs"]);
  int valid = 0, errors = 0;
  for (const auto& c : v["valid_test_cases"]) {
    SCOPED_TRACE(c.dump());
    auto r = run_det_sign(sk, pubkeys, msgs, c);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(to_hex(r->pubnonce.bytes()), to_hex(ladder::test::hex_field(c["expected"][0])));
    EXPECT_EQ(to_hex(r->psig.bytes()), to_hex(ladder::test::hex_field(c["expected"][1])));
    // The partial signature verifies in the session it was made for.
    auto ctx = KeyAggContext::create(pick(pubkeys, c["key_indices"]))
                   ->apply_tweaks(tweak_list(fixed_list<32>(c["tweaks"]), nullptr, c["is_xonly"]));
    const PubNonce both[2] = {r->pubnonce, *PubNonce::parse(ladder::test::hex_field(c["aggothernonce"]))};
    auto session = Session::create(*ctx, *nonce_agg(both), msgs.at(c["msg_index"]));
    ASSERT_TRUE(session);
    EXPECT_TRUE(session->verify(r->psig, r->pubnonce, c["signer_index"]));
    ++valid;
  }
  for (const auto& c : v["error_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    expect_error(run_det_sign(sk, pubkeys, msgs, c), c["error"]);
    ++errors;
  }
  EXPECT_EQ(valid + errors, 9);
  report("det_sign_vectors.json", valid, errors);
}

TEST(Bip327Vectors, SigAgg) {
  json v = ladder::test::read_vector_json("bip327/sig_agg_vectors.json");
  auto pubkeys = fixed_list<33>(v["pubkeys"]);
  auto pnonces = fixed_list<66>(v["pnonces"]);
  auto tweaks = fixed_list<32>(v["tweaks"]);
  auto psigs = fixed_list<32>(v["psigs"]);
  Bytes msg = ladder::test::hex_field(v["msg"]);
  int valid = 0, errors = 0;
  // In the valid cases every partial signature also verifies on its own.
  auto run = [&](const json& c, bool verify_partials) -> Expected<SchnorrSig> {
    std::vector<PubNonce> nonces = *parse_pubnonces(pick(pnonces, c["nonce_indices"]));
    auto aggnonce = AggNonce::parse(ladder::test::hex_field(c["aggnonce"]));
    if (!aggnonce || !(*nonce_agg(nonces) == *aggnonce)) throw std::runtime_error("vector aggnonce mismatch");
    LADDER_ASSIGN(KeyAggContext ctx, KeyAggContext::create(pick(pubkeys, c["key_indices"])));
    LADDER_ASSIGN(ctx, ctx.apply_tweaks(tweak_list(tweaks, c["tweak_indices"], c["is_xonly"])));
    LADDER_ASSIGN(Session session, Session::create(ctx, *aggnonce, msg));
    std::vector<PartialSig> parsed;
    int i = 0;
    for (const auto& p : pick(psigs, c["psig_indices"])) {
      LADDER_ASSIGN(PartialSig s, PartialSig::parse(p, i));
      if (verify_partials) {
        EXPECT_TRUE(session.verify(s, nonces.at(i), i));
      }
      parsed.push_back(s);
      ++i;
    }
    return session.aggregate(parsed);
  };
  for (const auto& c : v["valid_test_cases"]) {
    auto sig = run(c, true);
    ASSERT_TRUE(sig) << sig.error().to_string();
    EXPECT_EQ(to_hex(sig->bytes()), to_hex(ladder::test::hex_field(c["expected"])));
    auto ctx = KeyAggContext::create(pick(pubkeys, c["key_indices"]))
                   ->apply_tweaks(tweak_list(tweaks, c["tweak_indices"], c["is_xonly"]));
    EXPECT_TRUE(schnorr_verify(*sig, msg, ctx->xonly_pubkey()));
    ++valid;
  }
  for (const auto& c : v["error_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    expect_error(run(c, false), c["error"]);
    ++errors;
  }
  EXPECT_EQ(valid + errors, 5);
  report("sig_agg_vectors.json", valid, errors);
}

}  // namespace
}  // namespace ladder::crypto::musig::test
