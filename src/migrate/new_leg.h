// Options 1 and 3b (DESIGN §6): the client's old balance moves into its
// channel in a NEWER factory through L, with no on-chain transaction — a
// lock A→L on the old channel (expiry T_in) and a lock L→A on the new one
// (expiry T_new, amount − L's fee) with the same condition. The two options
// differ only in the condition and in what the client reveals:
//   option 1 (ln_payment): HTLCs on a payment hash whose preimage only the
//     client knows; the client settles the new HTLC with it, L the old one;
//     then the client hands its old factory key over (handover.h) if its
//     policy agrees;
//   option 3b (ptlc_new): PTLCs whose point is the client's OLD FACTORY
//     PUBLIC KEY; settling the new PTLC reveals the key to L, which checks
//     it, stores it in the vault and settles the old PTLC with it — key
//     handover and funds in the new factory in one atomic step.
//
// The client reveals (settles the new lock) only when
//   - the new factory is ready for it: its funding has the client's depth d
//     and the client holds its full exit path there (every signature of its
//     path, factory/exit_planner.h) — the client also starts the migration
//     only then, so `now` of the leg rules is at least that height;
//   - the reveal cutoff allows: tip + X_new + c ≤ T_new;
//   - for option 3b, its reveal conditions hold on the quiescent old channel
//     (legs.h), the old PTLC being the only lock left;
// and it records a key it reveals as handed over (ClientKeyLedger) before
// revealing it. Past the cutoff it fails the new lock back (abandoned), so
// L fails the old one. L adds the new lock only once the old one is
// irrevocably locked in, and freezes tree updates on the client's old leaf
// until the old lock is removed or the key learned.
//
// Channels, tree, ledger and vault are borrowed and must outlive the flow.
// Not thread-safe. Failure codes: those of terms.h and legs.h,
// "migrate.new-factory-not-ready", "migrate.no-liquidity",
// "migrate.out-of-order", "migrate.wrong-migration", channel and store errors.
#pragma once

#include <optional>
#include <utility>

#include "factory/tree.h"
#include "migrate/flow.h"
#include "migrate/handover.h"
#include "migrate/key_vault.h"
#include "migrate/terms.h"

namespace ladder::migrate {

struct NewLegClientConfig {
  MigrationId id{};
  MigrationOption option = MigrationOption::ptlc_new;  // ln_payment or ptlc_new
  uint64_t old_factory = 0;
  channel::Channel* old_channel = nullptr;  // the client's sides
  channel::Channel* new_channel = nullptr;
  factory::Tree* new_tree = nullptr;        // the client's copy of the new factory
  uint32_t new_index = 0;                   // the client's index there
  crypto::SecretKey factory_key;            // the OLD factory key
  ClientPolicy policy;
  LegContext legs;                          // old TO/X, new TO/X, c, d_max
  ClientKeyLedger* ledger = nullptr;
};

class NewLegClient {
 public:
  enum class Stage : uint8_t { requested, offered, revealed, handover, done, abandoned, failed };

  // Refused unless the new factory is ready (`funding_height`: where its
  // funding confirmed). Option 1 draws its preimage here.
  static Expected<std::pair<NewLegClient, MigrateRequest>> start(NewLegClientConfig config, uint32_t tip,
                                                                 std::optional<uint32_t> funding_height);

  Expected<FlowOutput> on_terms(const MigrateTerms& terms, uint32_t tip);
  Expected<FlowOutput> on_handover_ack(const HandoverAck& ack);
  FlowOutput on_old_channel_event(const channel::ChannelEvent& e);
  FlowOutput on_new_channel_event(const channel::ChannelEvent& e);
  FlowOutput on_tx(const btc::Transaction& tx, std::optional<uint32_t> height);
  FlowOutput on_tx_unconfirmed(const btc::Txid& txid);
  FlowOutput on_tip(uint32_t tip);
  FlowOutput poll();

  Stage stage() const { return stage_; }
  const std::optional<MigrateTerms>& terms() const { return terms_; }

 private:
  explicit NewLegClient(NewLegClientConfig c) : cfg_(std::move(c)) {}
  bool new_factory_ready() const;
  std::optional<channel::LockKind> kind() const;
  FlowOutput try_reveal();
  FlowOutput try_handover();

  NewLegClientConfig cfg_;
  MigrateRequest request_;
  Bytes32 preimage_{};  // option 1
  Stage stage_ = Stage::requested;
  std::optional<MigrateTerms> terms_;
  std::optional<uint64_t> old_lock_, new_lock_;
  std::optional<uint32_t> funding_height_;
  RevealGate gate_;
  bool handover_sent_ = false;
  bool enforce_raised_ = false;
  uint32_t tip_ = 0;
};

struct NewLegLspConfig {
  uint64_t old_factory = 0;
  channel::Channel* old_channel = nullptr;  // L's sides
  channel::Channel* new_channel = nullptr;
  crypto::PubKey client_key;                // the client's OLD factory key
  LspPolicy policy;
  LegContext legs;                          // old TO/X, new TO/X, c, d_max
  KeyVault* vault = nullptr;
};

class NewLegLsp {
 public:
  static Expected<std::pair<NewLegLsp, MigrateTerms>> accept(NewLegLspConfig config, const MigrateRequest& req,
                                                              uint32_t tip);

  Expected<FlowOutput> on_old_channel_event(const channel::ChannelEvent& e);
  Expected<FlowOutput> on_new_channel_event(const channel::ChannelEvent& e);
  Expected<FlowOutput> on_handover(const Handover& msg);
  Expected<FlowOutput> on_reveal_blocked(const RevealBlocked& msg);
  FlowOutput on_tip(uint32_t tip);

  bool freezes_leaf() const { return old_lock_.has_value() && !learned_ && !old_removed_; }
  bool learned() const { return learned_; }
  bool settled() const { return old_removed_ && secret_.has_value(); }
  const MigrateTerms& terms() const { return terms_; }

 private:
  NewLegLsp(NewLegLspConfig c, MigrateRequest r, MigrateTerms t)
      : cfg_(std::move(c)), request_(std::move(r)), terms_(std::move(t)) {}
  channel::LockKind kind() const;
  FlowOutput resolve_old(bool settle);

  NewLegLspConfig cfg_;
  MigrateRequest request_;
  MigrateTerms terms_;
  std::optional<uint64_t> old_lock_, new_lock_;
  std::optional<Bytes32> secret_;  // the preimage or the key, once learned
  bool learned_ = false;           // the old factory key is in the vault
  bool old_removed_ = false;
  bool resolution_sent_ = false;
  bool settle_pending_ = false;    // resolve_old(true) did not go out yet
  bool fail_pending_ = false;
  bool enforce_raised_ = false;
  uint32_t tip_ = 0;
};

}  // namespace ladder::migrate
