// The varint class of bug: a transaction with more than 252 inputs, outputs,
// witness items and script bytes needs 3-byte CompactSize prefixes
// everywhere. Serialization and all three sighash kinds are checked against
// the test-local reference, which writes CompactSize by hand.
#include <gtest/gtest.h>

#include <random>

#include "btc/sighash.h"
#include "btc/tx.h"
#include "crypto/hash.h"
#include "reference_sighash.h"
#include "test_tx.h"

namespace ladder::btc {
namespace {

test::RandomTx large_tx() {
  std::mt19937_64 rng(253);
  auto r = test::random_tx(rng, 300, 260, true);
  r.tx.vin[7].witness.assign(253, Bytes{0x01});       // 253 witness items
  r.tx.vin[8].script_sig.assign(300, 0x51);           // 300-byte scriptSig
  r.tx.vout[9].script_pubkey.assign(70000, 0x6a);     // 5-byte CompactSize length
  r.spent[10].script_pubkey.assign(253, 0x51);        // in sha_scriptpubkeys
  return r;
}

TEST(LargeTx, SerializationMatchesReferenceAndRoundTrips) {
  const auto r = large_tx();
  const Bytes full = r.tx.serialize(true), base = r.tx.serialize(false);
  EXPECT_EQ(full, test::ref_serialize(r.tx, true));
  EXPECT_EQ(base, test::ref_serialize(r.tx, false));
  // Input count right after the version: 0xfd 0x2c 0x01 (300).
  ASSERT_GT(base.size(), 7u);
  EXPECT_EQ(base[4], 0xfd);
  EXPECT_EQ(base[5], 0x2c);
  EXPECT_EQ(base[6], 0x01);
  EXPECT_EQ(full[4], 0x00);  // witness marker
  EXPECT_EQ(full[5], 0x01);  // flag
  EXPECT_EQ(full[6], 0xfd);
  EXPECT_EQ(r.tx.base_size(), base.size());
  EXPECT_EQ(r.tx.total_size(), full.size());
  EXPECT_EQ(r.tx.weight(), static_cast<int64_t>(base.size() * 3 + full.size()));

  auto parsed = parse_transaction(full);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_EQ(*parsed, r.tx);
  auto parsed_base = parse_transaction(base);
  ASSERT_TRUE(parsed_base) << parsed_base.error().to_string();
  EXPECT_EQ(parsed_base->vin.size(), 300u);
  EXPECT_EQ(parsed_base->vout.size(), 260u);
  EXPECT_EQ(parsed_base->txid(), r.tx.txid());
  EXPECT_EQ(r.tx.txid().bytes, crypto::sha256d(test::ref_serialize(r.tx, false)));
  EXPECT_EQ(r.tx.wtxid(), crypto::sha256d(test::ref_serialize(r.tx, true)));
}

TEST(LargeTx, AllThreeSighashesMatchReference) {
  const auto r = large_tx();
  const auto txdata = precompute_tx_data(r.tx, r.spent);
  const Bytes script_code(300, 0x51);  // itself longer than 252 bytes
  size_t checked = 0;
  for (size_t index : {size_t{0}, size_t{8}, size_t{252}, size_t{253}, size_t{259}, size_t{260}, size_t{299}}) {
    for (uint8_t type : {0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83}) {
      const bool single_missing = (type & 3) == SIGHASH_SINGLE && index >= r.tx.vout.size();
      if (type != 0) {
        EXPECT_EQ(legacy_sighash(r.tx, index, script_code, type),
                  test::ref_legacy_sighash(r.tx, index, script_code, type));
        EXPECT_EQ(segwit_v0_sighash(r.tx, index, script_code, r.spent[index].value, type, txdata),
                  test::ref_bip143_sighash(r.tx, index, script_code, r.spent[index].value, type));
        checked += 2;
      }
      auto tap = taproot_sighash(r.tx, index, type, txdata, Bytes(300, 0x50), nullptr);
      if (single_missing) {
        EXPECT_FALSE(tap);
        continue;
      }
      ASSERT_TRUE(tap);
      const Bytes ref = test::ref_bip341_preimage(r.tx, index, r.spent, type, Bytes(300, 0x50), std::nullopt, 0);
      EXPECT_EQ(*tap, test::ref_tagged_hash("TapSighash", ref));
      ++checked;
    }
  }
  std::printf("large tx (300 in, 260 out): %zu sighashes match the reference\n", checked);
}

}  // namespace
}  // namespace ladder::btc
