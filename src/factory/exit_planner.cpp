#include "factory/exit_planner.h"

#include <algorithm>

namespace ladder::factory {

std::vector<TxKey> path_txs(const Tree& tree, uint32_t node) {
  std::vector<TxKey> out;
  for (uint32_t id : tree.shape().path_to(node)) {
    if (tree.shape().node(id).is_dw()) {
      out.push_back({TxKind::kickoff, id, kNodeInput});
      out.push_back({TxKind::state, id, kNodeInput});
    } else {
      out.push_back({TxKind::static_tx, id, kNodeInput});
    }
  }
  return out;
}

Expected<std::vector<ExitStep>> plan_to_node(Tree& tree, uint32_t node, uint32_t tip,
                                             const ConfirmedHeight& confirmed_height) {
  std::vector<ExitStep> out;
  // Height at which the previous tx confirmed (or is expected to); the
  // funding tx's for the first one.
  std::optional<uint32_t> parent_conf = confirmed_height(tree.terms().funding.txid);
  uint32_t parent_expected = parent_conf.value_or(tip);
  for (const auto& key : path_txs(tree, node)) {
    ExitStep step;
    step.key = key;
    LADDER_ASSIGN(step.tx, tree.signed_tx(key));
    step.confirmed_at = confirmed_height(step.tx.txid());
    uint32_t lock = key.kind == TxKind::state ? tree.state_sequence(key.node, tree.state_index(key.node)) : 0;
    step.valid_at = std::max(parent_expected + std::max<uint32_t>(lock, 1), tip + 1);
    if (step.confirmed_at) {
      parent_expected = *step.confirmed_at;
      continue;  // already published: nothing to do, but later heights follow it
    }
    parent_expected = step.valid_at;
    out.push_back(std::move(step));
  }
  return out;
}

Expected<std::vector<ExitStep>> plan_exit(Tree& tree, uint32_t client, uint32_t tip,
                                          const ConfirmedHeight& confirmed_height) {
  if (client >= tree.client_count()) return make_error("factory.bad-client", "no such client");
  return plan_to_node(tree, tree.shape().leaf_of(client), tip, confirmed_height);
}

}  // namespace ladder::factory
