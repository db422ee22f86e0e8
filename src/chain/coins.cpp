#include "chain/coins.h"

#include "btc/opcodes.h"

namespace ladder::chain {

bool is_unspendable(ByteView script_pubkey) {
  return (!script_pubkey.empty() && script_pubkey[0] == btc::OP_RETURN) || script_pubkey.size() > 10'000;
}

void UtxoSet::add_outputs(const btc::Transaction& tx, const btc::Txid& txid, int height) {
  bool coinbase = tx.is_coinbase();
  for (uint32_t i = 0; i < tx.vout.size(); ++i) {
    if (is_unspendable(tx.vout[i].script_pubkey)) continue;
    map_.insert_or_assign(btc::OutPoint{txid, i}, Coin{tx.vout[i], height, coinbase});
  }
}

std::optional<Coin> UtxoSet::spend(const btc::OutPoint& op) {
  auto it = map_.find(op);
  if (it == map_.end()) return std::nullopt;
  Coin c = std::move(it->second);
  map_.erase(it);
  return c;
}

}  // namespace ladder::chain
