#include "crypto/factory_keys.h"

#include <string_view>

#include "crypto/hash.h"
#include "util/secure.h"

namespace ladder::crypto {

namespace {
constexpr uint32_t kHardened = 0x80000000u;
}  // namespace

HardenedKeyNode::~HardenedKeyNode() { secure_wipe(chain_code_); }

// Key = I_L + add (mod n), chain code = I_R; invalid if I_L >= n or the key is 0.
Expected<HardenedKeyNode> HardenedKeyNode::from_hmac(const std::array<uint8_t, 64>& i, const Scalar& add,
                                                     const char* invalid_code) {
  auto il = Scalar::parse(ByteView(i).first(32));
  if (!il) return make_error(invalid_code, "derived key is not below n");
  auto key = SecretKey::from_scalar(*il + add);
  if (!key) return make_error(invalid_code, "derived key is zero");
  Bytes32 chain;
  std::copy(i.begin() + 32, i.end(), chain.begin());
  HardenedKeyNode node(*key, chain);
  secure_wipe(chain);
  return node;
}

Expected<HardenedKeyNode> HardenedKeyNode::master(ByteView seed) {
  if (seed.size() < 16 || seed.size() > 64)
    return make_error("keys.seed-length", "seed must be 16 to 64 bytes, got " + std::to_string(seed.size()));
  constexpr std::string_view kSalt = "Bitcoin seed";
  auto i = hmac_sha512(ByteView(reinterpret_cast<const uint8_t*>(kSalt.data()), kSalt.size()), seed);
  auto node = from_hmac(i, Scalar(), "keys.invalid-seed");
  secure_wipe(i);
  return node;
}

Expected<HardenedKeyNode> HardenedKeyNode::child(uint32_t index) const {
  if (index >= kHardened) return make_error("keys.index-out-of-range", "hardened index must be below 2^31");
  std::array<uint8_t, 37> data{};
  Bytes32 k = key_.reveal();
  std::copy(k.begin(), k.end(), data.begin() + 1);
  uint32_t i = index | kHardened;
  for (int b = 0; b < 4; ++b) data[33 + b] = static_cast<uint8_t>(i >> (24 - 8 * b));
  auto mac = hmac_sha512(chain_code_, data);
  auto node = from_hmac(mac, key_.scalar(), "keys.invalid-child");
  secure_wipe(k);
  secure_wipe(data);
  secure_wipe(mac);
  return node;
}

Expected<FactoryKeyChain> FactoryKeyChain::from_seed(ByteView seed, KeyNetwork network) {
  LADDER_ASSIGN(HardenedKeyNode master, HardenedKeyNode::master(seed));
  LADDER_ASSIGN(HardenedKeyNode purpose, master.child(kFactoryKeyPurpose));
  LADDER_ASSIGN(HardenedKeyNode account, purpose.child(static_cast<uint32_t>(network)));
  return FactoryKeyChain(account);
}

Expected<SecretKey> FactoryKeyChain::factory_key(uint32_t index) const {
  LADDER_ASSIGN(HardenedKeyNode node, account_.child(index));
  return node.key();
}

}  // namespace ladder::crypto
