// TRUC (nVersion 3, "topologically restricted until confirmation") relay
// rules, as Bitcoin Core 28/29 applies them to a single transaction: a TRUC
// tx is at most 10,000 vB, has at most one unconfirmed ancestor, a TRUC
// child is at most 1,000 vB, a TRUC parent has at most one unconfirmed
// child, and TRUC and non-TRUC txs never spend each other unconfirmed.
//
// Pure function over a read-only mempool; thread-safe with respect to it.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "btc/tx.h"
#include "chain/mempool.h"
#include "chain/params.h"

namespace ladder::chain {

struct TrucViolation {
  std::string message;                  // Core's debug string
  std::optional<btc::Txid> sibling;     // a sibling whose eviction may be considered
};

// `ancestors`: all in-mempool ancestors of `tx`; `direct_conflicts`: the
// mempool txs it would replace.
std::optional<TrucViolation> check_truc(const btc::Transaction& tx, const TxFacts& facts, const Mempool& pool,
                                        const std::set<btc::Txid>& ancestors,
                                        const std::set<btc::Txid>& direct_conflicts, const ChainParams& params);

}  // namespace ladder::chain
