#include "migrate/reallocation_channels.h"

#include <algorithm>
#include <cstdint>

namespace ladder::migrate {

using factory::Tree;

Expected<channel::Binding> channel_binding(Tree& tree, uint32_t client) {
  if (client >= tree.client_count()) return make_error("migrate.not-a-signer", "no such client");
  const uint32_t leaf = tree.shape().leaf_of(client);
  LADDER_ASSIGN(auto op, tree.leaf_outpoint(leaf, tree.shape().slot_in_leaf(client)));
  return channel::Binding{op, tree.capacity(client)};
}

factory::RebindCheck require_rebound(std::vector<ExpectedRebind> channels) {
  return [channels = std::move(channels)](const Tree&) -> Status {
    for (const auto& e : channels) {
      auto pending = e.channel->pending_binding();
      if (e.channel->rebind_status() != channel::RebindStatus::complete || !pending || !(*pending == e.binding))
        return make_error("migrate.not-rebound", "channel to " + e.binding.outpoint.to_string() +
                                                     " does not hold its re-bound commitment");
    }
    return ok();
  };
}

namespace {
btc::Amount paid_to(const Tree& tree, uint32_t node, uint32_t slot, uint32_t client) {
  if (!tree.has_distribution(node, slot)) return 0;
  for (const auto& p : tree.distribution_payouts(node, slot))
    if (p.client == client) return p.amount;
  return 0;
}

// What the distributions of the leaf's outputs pay `client` (its channel's and the L-stock's).
btc::Amount leaf_payout(const Tree& tree, uint32_t client) {
  const uint32_t leaf = tree.shape().leaf_of(client);
  return paid_to(tree, leaf, tree.shape().slot_in_leaf(client), client) +
         paid_to(tree, leaf, tree.shape().node(leaf).client_count, client);
}

// The least the distributions of the outputs on the path (down to the leaf's input) pay `client`.
btc::Amount path_payout(const Tree& tree, uint32_t client) {
  std::optional<btc::Amount> least;
  for (uint32_t id : tree.shape().path_to(tree.shape().leaf_of(client)))
    if (tree.has_distribution(id)) least = std::min(least.value_or(INT64_MAX), paid_to(tree, id, factory::kNodeInput, client));
  return least.value_or(0);
}
}  // namespace

Expected<ReallocationReview> review_reallocation(const Tree& current, const factory::UpdateProposal& p, uint32_t self) {
  if (self >= current.client_count() || p.node >= current.shape().nodes().size() ||
      !current.shape().node(p.node).covers(self))
    return make_error("migrate.not-a-signer", "client " + std::to_string(self) + " is not below the updated node");
  LADDER_ASSIGN(auto next, factory::apply_update(current, p));
  if (next.capacity(self) != current.capacity(self))
    return make_error("migrate.capacity-changed", "a reallocation would change this client's channel capacity from " +
                                                      std::to_string(current.capacity(self)) + " to " +
                                                      std::to_string(next.capacity(self)));
  ReallocationReview r;
  r.expect.own_capacity = current.capacity(self);
  LADDER_ASSIGN(r.new_binding, channel_binding(next, self));
  Tree before = current;
  r.insured_before = before.insured(self);
  r.insured_after = next.insured(self);
  r.path_payout = path_payout(next, self);
  r.leaf_payout_before = leaf_payout(current, self);
  r.leaf_payout_after = leaf_payout(next, self);
  return r;
}

}  // namespace ladder::migrate
