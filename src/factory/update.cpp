#include "factory/update.h"

#include <algorithm>

namespace ladder::factory {

namespace {
Error bad_update(std::string m) { return make_error("factory.bad-update", std::move(m)); }

bool is_below(const Shape& shape, uint32_t node, uint32_t ancestor) {
  for (int32_t n = static_cast<int32_t>(node); n >= 0; n = shape.node(n).parent)
    if (static_cast<uint32_t>(n) == ancestor) return true;
  return false;
}
}  // namespace

Expected<std::pair<uint32_t, uint32_t>> plan_advance(const Tree& tree, uint32_t leaf, bool departure) {
  const Shape& shape = tree.shape();
  if (!shape.node(leaf).is_leaf()) return bad_update("not a leaf");
  // Ordinary updates stop one short of the leaf's last index.
  uint32_t last = tree.state_count(leaf) - 1 - (departure ? 0 : 1);
  if (tree.state_index(leaf) < last) return std::make_pair(leaf, tree.state_index(leaf) + 1);
  for (int32_t n = shape.node(leaf).parent; n >= 0; n = shape.node(n).parent) {
    uint32_t id = static_cast<uint32_t>(n);
    if (!shape.node(id).is_dw()) break;  // static levels have one version only
    if (tree.state_index(id) + 1 < tree.state_count(id)) return std::make_pair(id, tree.state_index(id) + 1);
  }
  return make_error("factory.exhausted", "every DW state above leaf " + std::to_string(leaf) +
                                             " is used; the subtree is frozen until the factory dies");
}

Expected<UpdateProposal> propose_leaf_update(const Tree& tree, uint64_t update_id, uint32_t leaf,
                                             std::vector<btc::Amount> caps, bool departure) {
  LADDER_ASSIGN(auto step, plan_advance(tree, leaf, departure));
  UpdateProposal p;
  p.factory_id = tree.terms().factory_id;
  p.update_id = update_id;
  p.node = step.first;
  p.new_index = step.second;
  p.leaves.push_back({leaf, std::move(caps)});
  return p;
}

Expected<Tree> apply_update(const Tree& tree, const UpdateProposal& update) {
  const Shape& shape = tree.shape();
  if (update.factory_id != tree.terms().factory_id) return bad_update("update for another factory");
  if (update.node >= shape.nodes().size() || !shape.node(update.node).is_dw()) return bad_update("not a DW node");
  if (update.new_index <= tree.state_index(update.node) || update.new_index >= tree.state_count(update.node))
    return bad_update("state index " + std::to_string(update.new_index) + " is not a forward move");
  Tree next = tree;
  next.set_state_index(update.node, update.new_index);
  for (const auto& l : update.leaves) {
    if (l.leaf >= shape.nodes().size() || !is_below(shape, l.leaf, update.node))
      return bad_update("leaf " + std::to_string(l.leaf) + " is not below the updated node");
    LADDER_TRY(next.set_leaf_capacities(l.leaf, l.capacities));
  }
  return next;
}

std::vector<TxKey> update_txs(const Tree& updated, uint32_t node) {
  std::vector<TxKey> out{{TxKind::state, node, kNodeInput}};
  std::vector<uint32_t> queue{node};
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    uint32_t id = queue[qi];
    const Node& n = updated.shape().node(id);
    if (id != node) {
      out.push_back({TxKind::kickoff, id, kNodeInput});
      out.push_back({TxKind::state, id, kNodeInput});
      if (updated.has_distribution(id)) out.push_back({TxKind::distribution, id, kNodeInput});
    }
    if (n.is_leaf())
      for (uint32_t slot = 0; slot <= n.client_count; ++slot)
        if (updated.has_distribution(id, slot)) out.push_back({TxKind::distribution, id, slot});
    for (uint32_t c : n.children) queue.push_back(c);
  }
  return out;
}

