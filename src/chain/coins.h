// Coins (unspent transaction outputs) and the UTXO set of the embedded chain.
//
// A Coin is an output together with what consensus needs to know about it:
// the height of the block that created it and whether that tx was a
// coinbase. The UtxoSet is a hash map from outpoint to coin; it owns its
// coins. Spending returns the coin so the caller can keep it as undo data.
// Not thread-safe: the embedded chain owns one and serializes access.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "btc/tx.h"

namespace ladder::chain {

struct TxidHasher {
  size_t operator()(const btc::Txid& t) const {
    size_t h;
    std::memcpy(&h, t.bytes.data(), sizeof(h));
    return h;
  }
};

struct Bytes32Hasher {
  size_t operator()(const Bytes32& b) const {
    size_t h;
    std::memcpy(&h, b.data(), sizeof(h));
    return h;
  }
};

struct OutPointHasher {
  size_t operator()(const btc::OutPoint& o) const { return TxidHasher{}(o.txid) ^ (static_cast<size_t>(o.n) * 0x9e3779b97f4a7c15ULL); }
};

// Height given to coins created by mempool transactions (Core's MEMPOOL_HEIGHT).
inline constexpr int kMempoolHeight = 0x7fffffff;

struct Coin {
  btc::TxOut out;
  int height = 0;
  bool coinbase = false;
  bool operator==(const Coin&) const = default;
};

class UtxoSet {
 public:
  const Coin* find(const btc::OutPoint& op) const {
    auto it = map_.find(op);
    return it == map_.end() ? nullptr : &it->second;
  }
  // Adds every output of `tx` created at `height`. Provably unspendable
  // outputs (OP_RETURN, oversized scripts) are not added, as in Core.
  void add_outputs(const btc::Transaction& tx, const btc::Txid& txid, int height);
  void add(const btc::OutPoint& op, Coin coin) { map_.insert_or_assign(op, std::move(coin)); }
  // Removes and returns the coin; nullopt if absent.
  std::optional<Coin> spend(const btc::OutPoint& op);
  size_t size() const { return map_.size(); }
  const std::unordered_map<btc::OutPoint, Coin, OutPointHasher>& all() const { return map_; }

 private:
  std::unordered_map<btc::OutPoint, Coin, OutPointHasher> map_;
};

// True if no script can ever spend an output with this scriptPubKey
// (starts with OP_RETURN or is larger than 10,000 bytes).
bool is_unspendable(ByteView script_pubkey);

}  // namespace ladder::chain
