// The unilateral exit planner (DESIGN §3.4): for a client, the ordered tree
// txs from the first unpublished one down to its channel output, and the
// height at which each becomes valid. It also serves L when it evicts (§7).
//
// Heights: a tx whose parent confirmed at height h and whose nSequence
// carries a relative lock of r blocks is valid for the block at height
// h + max(r, 1) (one block per tx: TRUC lets a tx wait for its parent's
// confirmation, and the planner does not rely on package relay). Txs already
// confirmed are skipped; their real confirmation heights feed the rest.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "factory/tree.h"

namespace ladder::factory {

struct ExitStep {
  TxKey key;
  btc::Transaction tx;           // signed
  std::optional<uint32_t> confirmed_at;  // already on chain
  uint32_t valid_at = 0;         // earliest block height that may include it
};

// confirmed_height(txid): the height at which a tx confirmed, if it did.
using ConfirmedHeight = std::function<std::optional<uint32_t>(const btc::Txid&)>;

// The tree txs on the path to `node` (inclusive), root first.
std::vector<TxKey> path_txs(const Tree& tree, uint32_t node);

// The exit of `client` to its channel output, scheduled from `tip`
// ("factory.unsigned" if a signature on the path is missing).
Expected<std::vector<ExitStep>> plan_exit(Tree& tree, uint32_t client, uint32_t tip,
                                          const ConfirmedHeight& confirmed_height);

// The same for any node's outputs (L's eviction of a subtree).
Expected<std::vector<ExitStep>> plan_to_node(Tree& tree, uint32_t node, uint32_t tip,
                                             const ConfirmedHeight& confirmed_height);

}  // namespace ladder::factory