Status check_not_published(Tree& tree, uint32_t node, const SeenBroadcast& seen) {
  auto refuse = [&](const TxKey& k) {
    return make_error("factory.path-published", k.to_string() + " was seen broadcast; node " + std::to_string(node) +
                                                    " gets no new state");
  };
  const Shape& shape = tree.shape();
  for (uint32_t id : shape.path_to(node)) {
    if (!shape.node(id).is_dw()) continue;
    TxKey kickoff{TxKind::kickoff, id, kNodeInput};
    LADDER_ASSIGN(auto k, tree.build(kickoff));
    if (seen(k.txid())) return refuse(kickoff);
    if (id == node) continue;
    TxKey state{TxKind::state, id, kNodeInput};
    LADDER_ASSIGN(auto s, tree.build(state));
    if (seen(s.txid())) return refuse(state);
  }
  return ok();
}

// ---- UpdateSigner ----

UpdateSigner::UpdateSigner(crypto::SecretKey key, std::optional<uint32_t> client, GuardTable& guard, GuardStore& store)
    : key_(std::move(key)), client_(client), guard_(&guard), store_(&store) {}

Status UpdateSigner::check_ref(const UpdateRef& ref) const {
  if (!(ref == ref_)) return make_error("factory.wrong-ceremony", "message for another update");
  return ok();
}

Expected<UpdateNonces> UpdateSigner::on_proposal(const Tree& current, const UpdateProposal& update,
                                                 const UpdateExpectations& expect, const SeenBroadcast& seen) {
  if (stage_ != 0) return make_error("factory.out-of-order", "proposal after the update started");
  Tree copy = current;
  LADDER_TRY(check_not_published(copy, update.node, seen));
  LADDER_ASSIGN(auto next, apply_update(current, update));
  const Shape& shape = current.shape();
  if (client_) {
    uint32_t c = *client_;
    if (!shape.node(update.node).covers(c)) return bad_update("this client is not below the updated node");
    btc::Amount want = expect.own_capacity.value_or(current.capacity(c));
    if (next.capacity(c) != want)
      return make_error("factory.capacity-mismatch", "own channel capacity would be " +
                                                         std::to_string(next.capacity(c)) + ", agreed " +
                                                         std::to_string(want));
  }
  updated_.emplace(std::move(next));
  ref_ = {update.factory_id, update.update_id};
  auto all = update_txs(*updated_, update.node);
  std::vector<TxKey> mine;
  for (const auto& k : all) {
    if (!client_) {
      mine.push_back(k);
      continue;
    }
    auto [first, count] = updated_->signer_range(k);
    if (*client_ >= first && *client_ < first + count) mine.push_back(k);
  }
  LADDER_ASSIGN(auto session, SignerSession::start(*updated_, key_, mine));
  session_.emplace(std::move(session));
  stage_ = 1;
  return UpdateNonces{ref_, session_->pubnonces()};
}

Expected<DescendantPartials> UpdateSigner::on_aggnonces(const UpdateAggNonces& msg) {
  if (stage_ != 1) return make_error("factory.out-of-order", "aggregate nonces out of order");
  LADDER_TRY(check_ref(msg.ref));
  LADDER_TRY(session_->set_aggnonces(msg.aggnonces));
  auto positions = all_positions(session_->keys().size());
  positions.erase(positions.begin());  // the top waits for its descendants
  stage_ = 2;
  LADDER_ASSIGN(auto psigs, session_->sign(positions, key_, *guard_, *store_));
  return DescendantPartials{ref_, std::move(psigs)};
}

Expected<TopPartial> UpdateSigner::on_descendant_signatures(const DescendantSignatures& msg, const RebindCheck& rebound) {
  if (stage_ != 2) return make_error("factory.out-of-order", "descendant signatures out of order");
  LADDER_TRY(check_ref(msg.ref));
  auto positions = all_positions(session_->keys().size());
  positions.erase(positions.begin());
  LADDER_TRY(session_->accept_signatures(*updated_, positions, msg.sigs));
  if (rebound) LADDER_TRY(rebound(*updated_));
  std::vector<uint32_t> top{0};
  LADDER_ASSIGN(auto psig, session_->sign(top, key_, *guard_, *store_));
  stage_ = 3;
  return TopPartial{ref_, psig.at(0)};
}

