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
  Bytes32 set_id = h.finalize();
  // The same signer set often carries several outputs (a node's input and
  // its kickoff output, in classic mode with different script trees): the
  // untweaked aggregate is computed once per set.
  crypto::Sha256 h2;
  h2.write(set_id).write_u8(merkle_root ? 1 : 0);
  if (merkle_root) h2.write(*merkle_root);
  Bytes32 id = h2.finalize();
  std::shared_ptr<const crypto::musig::KeyAggContext> internal;
  {
    std::lock_guard lock(mu_);
    auto it = map_.find(id);
    if (it != map_.end())
      if (auto sp = it->second.lock()) return sp;
    auto in = internal_.find(set_id);
    if (in != internal_.end()) internal = in->second.lock();
  }
  if (!internal) {
    LADDER_ASSIGN(auto ctx, crypto::musig::KeyAggContext::create(keys));
    internal = std::make_shared<const crypto::musig::KeyAggContext>(std::move(ctx));
  }
  // The BIP-341 tweak applied once, as a MuSig2 x-only tweak; the output key
  // is the tweaked aggregate (no second point operation).
  btc::TaprootOutput output;
  output.internal_key = internal->xonly_pubkey().bytes();
  output.merkle_root = merkle_root;
  output.tweak = btc::taproot_tweak_hash(output.internal_key, merkle_root);
  LADDER_ASSIGN(auto tweaked, internal->apply_tweak({output.tweak, true}));
  output.output_key = tweaked.xonly_pubkey().bytes();
  output.output_parity = !tweaked.aggregate_pubkey().has_even_y();
  auto xonly = tweaked.xonly_pubkey();  // from the point already held: no decompression
  auto key = std::make_shared<AggregateKey>(
      AggregateKey{*internal, tweaked, output, output.script_pubkey(), std::move(xonly), internal});
  std::lock_guard lock(mu_);
  map_[id] = key;
  internal_[set_id] = internal;
  if (++inserts_since_purge_ > 4096 && inserts_since_purge_ > map_.size()) {
    std::erase_if(map_, [](const auto& kv) { return kv.second.expired(); });
    std::erase_if(internal_, [](const auto& kv) { return kv.second.expired(); });
    inserts_since_purge_ = 0;
  }
  return std::shared_ptr<const AggregateKey>(key);
}

}  // namespace ladder::factory
