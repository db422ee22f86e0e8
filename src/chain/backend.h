// chain::Backend: the chain as the rest of Ladder sees it (DESIGN.md §9).
//
// The sans-IO cores never call it; their host does — broadcasting the txs a
// core emits, feeding it block connected/disconnected and spend events, and
// reading tip height and median time past. Two implementations: the
// embedded chain (embedded_backend.h, the default for the demo and every
// test) and bitcoind's JSON-RPC (bitcoind_backend.h, regtest/signet/mainnet).
//
// Contract shared by both:
//  - broadcast() accepts a tx or returns an Error whose code is Bitcoin
//    Core's reject reason ("txn-mempool-conflict", "non-BIP68-final",
//    "bad-txns-inputs-missingorspent", "mandatory-script-verify-flag-failed",
//    "TRUC-violation", "txn-already-known" for a tx already confirmed, ...)
//    and whose message carries Core's details. Re-broadcasting a tx already
//    in the mempool succeeds, as with bitcoind's sendrawtransaction.
//  - Watches are level-triggered registrations; events are produced only by
//    poll(), which brings the backend's view up to the chain's tip and
//    returns every event since the last poll, in chain order: for a reorg,
//    first the disconnections (newest block first) and then the connections.
//    Events may repeat after a reorg (a tx confirmed, reorged out, confirmed
//    again); hosts handle them idempotently. No threads, no callbacks.
//  - Transport and node failures are Errors ("chain.rpc-*", "chain.*"),
//    never exceptions. Test-chain operations (mine, set_mock_time) return
//    "chain.unsupported" on backends that cannot do them.
// Not thread-safe: one host drives a backend.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "btc/tx.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::chain {

struct TipInfo {
  int height = 0;
  Bytes32 hash{};
  int64_t time = 0;               // the tip's header time
  int64_t median_time_past = 0;   // BIP-113 cutoff for the next block
};

struct TxStatus {
  btc::Transaction tx;
  int confirmations = 0;  // 0 while in the mempool
  int height = -1;        // -1 while in the mempool
  Bytes32 block_hash{};
};

struct Utxo {
  btc::OutPoint outpoint;
  btc::TxOut out;
  int height = -1;        // -1: created by an unconfirmed tx
  int confirmations = 0;
  bool coinbase = false;
};

enum class EventKind {
  block_connected,       // height, block_hash
  block_disconnected,    // height, block_hash
  tx_confirmed,          // txid, height, block_hash: a watched tx is in a block
  tx_reorged_out,        // txid, height, block_hash: that block was disconnected
  outpoint_spent,        // outpoint, txid = spender, spending_tx, height, block_hash
  outpoint_spent_in_mempool,  // outpoint, txid = spender, spending_tx
  outpoint_spend_reorged_out, // outpoint, txid = former spender, height, block_hash
};

const char* event_kind_name(EventKind k);

struct ChainEvent {
  EventKind kind = EventKind::block_connected;
  int height = -1;
  Bytes32 block_hash{};
  btc::Txid txid;
  btc::OutPoint outpoint;
  std::optional<btc::Transaction> spending_tx;
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual Expected<btc::Txid> broadcast(const btc::Transaction& tx) = 0;
  virtual Expected<TipInfo> tip() = 0;
  // nullopt when the backend does not know the tx (not in the mempool or
  // the chain; a bitcoind without -txindex knows only mempool txs).
  virtual Expected<std::optional<TxStatus>> get_tx(const btc::Txid& txid) = 0;
  // Confirmed and unconfirmed outputs paying exactly `script_pubkey` that no
  // known tx spends.
  virtual Expected<std::vector<Utxo>> unspent_outputs(ByteView script_pubkey) = 0;
  // Fee rate (sat per 1000 vB) to confirm within `target_blocks`.
  virtual Expected<int64_t> estimate_fee_per_kvb(int target_blocks) = 0;

  // Watches; confirmations and spends are reported from the next poll() on
  // (a watched tx already confirmed is reported by that poll too).
  virtual void watch_txid(const btc::Txid& txid) = 0;
  virtual void watch_outpoint(const btc::OutPoint& outpoint) = 0;
  virtual void unwatch_txid(const btc::Txid& txid) = 0;
  virtual void unwatch_outpoint(const btc::OutPoint& outpoint) = 0;
  virtual Expected<std::vector<ChainEvent>> poll() = 0;

  // Test chains only.
  virtual Expected<std::vector<Bytes32>> mine(int n, ByteView script_pubkey) = 0;
  virtual Status set_mock_time(int64_t unix_time) = 0;
};

}  // namespace ladder::chain
