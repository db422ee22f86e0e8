// Client: a wallet's sans-IO core (DESIGN §6, §7a, §8). It follows a policy
// (which way out of a dying factory, acceptable fees, whether to hand its
// key over), wakes on a notification or on its own schedule, checks
// everything it is asked to sign (factory::ClientExpectations, the channel's
// checks, the batch that spends its deposit), migrates, keeps its tower up
// to date (it neither revokes nor pays before the tower acknowledged),
// tracks its insured amount (warns at 90%, and has the tower exit when its
// balance exceeds it and L has not resolved by TO − X), and reports where
// its money is.
//
// Inputs: on_message (from its LSP or its tower), on_chain_event (the
// events of the watches it asked for, delivered when it is online),
// on_wake (the host tells it the user opened the wallet or a push arrived),
// on_tick. Outputs: outbox(). Persistence: as the Lsp — one store step per
// input, committed before any message of that input is released.
//
// Ownership: the host owns the services. Thread-safety: single-threaded.
// Failure: on_message returns the refusal ("client.*", "factory.*",
// "channel.*", "migrate.*"); nothing the client refused was signed.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>

#include "client/keys.h"
#include "client/policy.h"
#include "client/state.h"
#include "core/outbox.h"
#include "core/wallet.h"
#include "factory/guard.h"
#include "migrate/handover.h"

namespace ladder::client {

struct ClientConfig {
  core::PeerId lsp{};                     // its LSP's node id
  std::optional<core::PeerId> tower;      // its tower (DESIGN §7a)
  factory::FactoryParams params;          // what it accepts from L
  channel::ChannelParams channel;
  crypto::KeyNetwork network = crypto::KeyNetwork::test;
  ClientPolicy policy;
};

// Where the client's money is (its report; the simulator's conservation check).
struct Place {
  enum class Kind : uint8_t { channel, lock, onchain };
  Kind kind = Kind::channel;
  uint64_t factory = 0;  // channel / lock: which factory
  btc::Amount amount = 0;
  std::string what;      // "channel in factory #48", "wallet", ...
};
struct ClientHoldings {
  std::vector<Place> places;
  btc::Amount total() const;
};

class Client {
 public:
  static Expected<std::unique_ptr<Client>> create(core::Host host, ClientConfig config, const Bytes32& seed);
  static Expected<std::unique_ptr<Client>> load(core::Host host, ClientConfig config);
  ~Client();

  // ---- inputs ----
  Status on_message(const core::PeerId& from, const migrate::PeerMessage& m);
  void on_chain_event(const chain::ChainEvent& e);
  void on_wake();
  void on_tick();

  // ---- outputs ----
  core::Outbox& outbox() { return out_; }

  // ---- inspection ----
  const ClientConfig& config() const { return config_; }
  ClientPolicy& policy() { return config_.policy; }
  const Bytes& wallet_script() const { return wallet_.script(); }
  const std::map<uint64_t, Membership>& memberships() const { return memberships_; }
  const std::optional<Joining>& joining() const { return joining_; }
  const std::optional<ClientMigration>& migration() const { return migration_; }
  // Whether the client has something in flight that needs it online.
  bool busy() const;
  ClientHoldings holdings();
  const std::vector<migrate::Notice>& notices() const { return notices_; }
  const std::optional<Error>& last_error() const { return last_error_; }

  // ---- requests from the user ----
  // Asks to join the next factory, bringing `deposit` (a coin of its wallet) if given.
  Status join(std::optional<migrate::Deposit> deposit);
  // Leaves a dying factory by `option`.
  Status migrate(uint64_t factory_id, migrate::MigrationOption option);

 private:
  Client(core::Host host, ClientConfig config, ClientKeys keys);

  // client.cpp: dispatch, the persist-before-release discipline, chain events.
  Status dispatch(const core::PeerId& from, const migrate::PeerMessage& m);
  Status flush();
  void fail(const Error& e);
  void mark(std::string kind, Bytes id) { dirty_.insert({std::move(kind), std::move(id)}); }
  void on_block(uint32_t height);
  void event(std::string kind, uint64_t factory, btc::Amount amount = 0, std::string detail = {});

  // client_join.cpp: joining a factory.
  Status on_join_offer(const migrate::JoinOffer& o);
  Status on_join_reject(const migrate::JoinReject& r);
  Status on_proposal(const factory::Proposal& p);
  Status on_ceremony(const migrate::PeerMessage& m);
  Status on_open_channel(const channel::OpenChannel& m);
  Status maybe_ack();
  Status on_deposit_request(const migrate::DepositSignRequest& r);

  // client_channels.cpp: channel messages, the tower.
  Status on_channel_message(const channel::Message& m);
  Status sign_if_needed(Membership& m);
  Status on_notice(const migrate::Notice& n);
  Status on_tower_ack(const migrate::TowerAck& a);
  // Sends the tower what it needs for `m` (path, commitment, new justice txs).
  uint64_t update_tower(Membership& m, bool path, std::vector<btc::Transaction> justice);
  void send_to_lsp(migrate::PeerMessage m);
  void check_insured(Membership& m);

  // client_migrate.cpp: migrations.
  Status start_migration(uint64_t factory_id, migrate::MigrationOption option);
  Status on_migration_message(const migrate::Message& msg);
  Status apply_flow(migrate::FlowOutput out);
  void finish_migration();
  void maybe_migrate();
  void maybe_rejoin();
  Status migration_on_tip();
  Status migration_on_tx(const btc::Transaction& tx, std::optional<uint32_t> height);
  Status migration_on_channel_events(Membership& m);
  migrate::LegContext leg_context(const Membership& m) const;
  migrate::ClientPolicy migration_policy() const;

  // client_persist.cpp
  Status persist_dirty(store::StepWriter& w);
  Status restore();

  core::Host host_;
  ClientConfig config_;
  ClientKeys keys_;
  core::Wallet wallet_;
  factory::GuardTable guard_;
  std::unique_ptr<factory::GuardStore> guard_store_;
  core::Outbox out_, pending_;
  std::set<std::pair<std::string, Bytes>> dirty_;
  uint32_t height_ = 0;
  migrate::ClientKeyLedger ledger_;  // factory key indexes used, keys handed over
  uint32_t next_channel_index_ = 0;
  std::optional<Joining> joining_;
  std::map<uint64_t, Membership> memberships_;
  std::optional<ClientMigration> migration_;
  // The tower: updates not yet acknowledged, and what waits for them.
  uint64_t tower_seq_ = 0;
  std::set<uint64_t> tower_unacked_;
  std::vector<migrate::PeerMessage> held_for_tower_;
  std::vector<migrate::Notice> notices_;
  std::optional<Error> last_error_;
};

}  // namespace ladder::client
