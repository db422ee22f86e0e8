#include "factory/coordinator.h"

namespace ladder::factory {

namespace {
int blame(uint32_t who) { return who == kLsp ? -1 : static_cast<int>(who); }

std::vector<uint32_t> missing_of(const std::vector<uint32_t>& participants, const std::unordered_map<uint32_t, bool>& in) {
  std::vector<uint32_t> out;
  for (uint32_t who : participants)
    if (!in.count(who)) out.push_back(who);
  return out;
}
}  // namespace

Expected<Coordinator> Coordinator::create(const Proposal& proposal) {
  LADDER_ASSIGN(auto tree, Tree::create(proposal.terms));
  LADDER_ASSIGN(auto set, SigningSet::create(tree, tree.all_txs()));
  Coordinator c(std::move(tree), std::move(set));
  c.ref_ = {proposal.terms.factory_id, proposal.attempt, c.tree_.layout().terms_hash};
  c.all_ = all_positions(c.set_.size());
  return c;
}

Status Coordinator::check_ref(uint32_t who, const CeremonyRef& ref) const {
  if (!set_.is_participant(who))
    return make_error("factory.unknown-participant", "participant " + std::to_string(who) + " is not in this factory");
  if (!(ref == ref_))
    return make_culprit_error("factory.wrong-ceremony", blame(who), "batch", "message for another ceremony or attempt");
  return ok();
}

Status Coordinator::on_nonces(uint32_t who, const NonceBatch& batch) {
  LADDER_TRY(check_ref(who, batch.ref));
  return set_.add_nonces(who, batch.nonces);
}

std::vector<uint32_t> Coordinator::missing_nonces() const { return set_.missing_nonces(); }

Expected<AggNonceBatch> Coordinator::aggnonces_for(uint32_t who) {
  LADDER_ASSIGN(auto aggs, set_.aggnonces_for(who));
  return AggNonceBatch{ref_, std::move(aggs)};
}

Status Coordinator::on_partials(uint32_t who, const PartialBatch& batch) {
  LADDER_TRY(check_ref(who, batch.ref));
  LADDER_TRY(set_.add_partials(who, all_positions(set_.txs_of(who).size()), batch.psigs));
  partials_in_[who] = true;
  return ok();
}

std::vector<uint32_t> Coordinator::missing_partials() const { return missing_of(set_.participants(), partials_in_); }

Status Coordinator::finalize() {
  LADDER_TRY(set_.finalize(all_));
  for (uint32_t i : all_) {
    LADDER_TRY(tree_.add_signature(set_.key(i), *set_.signature(i)));
  }
  finalized_ = true;
  return ok();
}

Expected<SignatureBatch> Coordinator::signatures_for(uint32_t who) {
  if (!finalized_) return make_error("factory.out-of-order", "signatures are not complete");
  LADDER_ASSIGN(auto sigs, set_.signatures_for(who, all_positions(set_.txs_of(who).size())));
  return SignatureBatch{ref_, std::move(sigs)};
}

Status Coordinator::on_ack(uint32_t who, const CeremonyAck& ack) {
  LADDER_TRY(check_ref(who, ack.ref));
  if (!finalized_) return make_culprit_error("factory.out-of-order", blame(who), "batch", "ack before signatures");
  acks_[who] = true;
  return ok();
}

bool Coordinator::all_acked() const { return missing_acks().empty(); }
std::vector<uint32_t> Coordinator::missing_acks() const { return missing_of(set_.participants(), acks_); }

}  // namespace ladder::factory
