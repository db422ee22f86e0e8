#include "factory/aggregate_key.h"

#include <algorithm>
#include <cstring>

#include "crypto/hash.h"

namespace ladder::factory {

KeyCache& KeyCache::shared() {
  static KeyCache cache;
  return cache;
}

size_t KeyCache::Hash::operator()(const Bytes32& b) const {
  size_t h;
  std::memcpy(&h, b.data(), sizeof h);
  return h;
}

size_t KeyCache::size() const {
  std::lock_guard lock(mu_);
  return map_.size();
}

Expected<std::shared_ptr<const AggregateKey>> KeyCache::get(std::vector<crypto::PubKey> keys,
                                                           const std::optional<Bytes32>& merkle_root) {
  std::sort(keys.begin(), keys.end());
  crypto::Sha256 h;
  for (const auto& k : keys) h.write(k.bytes());
  uint8_t has_root = merkle_root ? 1 : 0;
  h.write_u8(has_root);
  if (merkle_root) h.write(*merkle_root);
  Bytes32 id = h.finalize();
  {
    std::lock_guard lock(mu_);
    auto it = map_.find(id);
    if (it != map_.end())
      if (auto sp = it->second.lock()) return sp;
  }
  LADDER_ASSIGN(auto internal, crypto::musig::KeyAggContext::create(keys));
  LADDER_ASSIGN(auto output, btc::taproot_output(internal.xonly_pubkey().bytes(), merkle_root));
  LADDER_ASSIGN(auto tweaked, internal.apply_tweak({output.tweak, true}));
  auto key = std::make_shared<AggregateKey>(AggregateKey{internal, tweaked, output, output.script_pubkey()});
  std::lock_guard lock(mu_);
  map_[id] = key;
  if (++inserts_since_purge_ > 4096 && inserts_since_purge_ > map_.size()) {
    std::erase_if(map_, [](const auto& kv) { return kv.second.expired(); });
    inserts_since_purge_ = 0;
  }
  return std::shared_ptr<const AggregateKey>(key);
}

}  // namespace ladder::factory
