// Tower: a watchtower's sans-IO core (DESIGN §7a), run by someone other
// than L for the clients that register with it.
//
// For each (client, factory) it holds what the client sent in TowerUpdates:
// the signed static, kickoff and newest state txs of the client's path, the
// client's latest commitment, one justice tx per revoked L commitment per
// channel outpoint, and the height at which to publish the exit path unless
// L resolved the factory first. It needs no other secret; its own fee wallet
// pays CPFP children through the anchors of the txs it broadcasts.
//
// Reactions:
//   - a kickoff (or any tx) of the path confirms: the next tx of the path —
//     the newest state, when it is a kickoff that confirmed — is broadcast
//     as soon as its relative lock matures (the old state L might publish
//     becomes valid only `step` blocks later and can then no longer
//     confirm), and CPFP-bumped until it confirms;
//   - a revoked commitment confirms: its justice txs are broadcast;
//   - exit_height arrives and the factory's funding output is unspent: the
//     path is published from the root, each tx as its lock matures, then the
//     latest commitment.
// An update is persisted before it is acknowledged; the client relies on
// the ack (it neither revokes nor pays before it).
//
// Ownership: the host owns the services. Thread-safety: single-threaded.
// Failure: on_message returns "tower.*" errors for a malformed update
// (nothing is stored then); broadcast rejections come back to the host, who
// logs them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/outbox.h"
#include "core/wallet.h"

namespace ladder::tower {

struct TowerConfig {
  uint32_t bump_after = 3;                 // blocks a broadcast tx may wait before a CPFP bump
  btc::Amount min_package_rate = 5'000;    // sat/kvB of a bump, at least
  btc::Amount fallback_fee_rate = 2'000;
};

struct TowerStats {
  uint64_t updates = 0;
  uint64_t justice_txs = 0;   // stored
  uint64_t states_broadcast = 0;
  uint64_t justice_broadcast = 0;
  uint64_t exits = 0;
  uint64_t bumps = 0;
};

class Tower {
 public:
  static Expected<std::unique_ptr<Tower>> create(core::Host host, TowerConfig config, const Bytes32& seed);
  static Expected<std::unique_ptr<Tower>> load(core::Host host, TowerConfig config);
  ~Tower();

  Status on_message(const core::PeerId& from, const migrate::PeerMessage& m);
  void on_chain_event(const chain::ChainEvent& e);
  void on_tick();

  core::Outbox& outbox() { return out_; }
  const Bytes& wallet_script() const { return wallet_.script(); }
  const TowerStats& stats() const { return stats_; }
  size_t clients() const { return watches_.size(); }

  struct Watch {
    std::vector<btc::Transaction> path;
    std::optional<btc::Transaction> commitment;
    std::map<btc::Txid, std::vector<btc::Transaction>> justice;  // by revoked commitment txid
    uint32_t exit_height = 0;
    bool exiting = false;
    bool resolved = false;  // the funding output was spent by something else than the path
  };
  using WatchKey = std::pair<core::PeerId, uint64_t>;  // (client, factory)

 private:
  Tower(core::Host host, TowerConfig config, const crypto::SecretKey& wallet_key);
  Status on_update(const core::PeerId& from, const migrate::TowerUpdate& u);
  void on_block(uint32_t height);
  void on_confirmed(const btc::Txid& txid, uint32_t height);
  void on_spent(const btc::OutPoint& op, const btc::Txid& spender);
  void schedule(const btc::Transaction& tx, uint32_t at);
  void watch_all(const Watch& w);
  Status persist(const WatchKey& key, const Watch& w);

  struct Pending {
    btc::Transaction tx;
    uint32_t valid_at = 0;
    std::optional<uint32_t> broadcast_at;
  };

  core::Host host_;
  TowerConfig config_;
  core::Wallet wallet_;
  core::Outbox out_;
  uint32_t height_ = 0;
  std::map<WatchKey, Watch> watches_;
  std::map<btc::Txid, Pending> pending_;  // txs to broadcast and see confirmed
  TowerStats stats_;
};

}  // namespace ladder::tower
