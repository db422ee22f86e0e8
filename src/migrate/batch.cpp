#include "migrate/batch.h"

#include <algorithm>
#include <string>

#include "btc/standard_scripts.h"

namespace ladder::migrate {

namespace {

constexpr uint32_t kNoRbfSequence = 0xfffffffe;  // final-enough, does not signal replaceability

btc::Amount fee_for(int64_t vsize, btc::Amount rate) { return (vsize * rate + 999) / 1000; }

// vsize of `tx` once each input carries a witness of the given weight.
int64_t signed_vsize(const btc::Transaction& tx, int64_t witness_weight_sum) {
  const int64_t weight = static_cast<int64_t>(tx.base_size()) * btc::WITNESS_SCALE_FACTOR + 2 + witness_weight_sum;
  return (weight + btc::WITNESS_SCALE_FACTOR - 1) / btc::WITNESS_SCALE_FACTOR;
}

const char* phase_name(Batch::Phase p) {
  switch (p) {
    case Batch::Phase::open: return "open";
    case Batch::Phase::frozen: return "frozen";
    case Batch::Phase::broadcast: return "broadcast";
    case Batch::Phase::abandoned: return "abandoned";
  }
  return "?";
}

}  // namespace

Batch::Batch(uint64_t id, uint32_t promised_height, btc::Amount fee_rate, Bytes change_script, btc::Amount dust_limit)
    : id_(id),
      promised_height_(promised_height),
      fee_rate_(fee_rate),
      change_script_(std::move(change_script)),
      dust_limit_(dust_limit) {}

Status Batch::require(Phase p, const char* what) const {
  if (phase_ == p) return ok();
  if (phase_ == Phase::open) return make_error("migrate.batch-not-frozen", std::string(what) + ": the batch is open");
  if (phase_ == Phase::broadcast)
    return make_error("migrate.batch-broadcast", std::string(what) + ": the batch was broadcast");
  if (phase_ == Phase::abandoned) return make_error("migrate.batch-abandoned", std::string(what) + ": the batch was rebuilt");
  return make_error("migrate.batch-frozen", std::string(what) + ": the batch is " + phase_name(phase_));
}

Status Batch::add_input(const BatchInput& in) {
  LADDER_TRY(require(Phase::open, "add_input"));
  if (!btc::witness_program(in.spent.script_pubkey))
    return make_error("migrate.batch-not-segwit", "input " + in.outpoint.to_string() + " is not a witness program");
  for (const auto& i : inputs_)
    if (i.outpoint == in.outpoint) return make_error("migrate.batch-duplicate", "input " + in.outpoint.to_string());
  inputs_.push_back(in);
  return ok();
}

Status Batch::add_output(const BatchOutput& out) {
  LADDER_TRY(require(Phase::open, "add_output"));
  if (out.kind == BatchOutputKind::change) return make_error("migrate.batch-duplicate", "change is added at freeze");
  if (out.out.value < dust_limit_)
    return make_error("migrate.batch-dust", "output of " + std::to_string(out.out.value) + " sat");
  const bool funding = out.kind == BatchOutputKind::factory_funding;
  if (funding ? output_index(out.kind, out.factory, nullptr).has_value()
              : output_index(out.kind, 0, &out.migration).has_value())
    return make_error("migrate.batch-duplicate", "an output for that factory or migration exists");
  outputs_.push_back(out);
  return ok();
}

Expected<btc::Txid> Batch::freeze() {
  LADDER_TRY(require(Phase::open, "freeze"));
  if (inputs_.empty() || outputs_.empty()) return make_error("migrate.batch-empty", "no inputs or no outputs");
  btc::Transaction tx;
  tx.version = 2;
  btc::Amount in_value = 0, out_value = 0;
  int64_t witness = 0;
  for (const auto& i : inputs_) {
    tx.vin.push_back({i.outpoint, {}, kNoRbfSequence, {}});
    in_value += i.spent.value;
    witness += i.witness_weight;
  }
  for (const auto& o : outputs_) {
    tx.vout.push_back(o.out);
    out_value += o.out.value;
  }
  tx.vout.push_back({0, change_script_});
  const int64_t vsize = signed_vsize(tx, witness);
  const btc::Amount fee = fee_for(vsize, fee_rate_);
  const btc::Amount change = in_value - out_value - fee;
  if (change < dust_limit_)
    return make_error("migrate.batch-insufficient-funds", "inputs " + std::to_string(in_value) + ", outputs " +
                                                              std::to_string(out_value) + ", fee " + std::to_string(fee));
  tx.vout.back().value = change;
  outputs_.push_back({BatchOutputKind::change, 0, {}, tx.vout.back()});
  tx_ = std::move(tx);
  fee_ = fee;
  vsize_ = vsize;
  phase_ = Phase::frozen;
  return tx_.txid();
}

Expected<size_t> Batch::output_index(BatchOutputKind kind, uint64_t factory, const MigrationId* migration) const {
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const auto& o = outputs_[i];
    if (kind == BatchOutputKind::factory_funding && o.kind == kind && o.factory == factory) return i;
    if (migration && (o.kind == BatchOutputKind::swap || o.kind == BatchOutputKind::ptlc_exit) &&
        o.migration == *migration)
      return i;
    if (kind == BatchOutputKind::change && o.kind == kind) return i;
  }
  return make_error("migrate.batch-unknown-output", "no such output in batch " + std::to_string(id_));
}

