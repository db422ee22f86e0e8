// BIP-327 vectors: key_sort_vectors.json, key_agg_vectors.json,
// nonce_gen_vectors.json, nonce_agg_vectors.json.
#include "bip327_support.h"

namespace ladder::crypto::musig::test {
namespace {

TEST(Bip327Vectors, KeySort) {
  json v = ladder::test::read_vector_json("bip327/key_sort_vectors.json");
  auto sorted = key_sort(fixed_list<33>(v["pubkeys"]));
  EXPECT_EQ(sorted, fixed_list<33>(v["sorted_pubkeys"]));
  report("key_sort_vectors.json", 1, 0);
}

TEST(Bip327Vectors, KeyAgg) {
  json v = ladder::test::read_vector_json("bip327/key_agg_vectors.json");
  auto pubkeys = fixed_list<33>(v["pubkeys"]);
  auto tweaks = fixed_list<32>(v["tweaks"]);
  int valid = 0, errors = 0;
  for (const auto& c : v["valid_test_cases"]) {
    auto ctx = KeyAggContext::create(pick(pubkeys, c["key_indices"]));
    ASSERT_TRUE(ctx) << ctx.error().to_string();
    EXPECT_EQ(to_hex(ctx->xonly_pubkey().bytes()), to_hex(hex_or_throw(c["expected"].get<std::string>())));
    ++valid;
  }
  for (const auto& c : v["error_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    auto ctx = KeyAggContext::create(pick(pubkeys, c["key_indices"]));
    auto tweaked = ctx ? ctx->apply_tweaks(tweak_list(tweaks, c["tweak_indices"], c["is_xonly"])) : ctx;
    expect_error(tweaked, c["error"]);
    ++errors;
  }
  EXPECT_EQ(valid + errors, 9);
  report("key_agg_vectors.json", valid, errors);
}

TEST(Bip327Vectors, NonceGen) {
  json v = ladder::test::read_vector_json("bip327/nonce_gen_vectors.json");
  int valid = 0;
  for (const auto& c : v["test_cases"]) {
    std::optional<SecretKey> sk;
    if (!c["sk"].is_null()) sk = *SecretKey::parse(ladder::test::hex_field(c["sk"]));
    Bytes msg, extra;
    NonceGenOptions opts;
    opts.rand = hex_fixed_or_throw<32>(c["rand_"].get<std::string>());
    if (sk) opts.sk = &*sk;
    if (!c["aggpk"].is_null()) opts.aggpk = hex_fixed_or_throw<32>(c["aggpk"].get<std::string>());
    if (!c["msg"].is_null()) opts.msg = msg = ladder::test::hex_field(c["msg"]);
    if (!c["extra_in"].is_null()) opts.extra_in = extra = ladder::test::hex_field(c["extra_in"]);
    auto pk = PubKey::parse(ladder::test::hex_field(c["pk"]));
    ASSERT_TRUE(pk);
    auto pair = nonce_gen(*pk, opts);
    ASSERT_TRUE(pair) << pair.error().to_string();
    EXPECT_EQ(to_hex(pair->pubnonce.bytes()), to_hex(ladder::test::hex_field(c["expected_pubnonce"])));
    // The secret nonce is never exported. k ↦ k·G is injective on [1, n), so
    // equal public nonces from equal-pk secnonces mean equal secret nonces.
    auto expected_sec = hex_fixed_or_throw<97>(c["expected_secnonce"].get<std::string>());
    SecNonce imported = SecNonce::import_bip327(expected_sec);
    ASSERT_TRUE(imported.pubnonce());
    EXPECT_EQ(*imported.pubnonce(), pair->pubnonce);
    EXPECT_EQ(pair->secnonce.pubkey(), imported.pubkey());
    ++valid;
  }
  EXPECT_EQ(valid, 4);
  report("nonce_gen_vectors.json", valid, 0);
}

TEST(Bip327Vectors, NonceAgg) {
  json v = ladder::test::read_vector_json("bip327/nonce_agg_vectors.json");
  auto pnonces = fixed_list<66>(v["pnonces"]);
  int valid = 0, errors = 0;
  for (const auto& c : v["valid_test_cases"]) {
    auto nonces = parse_pubnonces(pick(pnonces, c["pnonce_indices"]));
    ASSERT_TRUE(nonces);
    auto agg = nonce_agg(*nonces);
    ASSERT_TRUE(agg);
    EXPECT_EQ(to_hex(agg->bytes()), to_hex(ladder::test::hex_field(c["expected"])));
    auto reparsed = AggNonce::parse(agg->bytes());
    ASSERT_TRUE(reparsed);
    EXPECT_EQ(*reparsed, *agg);
    ++valid;
  }
  for (const auto& c : v["error_test_cases"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    expect_error(parse_pubnonces(pick(pnonces, c["pnonce_indices"])), c["error"]);
    ++errors;
  }
  EXPECT_EQ(valid + errors, 5);
  report("nonce_agg_vectors.json", valid, errors);
}

}  // namespace
}  // namespace ladder::crypto::musig::test
