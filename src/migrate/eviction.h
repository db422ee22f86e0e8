// Clients who never come (DESIGN §7): after the dying period L resolves
// every client still inside, before TO.
//
// What Eviction does, block by block (sans-IO: on_block() takes the tip and
// a confirmation lookup and returns the txs to broadcast; drain_notices()
// returns what to tell the clients):
//   1. publishes the minimal set of tree txs that isolates every client who
//      has not departed: the paths to their leaves and nothing else, each tx
//      when it becomes valid (factory::plan_to_node gives order and heights);
//   2. when a leaf state confirms, closes each absent client's channel
//      unilaterally with L's latest commitment (the client's balance lands
//      in its own to_remote output, spendable by its payment key);
//   3. sweeps every exposed output whose every signer departed — sibling
//      subtrees off the paths, departed clients' channel outputs — by key
//      path with one signature each, and the leaves' L-stock outputs by
//      their CSV leaf once it matures, with the P2A anchors of the txs it
//      published, in recovery txs paying L;
//   4. claims L's to_local after to_self_delay, and the timeouts of locks L
//      offered on those commitments.
// A tx it sent that has not confirmed after kRebroadcastAfter blocks is
// sent again (mempool evictions, reorgs). An output already spent by a
// recovery tx in flight is never put in another one.
//
// Deadline (R): create() refuses ("migrate.eviction-too-late") when the
// paths cannot be confirmed before TO — from then on the distribution txs
// (inverted mode) are what pays the clients; fallback_notices() and
// departed_payouts() cover that case: what each client was paid and where,
// and the payouts of departed clients, which L sweeps with their keys.
//
// Ownership: Eviction owns a copy of L's tree and the departed keys; it
// borrows L's side of every absent client's channel (the caller keeps the
// Channel objects alive and unchanged while evicting). Thread-safety:
// single-threaded. Failure: "migrate.eviction-too-late",
// "migrate.missing-channel", "migrate.channel-not-bound", and factory,
// channel and sweep errors.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "channel/channel.h"
#include "factory/exit_planner.h"
#include "migrate/sweep.h"

namespace ladder::migrate {

// What a client is told about the forced resolution of its factory.
struct EvictionNotice {
  enum class Kind : uint8_t {
    channel_closed,   // L closed its channel; its balance is `output`
    paid_at_timeout,  // a distribution tx paid it at TO
  };
  Kind kind = Kind::channel_closed;
  uint64_t factory_id = 0;
  uint32_t client = 0;
  btc::Txid txid;                       // the commitment or distribution tx
  std::optional<btc::OutPoint> output;  // where its money is (none: nothing of its own)
  btc::Amount amount = 0;
  uint32_t height = 0;                  // confirmation height
  bool operator==(const EvictionNotice&) const = default;
};
// One line for the user ("factory 7: L closed your channel at height ...").
std::string describe(const EvictionNotice& n);

struct EvictionConfig {
  Bytes destination;                        // where L's recovered value goes
  btc::Amount fee_rate_sat_per_kvb = 2000;  // of recovery and claim txs
};

class Eviction {
 public:
  static constexpr uint32_t kRebroadcastAfter = 6;

  // `channels`: L's side of the channel of every client that has not
  // departed and still has one. Refused when the paths cannot confirm
  // before TO from `tip`.
  static Expected<Eviction> create(factory::Tree tree, DepartedKeys keys, crypto::SecretKey lsp_key,
                                   std::map<uint32_t, const channel::Channel*> channels, EvictionConfig config,
                                   uint32_t tip, const factory::ConfirmedHeight& confirmed);

  // The clients being evicted, and the leaves whose paths are published.
  const std::vector<uint32_t>& absent() const { return absent_; }
  const std::vector<uint32_t>& leaves() const { return leaves_; }
  // Height by which every leaf state on the paths is valid, starting at `tip`.
  Expected<uint32_t> paths_valid_by(uint32_t tip, const factory::ConfirmedHeight& confirmed);

  // The txs to broadcast for the block after `tip`.
  Expected<std::vector<btc::Transaction>> on_block(uint32_t tip, const factory::ConfirmedHeight& confirmed);
  std::vector<EvictionNotice> drain_notices();
  // Everything published and confirmed, nothing left for L to collect.
  bool done() const { return done_; }

 private:
  struct Sent {
    btc::Transaction tx;
    uint32_t at = 0;
  };
  // Per-pass scratch: what is ready now, and whether anything still waits.
  struct Pass {
    uint32_t tip = 0;
    const factory::ConfirmedHeight* confirmed = nullptr;
    std::vector<btc::Transaction> out;
    std::vector<SweepInput> recovery;
    bool waiting = false;
  };

  Eviction(factory::Tree tree, DepartedKeys keys, crypto::SecretKey lsp_key) : tree_(std::move(tree)), keys_(std::move(keys)), lsp_key_(std::move(lsp_key)) {}
  void send(Pass& pass, const btc::Transaction& tx);
  bool confirmed(const Pass& pass, const btc::Txid& txid) const;
  Status publish_paths(Pass& pass);
  Status collect_exposed(Pass& pass);
  Status close_channels(Pass& pass);
  Status claim_own(Pass& pass, uint32_t client, const btc::Transaction& commitment, uint32_t confirmed_at);
  void collect(Pass& pass, Expected<SweepInput> in);
  Status send_recovery(Pass& pass);

  factory::Tree tree_;
  DepartedKeys keys_;
  crypto::SecretKey lsp_key_;
  std::map<uint32_t, const channel::Channel*> channels_;
  EvictionConfig config_;
  std::vector<uint32_t> absent_, leaves_;
  std::set<uint32_t> on_path_;
  std::map<btc::Txid, Sent> sent_;
  std::set<btc::OutPoint> claimed_;  // spent by a recovery tx we sent
  std::set<uint32_t> notified_;
  std::vector<EvictionNotice> notices_;
  bool done_ = false;
};

// Inverted-mode fallback: a distribution tx `dist` of `tree` confirmed at
// `height`; the notice for every client it pays that has not departed.
std::vector<EvictionNotice> fallback_notices(const factory::Tree& tree, const DepartedKeys& keys,
                                             const btc::Transaction& dist, uint32_t height);
// The outputs of `dist` paying departed clients, as L's sweep inputs.
Expected<std::vector<SweepInput>> departed_payouts(const factory::Tree& tree, const DepartedKeys& keys,
                                                   const btc::Transaction& dist);

}  // namespace ladder::migrate
