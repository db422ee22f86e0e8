#include "client/keys.h"

#include "channel/keys.h"

namespace ladder::client {

namespace {
constexpr uint32_t kWalletPurpose = 0x4357414C;  // "CWAL"
}

Expected<ClientKeys> ClientKeys::from_seed(const Bytes32& seed, crypto::KeyNetwork network) {
  LADDER_ASSIGN(auto chain, crypto::FactoryKeyChain::from_seed(seed, network));
  LADDER_ASSIGN(auto master, crypto::HardenedKeyNode::master(seed));
  LADDER_ASSIGN(auto purpose, master.child(kWalletPurpose));
  LADDER_ASSIGN(auto wallet, purpose.child(0));
  return ClientKeys(std::move(chain), seed, wallet.key());
}

Bytes32 ClientKeys::channel_seed(uint32_t index) const { return channel::channel_seed(seed_, index); }

}  // namespace ladder::client
