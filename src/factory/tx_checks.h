// The checks a signer runs on every tree tx before it signs it (DESIGN §3
// (R)): version 3, at most 10,000 vB, one P2A anchor of the agreed value, no
// output below dust, a non-negative fee at least the minimum relay rate and
// at most twice the agreed rate, the nSequence and nLockTime its kind
// requires. Errors: "factory.nonstandard-tx" / "factory.bad-tx", naming the tx.
#pragma once

#include "factory/tree.h"

namespace ladder::factory {

// `target` must come from `tree` (its tx, spent output and key).
Status check_tree_tx(Tree& tree, const SigningTarget& target);

}  // namespace ladder::factory