Expected<btc::OutPoint> Batch::outpoint_of_factory(uint64_t factory) const {
  if (phase_ != Phase::broadcast) LADDER_TRY(require(Phase::frozen, "outpoint"));
  LADDER_ASSIGN(const size_t i, output_index(BatchOutputKind::factory_funding, factory, nullptr));
  return btc::OutPoint{tx_.txid(), static_cast<uint32_t>(i)};
}

Expected<btc::OutPoint> Batch::outpoint_of_migration(const MigrationId& migration) const {
  if (phase_ != Phase::broadcast) LADDER_TRY(require(Phase::frozen, "outpoint"));
  LADDER_ASSIGN(const size_t i, output_index(BatchOutputKind::swap, 0, &migration));
  return btc::OutPoint{tx_.txid(), static_cast<uint32_t>(i)};
}

Expected<btc::OutPoint> Batch::change_outpoint() const {
  if (phase_ != Phase::broadcast) LADDER_TRY(require(Phase::frozen, "outpoint"));
  LADDER_ASSIGN(const size_t i, output_index(BatchOutputKind::change, 0, nullptr));
  return btc::OutPoint{tx_.txid(), static_cast<uint32_t>(i)};
}

Status Batch::construction_completed(uint64_t factory) {
  LADDER_TRY(require(Phase::frozen, "construction_completed"));
  LADDER_TRY(output_index(BatchOutputKind::factory_funding, factory, nullptr));
  constructed_.insert(factory);
  return ok();
}

Status Batch::begin_claim_session(const MigrationId& migration) {
  if (phase_ != Phase::broadcast) LADDER_TRY(require(Phase::frozen, "begin_claim_session"));
  LADDER_TRY(output_index(BatchOutputKind::swap, 0, &migration));
  for (const auto& o : outputs_)
    if (o.kind == BatchOutputKind::factory_funding && !constructed_.count(o.factory))
      return make_error("migrate.batch-construction-pending",
                        "factory " + std::to_string(o.factory) + " has not completed its construction");
  claims_started_.insert(migration);
  return ok();
}

Status Batch::claim_session_completed(const MigrationId& migration) {
  if (!claims_started_.count(migration))
    return make_error("migrate.batch-unknown-output", "no claim session started for that migration");
  claims_completed_.insert(migration);
  return ok();
}

Expected<Batch> Batch::rebuild_without(uint64_t failed_factory, uint64_t new_id) {
  LADDER_TRY(require(Phase::frozen, "rebuild"));
  if (!claims_completed_.empty())
    return make_error("migrate.batch-claims-completed", "a claim session completed: the batch is broadcast unchanged");
  LADDER_TRY(output_index(BatchOutputKind::factory_funding, failed_factory, nullptr));
  if (constructed_.count(failed_factory))
    return make_error("migrate.batch-constructed", "that factory's construction completed");
  Batch next(new_id, promised_height_, fee_rate_, change_script_, dust_limit_);
  next.inputs_ = inputs_;
  for (const auto& o : outputs_)
    if (o.kind != BatchOutputKind::change &&
        !(o.kind == BatchOutputKind::factory_funding && o.factory == failed_factory))
      next.outputs_.push_back(o);
  phase_ = Phase::abandoned;
  return next;
}

Status Batch::set_signed(const btc::Transaction& signed_tx) {
  LADDER_TRY(require(Phase::frozen, "set_signed"));
  if (signed_tx.txid() != tx_.txid())
    return make_error("migrate.batch-txid-changed", "the signed tx is not the frozen batch");
  for (const auto& in : signed_tx.vin)
    if (in.witness.empty() || !in.script_sig.empty())
      return make_error("migrate.batch-unsigned", "input " + in.prevout.to_string() + " lacks its witness");
  signed_ = signed_tx;
  return ok();
}

Expected<btc::Transaction> Batch::broadcast() {
  if (phase_ != Phase::broadcast) LADDER_TRY(require(Phase::frozen, "broadcast"));
  if (!signed_) return make_error("migrate.batch-unsigned", "sign the batch first");
  phase_ = Phase::broadcast;
  return *signed_;
}

Expected<btc::Transaction> Batch::cpfp_child(btc::Amount package_fee_rate, int64_t change_witness_weight) const {
  if (phase_ != Phase::broadcast) return make_error("migrate.batch-not-broadcast", "bump only a broadcast batch");
  const btc::Transaction& parent = signed_ ? *signed_ : tx_;
  return migrate::cpfp_child(parent, static_cast<uint32_t>(parent.vout.size() - 1), fee_, change_script_,
                             package_fee_rate, change_witness_weight, dust_limit_);
}

Expected<btc::Transaction> cpfp_child(const btc::Transaction& parent, uint32_t vout, btc::Amount parent_fee,
                                      const Bytes& destination, btc::Amount package_fee_rate, int64_t witness_weight,
                                      btc::Amount dust_limit) {
  btc::Transaction child;
  child.version = 2;
  child.vin.push_back({{parent.txid(), vout}, {}, kNoRbfSequence, {}});
  child.vout.push_back({0, destination});
  const int64_t child_vsize = signed_vsize(child, witness_weight);
  const btc::Amount child_fee = fee_for(parent.vsize() + child_vsize, package_fee_rate) - parent_fee;
  if (child_fee <= 0 || parent_fee * 1000 >= package_fee_rate * parent.vsize())
    return make_error("migrate.fee-not-higher", "the parent already pays the package rate");
  const btc::Amount value = parent.vout.at(vout).value;
  if (value - child_fee < dust_limit) return make_error("migrate.no-change", "the output cannot pay the child's fee");
  child.vout[0].value = value - child_fee;
  return child;
}

}  // namespace ladder::migrate
