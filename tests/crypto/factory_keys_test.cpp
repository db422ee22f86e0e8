// Factory keys: BIP-32 hardened derivation (checked against BIP-32's own test
// vectors), determinism, and independence of keys across indices and seeds.
#include <gtest/gtest.h>

#include <set>

#include "crypto/factory_keys.h"

namespace ladder::crypto {
namespace {

// Key and chain code decoded from the BIP-32 test vectors' xprv strings.
TEST(FactoryKeys, HardenedDerivationMatchesBip32Vectors) {
  struct Case {
    const char* seed;
    std::vector<uint32_t> path;
    const char* chain_code;
    const char* key;
  };
  const Case cases[] = {
      {"000102030405060708090a0b0c0d0e0f", {0},  // vector 1, m/0H
       "47fdacbd0f1097043b78c63c20c34ef4ed9a111d980047ad16282c7ae6236141",
       "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea"},
      {"4b381541583be4423346c643850da4b320e46a87ae3d2a4e6da11eba819cd4acba45d239319ac14f863b8d5ab5a0d0c64d2e8a1e7d"
       "1457df2e5a3c51c73235be",
       {0},  // vector 3, m/0H (leading zeros retained)
       "e5fea12a97b927fc9dc3d2cb0d1ea1cf50aa5a1fdc1f933e8906bb38df3377bd",
       "491f7a2eebc7b57028e0d3faa0acda02e75c33b03c48fb288c41e2ea44e1daef"},
      {"3ddd5602285899a946114506157c7997e5444528f3003f6134712147db19b678", {0, 1},  // vector 4, m/0H/1H
       "a48ee6674c5264a237703fd383bccd9fad4d9378ac98ab05e6e7029b06360c0d",
       "3a2086edd7d9df86c3487a5905a1712a9aa664bce8cc268141e07549eaa8661d"},
  };
  for (const auto& c : cases) {
    auto node = HardenedKeyNode::master(hex_or_throw(c.seed));
    ASSERT_TRUE(node);
    for (uint32_t i : c.path) node = node->child(i);
    ASSERT_TRUE(node);
    EXPECT_EQ(to_hex(node->chain_code()), c.chain_code);
    EXPECT_EQ(to_hex(node->key().reveal()), c.key);
  }
}

TEST(FactoryKeys, DeterministicAndDistinct) {
  Bytes seed_a(32, 0x11), seed_b(32, 0x22);
  auto a = FactoryKeyChain::from_seed(seed_a, KeyNetwork::mainnet);
  auto a2 = FactoryKeyChain::from_seed(seed_a, KeyNetwork::mainnet);
  auto a_test = FactoryKeyChain::from_seed(seed_a, KeyNetwork::test);
  auto b = FactoryKeyChain::from_seed(seed_b, KeyNetwork::mainnet);
  ASSERT_TRUE(a && a2 && a_test && b);
  std::set<Bytes33> seen;
  for (uint32_t i : {0u, 1u, 2u, 1000u, 0x7FFFFFFFu}) {
    auto k = a->factory_key(i);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->reveal(), a2->factory_key(i)->reveal());  // deterministic
    EXPECT_TRUE(seen.insert(k->pubkey().bytes()).second);
    EXPECT_TRUE(seen.insert(a_test->factory_key(i)->pubkey().bytes()).second);
    EXPECT_TRUE(seen.insert(b->factory_key(i)->pubkey().bytes()).second);
  }
  EXPECT_EQ(a->factory_key(0x80000000u).error().code, "keys.index-out-of-range");
  EXPECT_EQ(FactoryKeyChain::from_seed(Bytes(15, 1), KeyNetwork::mainnet).error().code, "keys.seed-length");
  EXPECT_EQ(FactoryKeyChain::from_seed(Bytes(65, 1), KeyNetwork::mainnet).error().code, "keys.seed-length");
}

// A handed-over factory key (with every public key) must give nothing usable
// about the client's other factory keys. A linear derivation would make
// k2 - k1 (additive) or k2 / k1 (multiplicative) the same for every seed;
// neither relation holds.
TEST(FactoryKeys, KeysAreIndependentAcrossIndicesAndSeeds) {
  const int seeds = 64;
  std::vector<Scalar> d1, d2;
  std::set<Bytes32> differences;
  for (int s = 0; s < seeds; ++s) {
    Bytes seed(32, static_cast<uint8_t>(s));
    seed[0] = 0xEE;
    auto chain = *FactoryKeyChain::from_seed(seed, KeyNetwork::mainnet);
    d1.push_back(chain.factory_key(1)->scalar());
    d2.push_back(chain.factory_key(2)->scalar());
    differences.insert((d2.back() - d1.back()).bytes());
  }
  EXPECT_EQ(differences.size(), static_cast<size_t>(seeds));
  // d2_s / d1_s == d2_t / d1_t  <=>  d2_s * d1_t == d2_t * d1_s
  for (int s = 0; s + 1 < seeds; ++s) EXPECT_FALSE(d2[s] * d1[s + 1] == d2[s + 1] * d1[s]) << s;
}

TEST(FactoryKeys, PathIsPurposeNetworkIndexAllHardened) {
  Bytes seed(32, 0x5A);
  auto expected = HardenedKeyNode::master(seed)->child(kFactoryKeyPurpose)->child(1)->child(42);
  ASSERT_TRUE(expected);
  auto chain = FactoryKeyChain::from_seed(seed, KeyNetwork::test);
  EXPECT_EQ(chain->factory_key(42)->reveal(), expected->key().reveal());
}

}  // namespace
}  // namespace ladder::crypto