Status UpdateSigner::on_top_signature(const TopSignature& msg) {
  if (stage_ != 3) return make_error("factory.out-of-order", "top signature out of order");
  LADDER_TRY(check_ref(msg.ref));
  std::vector<uint32_t> top{0};
  LADDER_TRY(session_->accept_signatures(*updated_, top, {msg.sig}));
  session_.reset();
  done_ = true;
  return ok();
}

// ---- UpdateCoordinator ----

Expected<UpdateCoordinator> UpdateCoordinator::create(const Tree& current, const UpdateProposal& update) {
  LADDER_ASSIGN(auto next, apply_update(current, update));
  auto keys = update_txs(next, update.node);
  LADDER_ASSIGN(auto set, SigningSet::create(next, keys));
  UpdateCoordinator c(std::move(next), std::move(set));
  c.ref_ = {update.factory_id, update.update_id};
  for (uint32_t i = 1; i < c.set_.size(); ++i) c.descendants_.push_back(i);
  return c;
}

Status UpdateCoordinator::check(uint32_t who, const UpdateRef& ref) const {
  if (!set_.is_participant(who)) return make_error("factory.unknown-participant", "not a signer of this update");
  if (!(ref == ref_)) return make_error("factory.wrong-ceremony", "message for another update");
  return ok();
}

Status UpdateCoordinator::on_nonces(uint32_t who, const UpdateNonces& msg) {
  LADDER_TRY(check(who, msg.ref));
  return set_.add_nonces(who, msg.nonces);
}

Expected<UpdateAggNonces> UpdateCoordinator::aggnonces_for(uint32_t who) {
  LADDER_ASSIGN(auto aggs, set_.aggnonces_for(who));
  round_ = std::max(round_, 1);
  return UpdateAggNonces{ref_, std::move(aggs)};
}

Status UpdateCoordinator::on_descendant_partials(uint32_t who, const DescendantPartials& msg) {
  LADDER_TRY(check(who, msg.ref));
  auto positions = all_positions(set_.txs_of(who).size());
  positions.erase(positions.begin());
  return set_.add_partials(who, positions, msg.psigs);
}

Status UpdateCoordinator::finalize_descendants() {
  LADDER_TRY(set_.finalize(descendants_));
  for (uint32_t i : descendants_) {
    LADDER_TRY(updated_.add_signature(set_.key(i), *set_.signature(i)));
  }
  round_ = 2;
  return ok();
}

Expected<DescendantSignatures> UpdateCoordinator::descendant_signatures_for(uint32_t who) {
  if (round_ < 2) return make_error("factory.out-of-order", "descendants not signed yet");
  auto positions = all_positions(set_.txs_of(who).size());
  positions.erase(positions.begin());
  LADDER_ASSIGN(auto sigs, set_.signatures_for(who, positions));
  return DescendantSignatures{ref_, std::move(sigs)};
}

Status UpdateCoordinator::on_top_partial(uint32_t who, const TopPartial& msg) {
  LADDER_TRY(check(who, msg.ref));
  if (round_ < 2) return make_error("factory.out-of-order", "top partial before the descendants are signed");
  std::vector<uint32_t> top{0};
  return set_.add_partials(who, top, {msg.psig});
}

Status UpdateCoordinator::finalize_top() {
  std::vector<uint32_t> top{0};
  LADDER_TRY(set_.finalize(top));
  LADDER_TRY(updated_.add_signature(set_.key(0), *set_.signature(0)));
  round_ = 3;
  return ok();
}

Expected<TopSignature> UpdateCoordinator::top_signature() const {
  if (round_ < 3) return make_error("factory.out-of-order", "the top is not signed yet");
  return TopSignature{ref_, set_.signature(0)->bytes()};
}

std::vector<uint32_t> UpdateCoordinator::missing() const {
  if (!set_.aggregated()) return set_.missing_nonces();
  if (round_ < 2) return set_.missing_partials(descendants_);
  std::vector<uint32_t> top{0};
  return set_.missing_partials(top);
}

}  // namespace ladder::factory
