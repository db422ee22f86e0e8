// L's batches (DESIGN §6): the day's batch frozen at the ceremony hour with
// the new factory's funding and the O outputs of the migrations locked in
// since the last one; a batch of its own for a late output when the
// operator wants it at once; claim sessions once the construction
// completed; the broadcast once every deposit and claim session is in.
#include <algorithm>

#include "factory/fees.h"
#include "lsp/lsp.h"

namespace ladder::lsp {

uint32_t Lsp::promised_batch_height() const {
  if (config_.immediate_late_outputs) return height_ + config_.stage_timeout;
  return next_ceremony_height() + 2 * config_.stage_timeout;
}

Status Lsp::start_day() {
  auto joiners = take_joiners();
  std::vector<migrate::MigrationId> outs;
  for (const auto& id : queued_outputs_)
    if (auto it = migrations_.find(id); it != migrations_.end() && !it->second.finished) outs.push_back(id);
  queued_outputs_.clear();
  mark("lsp/meta", {});
  if (joiners.empty() && outs.empty()) return ok();
  if (joiners.empty()) {
    LADDER_ASSIGN(auto id, new_batch(outs, nullptr, {}));
    LADDER_TRY(start_claims(pending_batches_.at(id)));
    return maybe_broadcast(id);
  }
  Building b;
  b.factory_id = next_factory_id_++;
  b.joiners = std::move(joiners);
  LADDER_ASSIGN(b.terms, draft_terms(b.factory_id, b.joiners));
  LADDER_ASSIGN(b.batch_id, new_batch(outs, &b, {}));
  building_.emplace(std::move(b));
  mark("lsp/building", {});
  return propose(*building_, 0);
}

Expected<uint64_t> Lsp::new_batch(const std::vector<migrate::MigrationId>& outs, Building* b,
                                  const std::vector<migrate::BatchInput>& inputs) {
  const btc::Amount rate = fee_rate();
  const uint64_t id = next_batch_id_++;
  mark("lsp/meta", {});
  migrate::Batch batch(id, height_ + 2 * config_.stage_timeout, rate, wallet_.script(), config_.params.dust_limit);
  btc::Amount in = 0, out = 0;
  int64_t vsize = 11 + core::kP2trOutputVsize;  // skeleton and change
  auto add_in = [&](const migrate::BatchInput& i) -> Status {
    LADDER_TRY(batch.add_input(i));
    in += i.spent.value;
    vsize += core::kKeyPathInputVsize;
    return ok();
  };
  for (const auto& i : inputs) LADDER_TRY(add_in(i));
  std::vector<migrate::MigrationId> carried;
  for (const auto& mid : outs) {
    auto& m = migrations_.at(mid);
    auto o = m.ptlc_exit ? m.ptlc_exit->batch_output() : std::nullopt;
    if (!o) continue;
    LADDER_TRY(batch.add_output(*o));
    m.batch = id;
    m.queued = false;
    carried.push_back(mid);
  }
  if (b) {
    LADDER_ASSIGN(auto draft, factory::Tree::create(b->terms));
    LADDER_ASSIGN(auto funding_key, draft.funding_key());
    LADDER_TRY(batch.add_output({migrate::BatchOutputKind::factory_funding, b->factory_id, {},
                                 btc::TxOut{draft.funding_value(), funding_key->script}}));
    for (const auto& j : b->joiners) {
      if (!j.request.deposit) continue;
      const bool present = std::any_of(batch.inputs().begin(), batch.inputs().end(),
                                       [&](const migrate::BatchInput& i) { return i.outpoint == j.request.deposit->outpoint; });
      if (!present) LADDER_TRY(add_in({j.request.deposit->outpoint, j.request.deposit->out}));
    }
  }
  for (const auto& o : batch.outputs()) {
    out += o.out.value;
    vsize += core::kP2trOutputVsize;
  }
  const btc::Amount need = out + factory::fee_for(vsize, rate) + config_.params.dust_limit - in;
  if (need > 0) {
    LADDER_ASSIGN(auto coins, wallet_.select(host_.chain, need, rate, true));
    for (const auto& c : coins) {
      LADDER_TRY(add_in({c.outpoint, c.out}));
      wallet_.reserve(c.outpoint);
    }
  }
  LADDER_TRY(batch.freeze());
  if (b) {
    LADDER_ASSIGN(b->terms.funding, batch.outpoint_of_factory(b->factory_id));
  }
  std::optional<uint64_t> factory;
  if (b) factory = b->factory_id;
  pending_batches_.emplace(id, PendingBatch{std::move(batch), factory, std::move(carried), std::nullopt});
  mark("lsp/pending-batch", be64(id));
  return id;
}

Expected<uint64_t> Lsp::rebuild_batch(uint64_t old_id, uint64_t failed_factory,
                                      const std::vector<btc::OutPoint>& dropped_deposits, Building* b) {
  PendingBatch& old = pending_batches_.at(old_id);
  LADDER_ASSIGN(auto rebuilt, old.batch.rebuild_without(failed_factory, 0));
  std::vector<migrate::BatchInput> inputs;
  for (const auto& i : rebuilt.inputs())
    if (std::find(dropped_deposits.begin(), dropped_deposits.end(), i.outpoint) == dropped_deposits.end())
      inputs.push_back(i);
  auto migrations = old.migrations;
  pending_batches_.erase(old_id);
  mark("lsp/pending-batch", be64(old_id));
  if (!b && migrations.empty()) {
    for (const auto& i : inputs) wallet_.release(i.outpoint);
    return uint64_t{0};
  }
  return new_batch(migrations, b, inputs);
}

Status Lsp::start_claims(PendingBatch& pb) {
  if (pb.claims_started_at) return ok();
  pb.claims_started_at = height_;
  mark("lsp/pending-batch", be64(pb.batch.id()));
  for (const auto& mid : pb.migrations) {
    auto& m = migrations_.at(mid);
    if (!m.ptlc_exit) continue;
    LADDER_ASSIGN(auto out, m.ptlc_exit->start_claim(pb.batch));
    LADDER_TRY(apply_flow(m, std::move(out)));
  }
  return ok();
}

Status Lsp::queue_output(LspMigration& m) {
  if (m.batch || m.queued) return ok();
  if (!config_.immediate_late_outputs) {
    m.queued = true;
    queued_outputs_.push_back(m.id);
    mark("lsp/meta", {});
    return ok();
  }
  LADDER_ASSIGN(auto id, new_batch({m.id}, nullptr, {}));
  LADDER_TRY(start_claims(pending_batches_.at(id)));
  return maybe_broadcast(id);
}

Status Lsp::maybe_broadcast(uint64_t batch_id) {
  auto it = pending_batches_.find(batch_id);
  if (it == pending_batches_.end()) return ok();
  PendingBatch& pb = it->second;
  const bool timed_out = pb.claims_started_at && height_ >= *pb.claims_started_at + config_.stage_timeout;
  Building* b = nullptr;
  if (pb.factory) {
    if (!building_ || building_->factory_id != *pb.factory || !building_->constructed) return ok();
    b = &*building_;
    for (uint32_t c = 0; c < b->joiners.size(); ++c)
      if (b->joiners[c].request.deposit && !b->deposit_sigs.count(c)) return ok();
  }
  bool any_ready = false;
  for (const auto& mid : pb.migrations) {
    const auto& m = migrations_.at(mid);
    const bool ready = m.ptlc_exit && m.ptlc_exit->may_fund();
    any_ready |= ready;
    if (!ready && !timed_out) return ok();
  }
  if (!pb.factory && !any_ready) {
    if (!timed_out) return ok();
    // Nobody completed a claim session: L funds nothing and fails the legs back.
    for (const auto& mid : pb.migrations) {
      auto& m = migrations_.at(mid);
      m.batch.reset();
      if (m.ptlc_exit) {
        LADDER_ASSIGN(auto out, m.ptlc_exit->abandon());
        LADDER_TRY(apply_flow(m, std::move(out)));
      }
    }
    for (const auto& i : pb.batch.inputs()) wallet_.release(i.outpoint);
    event("batch.abandoned", 0, std::nullopt, 0, "no claim session completed");
    pending_batches_.erase(it);
    mark("lsp/pending-batch", be64(batch_id));
    return ok();
  }
  btc::Transaction tx = pb.batch.unsigned_tx();
  std::vector<btc::TxOut> spent;
  for (const auto& i : pb.batch.inputs()) spent.push_back(i.spent);
  if (b) {
    for (uint32_t c = 0; c < b->joiners.size(); ++c) {
      const auto& dep = b->joiners[c].request.deposit;
      if (!dep) continue;
      const Bytes64& sig = b->deposit_sigs.at(c);
      for (auto& in : tx.vin)
        if (in.prevout == dep->outpoint) in.witness = {Bytes(sig.begin(), sig.end())};
    }
  }
  for (size_t i = 0; i < tx.vin.size(); ++i)
    if (spent[i].script_pubkey == wallet_.script()) LADDER_TRY(wallet_.sign(tx, i, spent));
  LADDER_TRY(pb.batch.set_signed(tx));
  LADDER_ASSIGN(auto signed_tx, pb.batch.broadcast());
  pending_.broadcast(signed_tx, "batch", pb.factory.value_or(0));
  pending_.watch_txid(signed_tx.txid());
  event("batch.broadcast", pb.factory.value_or(0), std::nullopt, signed_tx.total_out(),
        std::to_string(signed_tx.vin.size()) + " inputs, " + std::to_string(signed_tx.vout.size()) + " outputs");
  if (b) factory_funded(signed_tx);
  for (const auto& mid : pb.migrations) {
    auto& m = migrations_.at(mid);
    if (m.ptlc_exit) LADDER_TRY(apply_flow(m, m.ptlc_exit->on_tx(signed_tx, std::nullopt)));
  }
  batches_.emplace(batch_id, BatchRecord{std::move(pb.batch), std::nullopt});
  mark("lsp/batch", be64(batch_id));
  pending_batches_.erase(batch_id);
  mark("lsp/pending-batch", be64(batch_id));
  return ok();
}

void Lsp::check_batch_timeouts() {
  std::vector<uint64_t> ids;
  for (const auto& [id, pb] : pending_batches_)
    if (pb.claims_started_at && height_ >= *pb.claims_started_at + config_.stage_timeout) ids.push_back(id);
  for (uint64_t id : ids) {
    Status s = maybe_broadcast(id);
    if (!s) fail(s.error());
  }
}

}  // namespace ladder::lsp
