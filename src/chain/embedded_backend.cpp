#include "chain/embedded_backend.h"

namespace ladder::chain {

Expected<btc::Txid> EmbeddedBackend::broadcast(const btc::Transaction& tx) {
  auto r = chain_.submit(tx);
  if (r) return r->txid;
  if (r.error().code == "txn-already-in-mempool") return tx.txid();
  return r.error();
}

Expected<TipInfo> EmbeddedBackend::tip() {
  const BlockRecord& t = chain_.tip();
  return TipInfo{t.height, t.hash, t.block->header.time, t.mtp};
}

Expected<std::optional<TxStatus>> EmbeddedBackend::get_tx(const btc::Txid& txid) {
  auto loc = chain_.find_tx(txid);
  if (!loc) return std::optional<TxStatus>{};
  return std::optional<TxStatus>(TxStatus{*loc->tx, loc->confirmations, loc->height, loc->block_hash});
}

Expected<std::vector<Utxo>> EmbeddedBackend::unspent_outputs(ByteView script_pubkey) {
  return chain_.unspent_outputs(script_pubkey);
}

Expected<int64_t> EmbeddedBackend::estimate_fee_per_kvb(int target_blocks) {
  if (target_blocks < 1) return make_error("chain.invalid-argument", "target must be at least 1 block");
  return chain_.estimate_fee_per_kvb();
}

Status EmbeddedBackend::set_mock_time(int64_t unix_time) {
  chain_.set_time(unix_time);
  return ok();
}

Expected<Bytes32> EmbeddedBackend::source_block_hash(int height) {
  const BlockRecord* r = chain_.at_height(height);
  if (!r) return make_error("chain.block-not-found", "no block at height " + std::to_string(height));
  return r->hash;
}

Expected<std::shared_ptr<const Block>> EmbeddedBackend::source_block(const Bytes32& hash) {
  const BlockRecord* r = chain_.find_block(hash);
  if (!r) return make_error("chain.block-not-found", "unknown block " + block_hash_hex(hash));
  return r->block;
}

Expected<std::optional<btc::Transaction>> EmbeddedBackend::source_mempool_spender(const btc::OutPoint& op) {
  const btc::Txid* s = chain_.mempool().spender(op);
  if (!s) return std::optional<btc::Transaction>{};
  return std::optional<btc::Transaction>(*chain_.mempool().find(*s)->tx);
}

}  // namespace ladder::chain
