#include "migrate/reallocation_channels.h"

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
// What the leaf-level distributions pay `client` (its channel's and the L-stock's).
btc::Amount leaf_payout(const Tree& tree, uint32_t client) {
  const uint32_t leaf = tree.shape().leaf_of(client);
  const auto& n = tree.shape().node(leaf);
  btc::Amount sum = 0;
  for (uint32_t slot : {tree.shape().slot_in_leaf(client), n.client_count})
    if (tree.has_distribution(leaf, slot))
      for (const auto& p : tree.distribution_payouts(leaf, slot)) sum += p.client == client ? p.amount : 0;
  return sum;
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
  r.leaf_payout_before = leaf_payout(current, self);
  r.leaf_payout_after = leaf_payout(next, self);
  return r;
}

}  // namespace ladder::migrate
