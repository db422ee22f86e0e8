#include "lsp/keys.h"

#include "channel/keys.h"
#include "crypto/hash.h"

namespace ladder::lsp {

namespace {
constexpr uint32_t kWalletPurpose = 0x4C57414C;  // "LWAL"
}

Expected<LspKeys> LspKeys::from_seed(const Bytes32& seed, crypto::KeyNetwork network) {
  LADDER_ASSIGN(auto chain, crypto::FactoryKeyChain::from_seed(seed, network));
  LADDER_ASSIGN(auto master, crypto::HardenedKeyNode::master(seed));
  LADDER_ASSIGN(auto purpose, master.child(kWalletPurpose));
  LADDER_ASSIGN(auto wallet, purpose.child(0));
  return LspKeys(std::move(chain), seed, wallet.key());
}

Expected<crypto::SecretKey> LspKeys::factory_key(uint64_t factory_id) const {
  if (factory_id >= (1u << 31)) return make_error("keys.index-out-of-range", "factory id too large for a key index");
  return chain_.factory_key(static_cast<uint32_t>(factory_id));
}

Bytes32 LspKeys::channel_seed(uint64_t factory_id, uint32_t client) const {
  auto factory_seed = crypto::Sha256::tagged("Ladder/lsp-channel-seeds").write(seed_).write_u64le(factory_id).finalize();
  return channel::channel_seed(factory_seed, client);
}

crypto::SecretKey LspKeys::migration_key(const Bytes32& migration_id) const {
  for (uint32_t i = 0;; ++i) {
    auto k = crypto::SecretKey::parse(
        crypto::Sha256::tagged("Ladder/lsp-migration-key").write(seed_).write(migration_id).write_u32le(i).finalize());
    if (k) return *k;
  }
}

}  // namespace ladder::lsp
