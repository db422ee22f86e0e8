// EmbeddedChain: mempool acceptance, in the order of Bitcoin Core's
// MemPoolAccept::PreChecks / ReplacementChecks / PolicyScriptChecks, so the
// first failing rule and its reject string are the ones Core reports.
#include <algorithm>

#include "btc/script_flags.h"
#include "btc/tx_check.h"
#include "chain/embedded_chain.h"
#include "chain/policy.h"
#include "chain/script_check.h"
#include "chain/truc.h"

namespace ladder::chain {

namespace {

constexpr size_t kMinStandardNonWitnessSize = 65;

bool signals_rbf(const btc::Transaction& tx) {
  return tx.version == TRUC_VERSION ||
         std::any_of(tx.vin.begin(), tx.vin.end(), [](const btc::TxIn& in) { return in.sequence < 0xfffffffe; });
}

// Core's CFeeRate::ToString: "0.00001000 BTC/kvB".
std::string rate_str(btc::Amount fee, int64_t vsize) {
  int64_t per_kvb = fee * 1000 / std::max<int64_t>(1, vsize);
  std::string frac = std::to_string(per_kvb % btc::COIN);
  return std::to_string(per_kvb / btc::COIN) + "." + std::string(8 - frac.size(), '0') + frac + " BTC/kvB";
}

}  // namespace

Expected<EmbeddedChain::AcceptPlan> EmbeddedChain::plan_accept(const btc::Transaction& tx) const {
  LADDER_TRY(btc::check_transaction(tx));
  if (tx.is_coinbase()) return make_error("coinbase", "coinbase transactions cannot be relayed");
  AcceptPlan plan;
  MempoolEntry& e = plan.entry;
  e.facts = tx_facts(tx);
  LADDER_TRY(check_standard_tx(tx, e.facts, params_));
  if (e.facts.base_size < kMinStandardNonWitnessSize)
    return make_error("tx-size-small", "non-witness size " + std::to_string(e.facts.base_size) + " < 65 bytes");
  const int next_height = height() + 1;
  LADDER_TRY(check_final_tx(tx, next_height, median_time_past()));
  // Equal wtxids imply equal txids, so one lookup tells both cases apart.
  if (const MempoolEntry* same = mempool_.find(e.facts.txid))
    return make_error(same->facts.wtxid == e.facts.wtxid ? "txn-already-in-mempool"
                                                         : "txn-same-nonwitness-data-in-mempool");

  std::set<btc::Txid> direct_conflicts;
  for (const auto& in : tx.vin) {
    const btc::Txid* s = mempool_.spender(in.prevout);
    if (!s) continue;
    const MempoolEntry* c = mempool_.find(*s);
    if (!params_.full_rbf && !signals_rbf(*c->tx))
      return make_error("txn-mempool-conflict", "input " + in.prevout.to_string() + " is spent by " + s->hex());
    direct_conflicts.insert(*s);
  }

  // Coins: confirmed, or outputs of mempool txs (spendable in the next block).
  std::vector<Coin> mempool_coins;  // filled before any pointer into it is taken
  std::vector<const Coin*> coins(tx.vin.size(), nullptr);
  std::vector<int> coin_heights(tx.vin.size(), next_height);
  for (size_t i = 0; i < tx.vin.size(); ++i) {
    const auto& op = tx.vin[i].prevout;
    if (const Coin* c = utxo_.find(op)) {
      coins[i] = c;
      coin_heights[i] = c->height;
    } else if (const btc::TxOut* o = mempool_.output(op)) {
      mempool_coins.push_back(Coin{*o, next_height, false});
      e.parents.insert(op.txid);
    } else {
      for (uint32_t n = 0; n < tx.vout.size(); ++n)
        if (utxo_.find(btc::OutPoint{e.facts.txid, n})) return make_error("txn-already-known", "outputs already in the UTXO set");
      return make_culprit_error("bad-txns-inputs-missingorspent", static_cast<int>(i), "input",
                                "input " + std::to_string(i) + " spends " + op.to_string() + ", which is unknown or spent");
    }
  }
  for (size_t i = 0, m = 0; i < tx.vin.size(); ++i)
    if (!coins[i]) coins[i] = &mempool_coins[m++];

  LADDER_TRY(check_sequence_locks(tx, coin_heights, [this](int h) { return mtp_at(h); }, next_height, median_time_past()));
  LADDER_ASSIGN(e.fee, check_tx_inputs(tx, coins, next_height, params_.coinbase_maturity));
  LADDER_TRY(check_standard_inputs(tx, coins));
  LADDER_TRY(check_witness_standard(tx, coins));
  btc::Amount min_fee = fee_for(params_.min_relay_fee_per_kvb, e.facts.vsize);
  if (e.fee < min_fee) return make_error("min relay fee not met", std::to_string(e.fee) + " < " + std::to_string(min_fee));

  std::set<btc::Txid> ancestors = mempool_.ancestors_of(e.parents);
  for (const auto& c : direct_conflicts)
    if (ancestors.count(c)) return make_error("bad-txns-spends-conflicting-tx", e.facts.txid.hex() + " spends conflicting transaction " + c.hex());
  LADDER_TRY(check_package_limits(e, ancestors));

  bool sibling_eviction = false;
  if (auto v = check_truc(tx, e.facts, mempool_, ancestors, direct_conflicts, params_)) {
    if (!v->sibling || !direct_conflicts.empty()) return make_error("TRUC-violation", v->message);
    direct_conflicts.insert(*v->sibling);
    sibling_eviction = true;
  }
  plan.conflicts.assign(direct_conflicts.begin(), direct_conflicts.end());
  if (!plan.conflicts.empty()) LADDER_TRY(check_replacement(plan, sibling_eviction));

  auto cached = script_cache_.find(e.facts.wtxid);
  if (cached == script_cache_.end() || (cached->second & btc::STANDARD_SCRIPT_VERIFY_FLAGS) != btc::STANDARD_SCRIPT_VERIFY_FLAGS)
    LADDER_TRY(verify_scripts_for_relay(tx, coins));
  e.script_flags_checked = btc::STANDARD_SCRIPT_VERIFY_FLAGS;
  e.tx = std::make_shared<const btc::Transaction>(tx);
  return plan;
}

Status EmbeddedChain::check_package_limits(const MempoolEntry& e, const std::set<btc::Txid>& ancestors) const {
  int64_t anc_vsize = e.facts.vsize;
  for (const auto& a : ancestors) anc_vsize += mempool_.find(a)->facts.vsize;
  if (static_cast<int>(ancestors.size()) + 1 > params_.ancestor_limit)
    return make_error("too-long-mempool-chain", "too many unconfirmed ancestors [limit: " + std::to_string(params_.ancestor_limit) + "]");
  if (anc_vsize > params_.ancestor_size_limit_vb)
    return make_error("too-long-mempool-chain", "exceeds ancestor size limit [limit: " + std::to_string(params_.ancestor_size_limit_vb) + "]");
  for (const auto& a : ancestors) {
    std::set<btc::Txid> desc = mempool_.descendants(a);
    int64_t desc_vsize = mempool_.find(a)->facts.vsize + e.facts.vsize;
    for (const auto& d : desc) desc_vsize += mempool_.find(d)->facts.vsize;
    if (static_cast<int>(desc.size()) + 2 > params_.descendant_limit)
      return make_error("too-long-mempool-chain", "too many descendants for tx " + a.hex() + " [limit: " + std::to_string(params_.descendant_limit) + "]");
    if (desc_vsize > params_.descendant_size_limit_vb)
      return make_error("too-long-mempool-chain", "exceeds descendant size limit for tx " + a.hex());
  }
  return ok();
}

// BIP-125 as Core 28 applies it (rules 2-6).
Status EmbeddedChain::check_replacement(const AcceptPlan& plan, bool sibling_eviction) const {
  const MempoolEntry& e = plan.entry;
  const std::string reason = sibling_eviction ? "insufficient fee (including sibling eviction)" : "insufficient fee";
  const std::string id = e.facts.txid.hex();
  for (const auto& c : plan.conflicts) {
    const MempoolEntry* old = mempool_.find(c);
    if (!fee_rate_greater(e.fee, e.facts.vsize, old->fee, old->facts.vsize))
      return make_error(reason, "rejecting replacement " + id + "; new feerate " + rate_str(e.fee, e.facts.vsize) +
                                    " <= old feerate " + rate_str(old->fee, old->facts.vsize));
  }
  std::set<btc::Txid> all;
  for (const auto& c : plan.conflicts) {
    all.insert(c);
    for (const auto& d : mempool_.descendants(c)) all.insert(d);
  }
  if (static_cast<int>(all.size()) > params_.max_replacement_evictions)
    return make_error("too many potential replacements", "rejecting replacement " + id + "; too many potential replacements (" +
                                                             std::to_string(all.size()) + " > " +
                                                             std::to_string(params_.max_replacement_evictions) + ")");
  std::set<btc::Txid> conflict_parents;
  for (const auto& c : plan.conflicts)
    for (const auto& in : mempool_.find(c)->tx->vin) conflict_parents.insert(in.prevout.txid);
  for (const auto& p : e.parents)
    if (!conflict_parents.count(p))
      return make_error("replacement-adds-unconfirmed", "replacement " + id + " adds unconfirmed input " + p.hex());
  btc::Amount replaced_fees = 0;
  for (const auto& t : all) replaced_fees += mempool_.find(t)->fee;
  if (e.fee < replaced_fees)
    return make_error(reason, "rejecting replacement " + id + ", less fees than conflicting txs; " + std::to_string(e.fee) +
                                  " < " + std::to_string(replaced_fees));
  btc::Amount relay = fee_for(params_.incremental_relay_fee_per_kvb, e.facts.vsize);
  if (e.fee - replaced_fees < relay)
    return make_error(reason, "rejecting replacement " + id + ", not enough additional fees to relay; " +
                                  std::to_string(e.fee - replaced_fees) + " < " + std::to_string(relay));
  return ok();
}

Expected<AcceptResult> EmbeddedChain::test_accept(const btc::Transaction& tx) const {
  LADDER_ASSIGN(AcceptPlan plan, plan_accept(tx));
  AcceptResult r{plan.entry.facts.txid, plan.entry.facts.wtxid, plan.entry.fee, plan.entry.facts.vsize, {}};
  for (const auto& c : plan.conflicts) {
    r.replaced.push_back(c);
    for (const auto& d : mempool_.descendants(c)) r.replaced.push_back(d);
  }
  return r;
}

Expected<AcceptResult> EmbeddedChain::submit(const btc::Transaction& tx) {
  LADDER_ASSIGN(AcceptPlan plan, plan_accept(tx));
  AcceptResult r{plan.entry.facts.txid, plan.entry.facts.wtxid, plan.entry.fee, plan.entry.facts.vsize, {}};
  for (const auto& c : plan.conflicts)
    for (const auto& t : mempool_.remove_with_descendants(c)) r.replaced.push_back(t);
  mempool_.add(std::move(plan.entry));
  return r;
}

}  // namespace ladder::chain
