// Transaction parsing on bad input: every truncation of real transactions,
// counts larger than the data, trailing bytes, a witness flag with no
// witness, unknown flags, non-canonical sizes. Each is an error value with a
// stable code; none reads outside the buffer (run under ASan in CI).
#include <gtest/gtest.h>

#include <set>

#include "btc/tx.h"

namespace ladder::btc {
namespace {

// BIP-143's signed native P2WPKH example (witness) and its unsigned form (legacy).
constexpr const char* kWitnessTx =
    "01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc2"
    "6ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4"
    "ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff"
    "02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4d"
    "be6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a"
    "0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee0121025476c2e83188368da1ff3e292e7acafcdb"
    "3566bb0ad253f62fc70f07aeee635711000000";
constexpr const char* kLegacyTx =
    "0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d1"
    "82d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99"
    "f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000";

TEST(TxParse, RealTransactionsRoundTrip) {
  for (const char* hex : {kWitnessTx, kLegacyTx}) {
    auto tx = parse_transaction_hex(hex);
    ASSERT_TRUE(tx) << tx.error().to_string();
    EXPECT_EQ(to_hex(tx->serialize()), hex);
  }
  auto w = parse_transaction_hex(kWitnessTx);
  auto l = parse_transaction_hex(kLegacyTx);
  EXPECT_TRUE(w->has_witness());
  EXPECT_EQ(w->vin.size(), 2u);
  EXPECT_EQ(w->vin[1].witness.size(), 2u);
  EXPECT_EQ(w->locktime, 0x11u);
  EXPECT_FALSE(l->has_witness());
}

TEST(TxParse, EveryTruncationIsAnError) {
  const std::set<std::string> truncation_codes = {"serialize.truncated", "tx.truncated"};
  size_t checked = 0;
  for (const char* hex : {kWitnessTx, kLegacyTx}) {
    const Bytes full = hex_or_throw(hex);
    for (size_t len = 0; len < full.size(); ++len) {
      // A copy of exactly `len` bytes, so ASan flags any read past it.
      const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
      auto tx = parse_transaction(prefix);
      ASSERT_FALSE(tx) << "prefix of " << len << " bytes parsed";
      EXPECT_TRUE(truncation_codes.count(tx.error().code)) << len << ": " << tx.error().to_string();
      ++checked;
    }
  }
  std::printf("tx parse: %zu truncations rejected\n", checked);
}

TEST(TxParse, TrailingBytes) {
  Bytes data = hex_or_throw(kLegacyTx);
  data.push_back(0x00);
  EXPECT_EQ(parse_transaction(data).error().code, "serialize.trailing");
  Reader r(data);  // a stream reader stops at the end of the transaction
  ASSERT_TRUE(read_transaction(r));
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(TxParse, OversizedCounts) {
  // version, then an input count of 2^32-1 (beyond the size limit).
  Bytes huge = hex_or_throw("02000000feffffffff");
  EXPECT_EQ(parse_transaction(huge).error().code, "serialize.oversized");
  // 1,000,000 inputs announced, a few bytes present.
  Bytes many = hex_or_throw("02000000fe40420f00" + std::string(100, '0'));
  EXPECT_EQ(parse_transaction(many).error().code, "tx.truncated");
  // One input, then 1,000,000 outputs announced.
  const std::string one_input = "01" + std::string(64, 'a') + "00000000" + "00" + "ffffffff";
  Bytes outs = hex_or_throw("02000000" + one_input + "fe40420f00" + std::string(40, '0'));
  EXPECT_EQ(parse_transaction(outs).error().code, "tx.truncated");
  // A scriptSig announced as 0x02000001 bytes.
  Bytes script = hex_or_throw("0200000001" + std::string(64, 'a') + "00000000" + "fe01000002");
  EXPECT_EQ(parse_transaction(script).error().code, "serialize.oversized");
  // A witness with 10,000 items announced and none present.
  Bytes wit = hex_or_throw("020000000001" + one_input + "00" + "fd1027" + "00000000");
  EXPECT_EQ(parse_transaction(wit).error().code, "tx.truncated");
}

TEST(TxParse, WitnessFlagErrors) {
  const std::string one_input = "01" + std::string(64, 'b') + "01000000" + "00" + "ffffffff";
  const std::string one_output = "01" + std::string(16, '0') + "00";
  // Flag 1 with every witness empty: superfluous.
  Bytes superfluous = hex_or_throw("020000000001" + one_input + one_output + "00" + "00000000");
  EXPECT_EQ(parse_transaction(superfluous).error().code, "tx.superfluous-witness");
  // Unknown flag bits.
  Bytes unknown = hex_or_throw("020000000002" + one_input + one_output + "00000000");
  EXPECT_EQ(parse_transaction(unknown).error().code, "tx.unknown-flags");
  // The same bytes with a real witness parse, and not at all without witness support.
  Bytes good = hex_or_throw("020000000001" + one_input + one_output + "0101ab" + "00000000");
  ASSERT_TRUE(parse_transaction(good));
  EXPECT_FALSE(parse_transaction(good, false));
}

TEST(TxParse, NonCanonicalCompactSize) {
  // One input written as 0xfd 0x01 0x00.
  Bytes data = hex_or_throw("02000000fd0100" + std::string(64, 'c') + "00000000" + "00" + "ffffffff" + "00" + "00000000");
  EXPECT_EQ(parse_transaction(data).error().code, "serialize.non-canonical");
}

TEST(TxParse, BadHex) { EXPECT_EQ(parse_transaction_hex("0g").error().code, "hex.invalid"); }

}  // namespace
}  // namespace ladder::btc
