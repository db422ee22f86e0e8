#include "migrate/reallocation.h"

#include <algorithm>

#include "migrate/reallocation_channels.h"

namespace ladder::migrate {

using factory::kLsp;
using factory::Tree;

namespace {
bool has_departed_channel(const Tree& tree, const DepartedKeys& keys, uint32_t leaf) {
  const auto& n = tree.shape().node(leaf);
  for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c)
    if (keys.departed(c) && tree.capacity(c) > 0) return true;
  return false;
}
}  // namespace

Expected<std::vector<btc::Amount>> reallocated_capacities(const Tree& tree, const DepartedKeys& keys, uint32_t leaf) {
  LADDER_TRY(keys.check_scope(tree));
  if (leaf >= tree.shape().nodes().size() || !tree.shape().node(leaf).is_leaf())
    return make_error("migrate.bad-output", "node " + std::to_string(leaf) + " is not a leaf");
  if (!has_departed_channel(tree, keys, leaf))
    return make_error("migrate.nothing-to-reallocate", "no departed client of leaf " + std::to_string(leaf) +
                                                           " still has a channel");
  const auto& n = tree.shape().node(leaf);
  std::vector<btc::Amount> caps;
  for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c)
    caps.push_back(keys.departed(c) ? 0 : tree.capacity(c));
  return caps;
}

Expected<factory::UpdateProposal> propose_reallocation(const Tree& tree, const DepartedKeys& keys, uint64_t update_id,
                                                       uint32_t leaf) {
  LADDER_ASSIGN(auto caps, reallocated_capacities(tree, keys, leaf));
  LADDER_ASSIGN(auto p, factory::propose_leaf_update(tree, update_id, leaf, std::move(caps), true));
  if (p.node == leaf) return p;
  // A DW parent advances: every leaf below it is re-signed anyway, so each
  // one sheds its departed clients' channels in the same update.
  const auto& top = tree.shape().node(p.node);
  for (uint32_t other : tree.shape().leaves()) {
    const auto& n = tree.shape().node(other);
    if (other == leaf || n.first_client < top.first_client ||
        n.first_client >= top.first_client + top.client_count || !has_departed_channel(tree, keys, other))
      continue;
    LADDER_ASSIGN(auto other_caps, reallocated_capacities(tree, keys, other));
    p.leaves.push_back({other, std::move(other_caps)});
  }
  return p;
}

Expected<Reallocation> Reallocation::start(const Tree& current, const DepartedKeys& keys,
                                           const crypto::SecretKey& lsp_key, uint64_t update_id, uint32_t leaf,
                                           factory::GuardTable& guard, factory::GuardStore& store,
                                           const factory::SeenBroadcast& seen) {
  LADDER_ASSIGN(auto proposal, propose_reallocation(current, keys, update_id, leaf));
  LADDER_ASSIGN(auto coord, factory::UpdateCoordinator::create(current, proposal));
  Reallocation r(std::move(coord), proposal);
  Tree& next = r.coord_.updated();
  for (uint32_t who : r.coord_.participants()) {
    if (who != kLsp && !keys.departed(who)) {
      r.present_.push_back(who);
      if (next.capacity(who) > 0) {
        LADDER_ASSIGN(auto b, channel_binding(next, who));
        r.rebinds_.emplace_back(who, b);
      }
      continue;
    }
    std::optional<uint32_t> client;
    crypto::SecretKey key = lsp_key;
    factory::UpdateExpectations expect;
    if (who != kLsp) {
      client = who;
      LADDER_ASSIGN(key, keys.key(current, who));
      expect.own_capacity = next.capacity(who);
    }
    r.internal_.push_back({who, factory::UpdateSigner(key, client, guard, store)});
    LADDER_ASSIGN(auto nonces, r.internal_.back().signer.on_proposal(current, proposal, expect, seen));
    LADDER_TRY(r.coord_.on_nonces(who, nonces));
  }
  if (r.present_.empty()) {
    LADDER_TRY(r.internal_partials());
    LADDER_TRY(r.coord_.finalize_descendants());
    r.round_ = Round::descendants_signed;
  }
  return r;
}

Status Reallocation::require_present(uint32_t client) const {
  if (std::find(present_.begin(), present_.end(), client) == present_.end())
    return make_error("migrate.not-a-signer", "client " + std::to_string(client) + " does not sign this reallocation");
  return ok();
}

