// The day's batch: L's one on-chain transaction that funds new factories,
// option-2/3 outputs and takes sweeps of departed factories as inputs, with
// DESIGN §6's batching rules (all (R)) enforced by its state machine.
//
// Lifecycle:
//   open      inputs (L's wallet coins, sweeps of fully departed factories)
//             and outputs (factory fundings, swap / PTLC-exit outputs O)
//             are added; nothing may depend on the txid yet.
//   frozen    freeze() fixes the transaction, its change and its txid.
//             Ceremonies and claim sessions may now use the txid:
//             outpoint_of_*() answer only from here on. Late migrants go to
//             the next batch.
//   broadcast the signed tx (same txid) went out; it is never replaced.
//   abandoned a failed factory construction made L rebuild the batch.
// Rules:
//   - frozen before any ceremony or claim session that depends on the txid
//     (outpoints are "migrate.batch-not-frozen" before);
//   - a factory's funding stays in the batch only if its construction
//     completed (construction_completed) before any claim session on the
//     batch began: begin_claim_session refuses while one is pending;
//   - a failed construction rebuilds the batch without that funding,
//     spending every input of the abandoned one (so at most one of them can
//     ever confirm); the rebuild resets the other factories' constructions,
//     whose funding outpoint changed;
//   - a batch on which a claim session completed is broadcast unchanged:
//     rebuild is refused from then on;
//   - bumped only by CPFP on L's change output (cpfp_child), never by RBF:
//     inputs do not signal replaceability and nothing builds a conflicting
//     version once broadcast;
//   - segwit inputs only, so signing never changes the txid
//     (set_signed checks it).
// Sweep inputs are signed by whoever built them (migrate-B's sweep signs a
// departed factory's funding output by key path); wallet inputs by L's
// wallet. The batch only checks the result.
//
// Thread-safety: a plain value, one owner. Failure codes:
// "migrate.batch-frozen", "migrate.batch-not-frozen", "migrate.batch-not-segwit",
// "migrate.batch-duplicate", "migrate.batch-dust", "migrate.batch-empty",
// "migrate.batch-insufficient-funds", "migrate.batch-unknown-output",
// "migrate.batch-construction-pending", "migrate.batch-constructed",
// "migrate.batch-claims-completed", "migrate.batch-broadcast", "migrate.batch-abandoned",
// "migrate.batch-txid-changed", "migrate.batch-unsigned",
// "migrate.batch-not-broadcast", "migrate.no-change", "migrate.fee-not-higher".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "btc/tx.h"
#include "migrate/messages.h"

namespace ladder::migrate {

struct BatchInput {
  // wallet: L's coin; sweep: an output of a fully departed factory, signed
  // by L with the departed keys; deposit: a joining client's coin, signed by
  // that client once the batch is frozen.
  enum class Source : uint8_t { wallet, sweep, deposit };
  btc::OutPoint outpoint;
  btc::TxOut spent;
  Source source = Source::wallet;
  uint64_t swept_factory = 0;    // sweep: the departed factory whose output it spends
  int64_t witness_weight = 66;   // of the satisfying witness (P2TR key path: 66 WU)
};

enum class BatchOutputKind : uint8_t { factory_funding, swap, ptlc_exit, change };

struct BatchOutput {
  BatchOutputKind kind = BatchOutputKind::factory_funding;
  uint64_t factory = 0;       // factory_funding: the new factory
  MigrationId migration{};    // swap / ptlc_exit: the migration it serves
  btc::TxOut out;
};

// A child of `parent` spending its output `vout` back to `destination`, so
// that parent and child together pay `package_fee_rate` (sat/kvB); the
// parent pays `parent_fee` itself, `witness_weight` is the weight of the
// child's witness. How the batch (on L's change) and a client's claim (on
// its own output) are bumped. "migrate.fee-not-higher" when the parent
// already pays that rate, "migrate.no-change" when the output cannot pay.
Expected<btc::Transaction> cpfp_child(const btc::Transaction& parent, uint32_t vout, btc::Amount parent_fee,
                                      const Bytes& destination, btc::Amount package_fee_rate,
                                      int64_t witness_weight = 66, btc::Amount dust_limit = 330);

class Batch {
 public:
  enum class Phase : uint8_t { open, frozen, broadcast, abandoned };

  // `fee_rate` in sat/kvB; `change_script` is L's wallet.
  Batch(uint64_t id, uint32_t promised_height, btc::Amount fee_rate, Bytes change_script, btc::Amount dust_limit = 330);

  // ---- open ----
  Status add_input(const BatchInput& in);
  Status add_output(const BatchOutput& out);
  // Builds the tx (inputs and outputs in insertion order, change last) and
  // fixes its txid.
  Expected<btc::Txid> freeze();

  // ---- frozen ----
  Expected<btc::OutPoint> outpoint_of_factory(uint64_t factory) const;
  Expected<btc::OutPoint> outpoint_of_migration(const MigrationId& migration) const;
  Expected<btc::OutPoint> change_outpoint() const;
  // Every client of `factory` acknowledged its construction.
  Status construction_completed(uint64_t factory);
  // A claim session on `migration`'s output starts / has completed (L holds
  // every signature it needs and released its own).
  Status begin_claim_session(const MigrationId& migration);
  Status claim_session_completed(const MigrationId& migration);
  // The factory's construction failed: returns the rebuilt batch (open, id
  // `new_id`) and abandons this one.
  Expected<Batch> rebuild_without(uint64_t failed_factory, uint64_t new_id);

  // The tx to sign, and the signed version (same txid, witnesses only).
  const btc::Transaction& unsigned_tx() const { return tx_; }
  Status set_signed(const btc::Transaction& signed_tx);
  // The signed tx to broadcast; the batch is fixed for good from here on.
  Expected<btc::Transaction> broadcast();
  // An unsigned child spending the change output back to the change script
  // so that parent and child together pay `package_fee_rate` (sat/kvB).
  Expected<btc::Transaction> cpfp_child(btc::Amount package_fee_rate, int64_t change_witness_weight = 66) const;

  uint64_t id() const { return id_; }
  uint32_t promised_height() const { return promised_height_; }
  Phase phase() const { return phase_; }
  const std::vector<BatchInput>& inputs() const { return inputs_; }
  const std::vector<BatchOutput>& outputs() const { return outputs_; }
  btc::Amount fee() const { return fee_; }
  // vsize of the signed tx (exact when the witness weights are).
  int64_t vsize() const { return vsize_; }
  bool any_claim_completed() const { return !claims_completed_.empty(); }

 private:
  Status require(Phase p, const char* what) const;
  Expected<size_t> output_index(BatchOutputKind kind, uint64_t factory, const MigrationId* migration) const;

  uint64_t id_;
  uint32_t promised_height_;
  btc::Amount fee_rate_;
  Bytes change_script_;
  btc::Amount dust_limit_;
  Phase phase_ = Phase::open;
  std::vector<BatchInput> inputs_;
  std::vector<BatchOutput> outputs_;  // change appended at freeze
  btc::Transaction tx_;
  std::optional<btc::Transaction> signed_;
  btc::Amount fee_ = 0;
  int64_t vsize_ = 0;
  std::set<uint64_t> constructed_;
  std::set<MigrationId> claims_started_, claims_completed_;
};

}  // namespace ladder::migrate
