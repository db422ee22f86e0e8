// Bitcoin Core's sighash.json: legacy (pre-segwit) signature hashes of random
// transactions, scripts and hash types.
#include <gtest/gtest.h>

#include "btc/sighash.h"
#include "btc/tx.h"
#include "vectors.h"

namespace ladder::btc {
namespace {

TEST(LegacySighashVectors, EveryCoreCase) {
  auto cases = test::load_json_vectors("bitcoin-core/sighash.json");
  size_t checked = 0;
  for (const auto& c : cases) {
    if (c.size() == 1) continue;  // comment row
    ASSERT_EQ(c.size(), 5u);
    const std::string raw = c[0], script_hex = c[1], expected = c[4];
    const int input = c[2];
    const int32_t hash_type = c[3];
    // Core's test parses without witness; these transactions have none.
    auto tx = parse_transaction_hex(raw, false);
    ASSERT_TRUE(tx) << raw << " " << tx.error().to_string();
    auto script = from_hex(script_hex);
    ASSERT_TRUE(script);
    Bytes32 h = legacy_sighash(*tx, static_cast<size_t>(input), *script, hash_type);
    EXPECT_EQ(to_hex(reversed(h)), expected) << "case " << checked << ": " << raw;
    ++checked;
  }
  EXPECT_EQ(checked, 500u);
  std::printf("sighash.json: %zu legacy sighash cases checked\n", checked);
}

}  // namespace
}  // namespace ladder::btc