std::vector<uint32_t> Reallocation::missing() const {
  std::vector<uint32_t> out;
  if (round_ == Round::nonces || round_ == Round::partials) {
    for (uint32_t c : present_)
      if (!delivered_.count(c)) out.push_back(c);
    return out;
  }
  for (uint32_t w : coord_.missing())
    if (w != kLsp && std::find(present_.begin(), present_.end(), w) != present_.end()) out.push_back(w);
  return out;
}

Status Reallocation::internal_partials() {
  for (auto& in : internal_) {
    LADDER_ASSIGN(auto agg, coord_.aggnonces_for(in.who));
    LADDER_ASSIGN(auto psigs, in.signer.on_aggnonces(agg));
    LADDER_TRY(coord_.on_descendant_partials(in.who, psigs));
  }
  return ok();
}

Status Reallocation::delivered(uint32_t client) {
  delivered_.insert(client);
  if (delivered_.size() < present_.size()) return ok();
  delivered_.clear();
  if (round_ == Round::nonces) {
    LADDER_TRY(internal_partials());
    round_ = Round::partials;
  } else {
    LADDER_TRY(coord_.finalize_descendants());
    round_ = Round::descendants_signed;
  }
  return ok();
}

Status Reallocation::on_nonces(uint32_t client, const factory::UpdateNonces& msg) {
  LADDER_TRY(require_present(client));
  if (round_ != Round::nonces) return make_error("factory.out-of-order", "nonces after the nonce round");
  if (delivered_.count(client)) return make_error("factory.out-of-order", "nonces already received");
  LADDER_TRY(coord_.on_nonces(client, msg));
  return delivered(client);
}

Expected<factory::UpdateAggNonces> Reallocation::aggnonces_for(uint32_t client) {
  LADDER_TRY(require_present(client));
  if (round_ == Round::nonces) return make_error("factory.out-of-order", "nonces are still missing");
  return coord_.aggnonces_for(client);
}

Status Reallocation::on_descendant_partials(uint32_t client, const factory::DescendantPartials& msg) {
  LADDER_TRY(require_present(client));
  if (round_ != Round::partials) return make_error("factory.out-of-order", "descendant partials out of order");
  if (delivered_.count(client)) return make_error("factory.out-of-order", "partials already received");
  LADDER_TRY(coord_.on_descendant_partials(client, msg));
  return delivered(client);
}

Expected<factory::DescendantSignatures> Reallocation::descendant_signatures_for(uint32_t client) {
  LADDER_TRY(require_present(client));
  return coord_.descendant_signatures_for(client);
}

Status Reallocation::sign_top(const factory::RebindCheck& lsp_rebound) {
  if (round_ != Round::descendants_signed)
    return make_error("factory.out-of-order", "the descendants are not signed yet");
  // Checked before any internal signer releases a top partial.
  if (!rebinds_.empty() && !lsp_rebound)
    return make_error("migrate.not-rebound", "L's channels must be re-bound before the top is signed");
  if (lsp_rebound) LADDER_TRY(lsp_rebound(coord_.updated()));
  for (auto& in : internal_) {
    LADDER_ASSIGN(auto sigs, coord_.descendant_signatures_for(in.who));
    // L's channels must be re-bound; a departed client's channel needs nothing.
    factory::RebindCheck check = in.who == kLsp ? lsp_rebound : factory::RebindCheck{};
    LADDER_ASSIGN(auto top, in.signer.on_descendant_signatures(sigs, check));
    LADDER_TRY(coord_.on_top_partial(in.who, top));
  }
  round_ = Round::top;
  return ok();
}

Status Reallocation::on_top_partial(uint32_t client, const factory::TopPartial& msg) {
  LADDER_TRY(require_present(client));
  if (round_ != Round::top) return make_error("factory.out-of-order", "top partial before L signed the top");
  return coord_.on_top_partial(client, msg);
}

Expected<factory::TopSignature> Reallocation::finish() {
  if (round_ != Round::top) return make_error("factory.out-of-order", "the top is not being signed");
  LADDER_TRY(coord_.finalize_top());
  LADDER_ASSIGN(auto top, coord_.top_signature());
  for (auto& in : internal_) LADDER_TRY(in.signer.on_top_signature(top));
  round_ = Round::done;
  return top;
}

}  // namespace ladder::migrate
