// Signature hashes against the BIP texts: the taproot sighash for every hash
// type, key path and script path, with and without annex and code-separator
// position, checked against a reference built byte by byte from BIP-341; the
// segwit v0 sighash against BIP-143's worked examples and the reference; the
// error cases.
#include <gtest/gtest.h>

#include <random>

#include "btc/sighash.h"
#include "btc/tx.h"
#include "reference_sighash.h"
#include "test_tx.h"

namespace ladder::btc {
namespace {

constexpr uint8_t kValidTaprootTypes[] = {0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83};

TEST(TaprootSighash, EveryHashTypeKeyAndScriptPathMatchesReference) {
  std::mt19937_64 rng(341);
  size_t checked = 0, single_errors = 0;
  for (int round = 0; round < 4; ++round) {
    // 3 inputs, 2 outputs: SIGHASH_SINGLE exists for inputs 0 and 1 only.
    auto r = test::random_tx(rng, 3, 2, round % 2 == 0);
    const auto txdata = precompute_tx_data(r.tx, r.spent);
    Bytes32 leaf{};
    for (auto& b : leaf) b = static_cast<uint8_t>(rng());
    const std::optional<Bytes> annexes[] = {std::nullopt, Bytes{0x50}, Bytes{0x50, 0x01, 0x02, 0x03}};
    for (size_t index = 0; index < r.tx.vin.size(); ++index) {
      for (uint8_t type : kValidTaprootTypes) {
        for (const auto& annex : annexes) {
          // Key path, then script path without and with a code separator.
          const std::optional<Bytes32> leaves[] = {std::nullopt, leaf, leaf};
          const uint32_t codeseps[] = {0xffffffff, 0xffffffff, 7};
          for (int path = 0; path < 3; ++path) {
            TapScriptExt ext{leaf, codeseps[path]};
            const TapScriptExt* e = leaves[path] ? &ext : nullptr;
            auto got = taproot_sighash(r.tx, index, type, txdata, annex, e);
            if ((type & 3) == SIGHASH_SINGLE && index >= r.tx.vout.size()) {
              ASSERT_FALSE(got);
              EXPECT_EQ(got.error().code, "sighash.single-without-output");
              ++single_errors;
              continue;
            }
            ASSERT_TRUE(got) << got.error().to_string();
            const Bytes ref = test::ref_bip341_preimage(r.tx, index, r.spent, type, annex, leaves[path], codeseps[path]);
            auto pre = taproot_sighash_preimage(r.tx, index, type, txdata, annex, e);
            ASSERT_TRUE(pre);
            EXPECT_EQ(to_hex(*pre), to_hex(ref)) << "type " << int(type) << " input " << index << " path " << path;
            EXPECT_EQ(*got, test::ref_tagged_hash("TapSighash", ref));
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(single_errors, 0u);
  std::printf("taproot sighash: %zu (hash type, input, annex, path) cases match the reference\n", checked);
}

TEST(TaprootSighash, AnnexLeafAndCodeSeparatorAreCommitted) {
  // A different annex, leaf or code-separator position gives a different hash.
  std::mt19937_64 rng(7);
  auto r = test::random_tx(rng, 2, 2, true);
  const auto txdata = precompute_tx_data(r.tx, r.spent);
  TapScriptExt a{Bytes32{1}, 0xffffffff}, b{Bytes32{2}, 0xffffffff}, c{Bytes32{1}, 0};
  auto h = [&](const std::optional<Bytes>& annex, const TapScriptExt* e) {
    return taproot_sighash(r.tx, 0, SIGHASH_DEFAULT, txdata, annex, e).value();
  };
  EXPECT_NE(h(std::nullopt, nullptr), h(std::nullopt, &a));
  EXPECT_NE(h(std::nullopt, &a), h(std::nullopt, &b));
  EXPECT_NE(h(std::nullopt, &a), h(std::nullopt, &c));
  EXPECT_NE(h(std::nullopt, nullptr), h(Bytes{0x50}, nullptr));
  EXPECT_NE(h(Bytes{0x50, 1}, nullptr), h(Bytes{0x50, 2}, nullptr));
}

TEST(TaprootSighash, Errors) {
  std::mt19937_64 rng(11);
  auto r = test::random_tx(rng, 2, 1, false);
  const auto txdata = precompute_tx_data(r.tx, r.spent);
  size_t invalid = 0;
  for (int t = 0; t < 256; ++t) {
    const auto type = static_cast<uint8_t>(t);
    const bool valid = std::find(std::begin(kValidTaprootTypes), std::end(kValidTaprootTypes), type) !=
                       std::end(kValidTaprootTypes);
    auto h = taproot_sighash(r.tx, 0, type, txdata, std::nullopt, nullptr);
    EXPECT_EQ(h.has_value(), valid) << t;
    if (!valid) {
      EXPECT_EQ(h.error().code, "sighash.invalid-hash-type");
      ++invalid;
    }
  }
  EXPECT_EQ(invalid, 249u);
  const auto no_spent = precompute_tx_data(r.tx, {});
  EXPECT_FALSE(no_spent.bip341_ready);
  EXPECT_EQ(taproot_sighash(r.tx, 0, 0, no_spent, std::nullopt, nullptr).error().code, "sighash.missing-spent-outputs");
  const auto short_spent = precompute_tx_data(r.tx, {r.spent[0]});
  EXPECT_EQ(taproot_sighash(r.tx, 0, 0, short_spent, std::nullopt, nullptr).error().code,
            "sighash.missing-spent-outputs");
  EXPECT_EQ(taproot_sighash(r.tx, 2, 0, txdata, std::nullopt, nullptr).error().code, "sighash.input-out-of-range");
  EXPECT_EQ(taproot_sighash(r.tx, 1, SIGHASH_SINGLE, txdata, std::nullopt, nullptr).error().code,
            "sighash.single-without-output");
}

// BIP-143's worked examples.
struct Bip143Example {
  const char* unsigned_tx;
  size_t index;
  const char* script_code;
  Amount amount;
  int32_t hash_type;
  const char* sighash;
};

TEST(SegwitV0Sighash, Bip143Examples) {
  const Bip143Example examples[] = {
      // Native P2WPKH
      {"0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d1"
       "82d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99"
       "f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000",
       1, "76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac", 600000000, 1,
       "c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670"},
      // P2SH-P2WPKH
      {"0100000001db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a54770100000000feffffff02b8b4eb0b000000"
       "001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8"
       "bd8ad6d77c88ac92040000",
       0, "76a91479091972186c449eb1ded22b78e40d009bdf008988ac", 1000000000, 1,
       "64f3b0f4dd2bb3aa1ce8566d220cc74dda9df97d8490cc81d89d735c92e59fb6"},
      // Native P2WSH, SIGHASH_SINGLE without a matching output, before and after the code separator
      {"0100000002fe3dc9208094f3ffd12645477b3dc56f60ec4fa8e6f5d67c565d1c6b9216b36e0000000000ffffffff0815cf020f013ed6"
       "cf91d29f4202e8a58726b1ac6c79da47c23d1bee0a6925f80000000000ffffffff0100f2052a010000001976a914a30741f8145e5aca"
       "df23f751864167f32e0963f788ac00000000",
       1,
       "21026dccc749adc2a9d0d89497ac511f760f45c47dc5ed9cf352a58ac706453880aeadab210255a9626aebf5e29c0e6538428ba0d1dc"
       "f6ca98ffdf086aa8ced5e0d0215ea465ac",
       4900000000, 3, "82dde6e4f1e94d02c2b7ad03d2115d691f48d064e9d52f58194a6637e4194391"},
      {"0100000002fe3dc9208094f3ffd12645477b3dc56f60ec4fa8e6f5d67c565d1c6b9216b36e0000000000ffffffff0815cf020f013ed6"
       "cf91d29f4202e8a58726b1ac6c79da47c23d1bee0a6925f80000000000ffffffff0100f2052a010000001976a914a30741f8145e5aca"
       "df23f751864167f32e0963f788ac00000000",
       1, "210255a9626aebf5e29c0e6538428ba0d1dcf6ca98ffdf086aa8ced5e0d0215ea465ac", 4900000000, 3,
       "fef7bd749cce710c5c052bd796df1af0d935e59cea63736268bcbe2d2134fc47"},
  };
  for (const auto& ex : examples) {
    auto tx = parse_transaction_hex(ex.unsigned_tx);
    ASSERT_TRUE(tx);
    const auto script = hex_or_throw(ex.script_code);
    const auto txdata = precompute_tx_data(*tx, {});
    EXPECT_EQ(to_hex(segwit_v0_sighash(*tx, ex.index, script, ex.amount, ex.hash_type, txdata)), ex.sighash);
    // Without precomputed data the function computes it itself.
    EXPECT_EQ(to_hex(segwit_v0_sighash(*tx, ex.index, script, ex.amount, ex.hash_type, PrecomputedTxData{})),
              ex.sighash);
  }
}

TEST(SegwitV0AndLegacySighash, EveryHashTypeMatchesReference) {
  std::mt19937_64 rng(143);
  size_t checked = 0;
  const int32_t types[] = {0, 1, 2, 3, 4, 0x21, 0x80, 0x81, 0x82, 0x83, 0x84, -1, 0x7fffff03, static_cast<int32_t>(0x80000082)};
  for (int round = 0; round < 3; ++round) {
    auto r = test::random_tx(rng, 3, 2, round == 1);
    const auto txdata = precompute_tx_data(r.tx, r.spent);
    const Bytes script = {0x76, 0xa9, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0x88, 0xac};
    for (size_t index = 0; index < r.tx.vin.size(); ++index) {
      for (int32_t type : types) {
        const Amount amount = r.spent[index].value;
        EXPECT_EQ(segwit_v0_sighash(r.tx, index, script, amount, type, txdata),
                  test::ref_bip143_sighash(r.tx, index, script, amount, type));
        EXPECT_EQ(legacy_sighash(r.tx, index, script, type), test::ref_legacy_sighash(r.tx, index, script, type));
        checked += 2;
      }
    }
  }
  std::printf("segwit v0 + legacy sighash: %zu cases match the reference\n", checked);
}

TEST(LegacySighash, OneHashAndCodeSeparators) {
  std::mt19937_64 rng(5);
  auto r = test::random_tx(rng, 3, 1, false);
  Bytes32 one{};
  one[0] = 1;
  EXPECT_EQ(legacy_sighash(r.tx, 1, {}, SIGHASH_SINGLE), one);
  EXPECT_EQ(legacy_sighash(r.tx, 3, {}, SIGHASH_ALL), one);
  EXPECT_NE(legacy_sighash(r.tx, 0, {}, SIGHASH_SINGLE), one);
  // OP_CODESEPARATORs are stripped from the script code, pushed 0xab bytes are not.
  const Bytes with_seps = {0xab, 0x51, 0xab, 0x01, 0xab, 0xab};
  const Bytes without = {0x51, 0x01, 0xab};
  EXPECT_EQ(legacy_sighash(r.tx, 0, with_seps, SIGHASH_ALL), legacy_sighash(r.tx, 0, without, SIGHASH_ALL));
  EXPECT_EQ(legacy_sighash(r.tx, 0, without, SIGHASH_ALL), test::ref_legacy_sighash(r.tx, 0, without, SIGHASH_ALL));
}

TEST(SegwitV0Sighash, InputPastTheEndIsAProgrammerError) {
  std::mt19937_64 rng(6);
  auto r = test::random_tx(rng, 1, 1, false);
  EXPECT_THROW((void)segwit_v0_sighash(r.tx, 1, {}, 0, SIGHASH_ALL, precompute_tx_data(r.tx, {})), std::out_of_range);
}

}  // namespace
}  // namespace ladder::btc
