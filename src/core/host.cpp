#include "core/host.h"

#include "crypto/hash.h"
#include "crypto/secp.h"
#include "util/serialize.h"

namespace ladder::core {

Expected<uint32_t> BackendView::tip_height() {
  LADDER_ASSIGN(auto tip, backend_.tip());
  return static_cast<uint32_t>(tip.height);
}

Expected<btc::Amount> BackendView::fee_rate(int target_blocks) {
  LADDER_ASSIGN(auto rate, backend_.estimate_fee_per_kvb(target_blocks));
  return static_cast<btc::Amount>(rate);
}

Expected<std::vector<chain::Utxo>> BackendView::unspent(ByteView script) { return backend_.unspent_outputs(script); }

Expected<std::optional<chain::TxStatus>> BackendView::tx_status(const btc::Txid& txid) {
  return backend_.get_tx(txid);
}

uint64_t Random::below(uint64_t n) {
  if (n == 0) throw std::logic_error("Random::below(0)");
  // Rejection sampling over 64 bits keeps the draw uniform.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    Bytes32 b = bytes32();
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | b[static_cast<size_t>(i)];
    if (v < limit) return v % n;
  }
}

Bytes32 SystemRandom::bytes32() { return crypto::random_bytes32(); }

Bytes32 SeededRandom::bytes32() {
  Writer w;
  w.bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("ladder/seeded"), 13));
  w.u64le(seed_);
  w.u64le(counter_++);
  return crypto::sha256(w.data());
}

}  // namespace ladder::core
