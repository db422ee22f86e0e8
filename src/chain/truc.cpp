#include "chain/truc.h"

#include <algorithm>

#include "chain/policy.h"

namespace ladder::chain {

namespace {
constexpr size_t kTrucAncestorLimit = 2;   // including the tx
constexpr size_t kTrucDescendantLimit = 2; // including the tx

std::string ident(const TxFacts& f) { return f.txid.hex() + " (wtxid=" + to_hex(reversed(f.wtxid)) + ")"; }
}  // namespace

std::optional<TrucViolation> check_truc(const btc::Transaction& tx, const TxFacts& facts, const Mempool& pool,
                                        const std::set<btc::Txid>& ancestors,
                                        const std::set<btc::Txid>& direct_conflicts, const ChainParams& params) {
  const bool truc = tx.version == TRUC_VERSION;
  for (const auto& a : ancestors) {
    const MempoolEntry* e = pool.find(a);
    const bool parent_truc = e->tx->version == TRUC_VERSION;
    if (!truc && parent_truc)
      return TrucViolation{"non-version=3 tx " + ident(facts) + " cannot spend from version=3 tx " + ident(e->facts), {}};
    if (truc && !parent_truc)
      return TrucViolation{"version=3 tx " + ident(facts) + " cannot spend from non-version=3 tx " + ident(e->facts), {}};
  }
  if (!truc) return std::nullopt;
  if (facts.vsize > params.truc_max_vsize)
    return TrucViolation{"version=3 tx " + ident(facts) + " is too big: " + std::to_string(facts.vsize) + " > " +
                             std::to_string(params.truc_max_vsize) + " virtual bytes",
                         {}};
  if (ancestors.size() + 1 > kTrucAncestorLimit)
    return TrucViolation{"tx " + ident(facts) + " would have too many ancestors", {}};
  if (ancestors.empty()) return std::nullopt;
  if (facts.vsize > params.truc_child_max_vsize)
    return TrucViolation{"version=3 child tx " + ident(facts) + " is too big: " + std::to_string(facts.vsize) + " > " +
                             std::to_string(params.truc_child_max_vsize) + " virtual bytes",
                         {}};
  const MempoolEntry* parent = pool.find(*ancestors.begin());
  const auto& children = parent->children;
  bool child_replaced = std::any_of(children.begin(), children.end(), [&](const btc::Txid& c) { return direct_conflicts.count(c) > 0; });
  size_t with_descendants = pool.descendants(parent->facts.txid).size() + 1;
  if (with_descendants + 1 > kTrucDescendantLimit && !child_replaced) {
    std::optional<btc::Txid> sibling;
    if (with_descendants == 2 && children.size() == 1) {
      const MempoolEntry* s = pool.find(*children.begin());
      if (s && s->parents.size() == 1 && pool.ancestors_of(s->parents).size() == 1) sibling = s->facts.txid;
    }
    return TrucViolation{"tx " + ident(parent->facts) + " would exceed descendant count limit", sibling};
  }
  return std::nullopt;
}

}  // namespace ladder::chain
