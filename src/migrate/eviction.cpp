#include "migrate/eviction.h"

#include <algorithm>

#include "btc/standard_scripts.h"
#include "channel/enforcement.h"

namespace ladder::migrate {

using factory::TxKind;
using factory::kNodeInput;

Expected<Eviction> Eviction::create(factory::Tree tree, DepartedKeys keys, crypto::SecretKey lsp_key,
                                    std::map<uint32_t, const channel::Channel*> channels, EvictionConfig config,
                                    uint32_t tip, const factory::ConfirmedHeight& confirmed) {
  LADDER_TRY(keys.check_scope(tree));
  Eviction e(std::move(tree), std::move(keys), std::move(lsp_key));
  e.config_ = std::move(config);
  const auto& shape = e.tree_.shape();
  for (uint32_t c = 0; c < e.tree_.client_count(); ++c) {
    if (e.keys_.departed(c) || e.tree_.capacity(c) == 0) continue;
    auto it = channels.find(c);
    if (it == channels.end() || !it->second)
      return make_culprit_error("migrate.missing-channel", static_cast<int>(c), "channel",
                                "no channel of L's with client " + std::to_string(c));
    e.absent_.push_back(c);
    const uint32_t leaf = shape.leaf_of(c);
    if (e.leaves_.empty() || e.leaves_.back() != leaf) e.leaves_.push_back(leaf);
    for (uint32_t id : shape.path_to(leaf)) e.on_path_.insert(id);
  }
  e.channels_ = std::move(channels);
  LADDER_ASSIGN(auto by, e.paths_valid_by(tip, confirmed));
  // The commitments follow the leaf states; both must confirm by block TO,
  // before the distribution txs (nLockTime TO) are valid.
  if (!e.leaves_.empty() && by + 1 > e.tree_.terms().heights.timeout)
    return make_error("migrate.eviction-too-late", "the paths are valid only at height " + std::to_string(by) +
                                                       ", too late for TO " +
                                                       std::to_string(e.tree_.terms().heights.timeout));
  return e;
}

Expected<uint32_t> Eviction::paths_valid_by(uint32_t tip, const factory::ConfirmedHeight& confirmed) {
  uint32_t by = tip;
  for (uint32_t leaf : leaves_) {
    LADDER_ASSIGN(auto plan, factory::plan_to_node(tree_, leaf, tip, confirmed));
    if (!plan.empty()) by = std::max(by, plan.back().valid_at);
  }
  return by;
}

void Eviction::send(Pass& pass, const btc::Transaction& tx) {
  const auto txid = tx.txid();
  if (sent_.count(txid)) return;
  sent_.emplace(txid, Sent{tx, pass.tip});
  for (const auto& in : tx.vin) claimed_.insert(in.prevout);
  pass.out.push_back(tx);
}

bool Eviction::confirmed(const Pass& pass, const btc::Txid& txid) const { return (*pass.confirmed)(txid).has_value(); }

Status Eviction::publish_paths(Pass& pass) {
  for (uint32_t leaf : leaves_) {
    LADDER_ASSIGN(auto plan, factory::plan_to_node(tree_, leaf, pass.tip, *pass.confirmed));
    if (!plan.empty()) pass.waiting = true;
    for (const auto& step : plan) {
      if (step.valid_at > pass.tip + 1) break;
      send(pass, step.tx);
    }
  }
  return ok();
}

void Eviction::collect(Pass& pass, Expected<SweepInput> in) {
  if (!in || claimed_.count(in->outpoint)) return;
  for (const auto& r : pass.recovery)
    if (r.outpoint == in->outpoint) return;
  pass.recovery.push_back(std::move(*in));
}

// Outputs of the published txs that no published tx spends: departed-only
// subtrees and channels by key path, L-stocks by CSV, anchors.
Status Eviction::collect_exposed(Pass& pass) {
  const auto& shape = tree_.shape();
  const btc::Amount anchor = tree_.params().anchor_value;
  for (uint32_t id : on_path_) {
    const auto& n = shape.node(id);
    if (n.is_dw()) {
      LADDER_ASSIGN(auto kickoff, tree_.build({TxKind::kickoff, id, kNodeInput}));
      if (confirmed(pass, kickoff.txid())) collect(pass, anchor_input({kickoff.txid(), 1}, anchor));
    }
    LADDER_ASSIGN(auto tx, tree_.build({n.is_dw() ? TxKind::state : TxKind::static_tx, id, kNodeInput}));
    auto at = (*pass.confirmed)(tx.txid());
    if (!at) continue;
    collect(pass, anchor_input({tx.txid(), static_cast<uint32_t>(tx.vout.size() - 1)}, anchor));
    for (uint32_t child : n.children) {
      if (on_path_.count(child)) continue;
      TreeOutput out{OutputRole::node_input, child, 0};
      if (!departed_only(tree_, keys_, out))
        return make_error("migrate.signer-present", "node " + std::to_string(child) + " holds a client with no channel");
      collect(pass, departed_input(tree_, keys_, lsp_key_, out));
    }
    if (!n.is_leaf()) continue;
    for (uint32_t slot = 0; slot < n.client_count; ++slot)
      if (keys_.departed(n.first_client + slot) && tree_.capacity(n.first_client + slot) > 0)
        collect(pass, departed_input(tree_, keys_, lsp_key_, {OutputRole::channel, id, slot}));
    if (tree_.lstock_value(id) == 0) continue;
    if (pass.tip + 1 >= *at + tree_.params().lstock_csv) collect(pass, lstock_input(tree_, id, lsp_key_));
    else pass.waiting = true;
  }
  return ok();
}

Status Eviction::close_channels(Pass& pass) {
  const auto& shape = tree_.shape();
  for (uint32_t c : absent_) {
    const uint32_t leaf = shape.leaf_of(c);
    LADDER_ASSIGN(auto state, tree_.build({TxKind::state, leaf, kNodeInput}));
    if (!confirmed(pass, state.txid())) continue;  // publish_paths waits for it
    LADDER_ASSIGN(auto op, tree_.leaf_outpoint(leaf, shape.slot_in_leaf(c)));
    const channel::Channel& ch = *channels_.at(c);
    if (ch.binding().outpoint != op)
      return make_culprit_error("migrate.channel-not-bound", static_cast<int>(c), "channel",
                                "L's channel with client " + std::to_string(c) + " is not bound to " + op.to_string());
    LADDER_ASSIGN(auto commitment, ch.signed_commitment_tx(op));
    auto at = (*pass.confirmed)(commitment.txid());
    if (!at) {
      send(pass, commitment);
      pass.waiting = true;
      continue;
    }
    LADDER_TRY(claim_own(pass, c, commitment, *at));
  }
  return ok();
}

Status Eviction::claim_own(Pass& pass, uint32_t client, const btc::Transaction& commitment, uint32_t confirmed_at) {
  const channel::Channel& ch = *channels_.at(client);
  LADDER_ASSIGN(auto kc, channel::identify_commitment(ch, commitment));
  const auto& built = kc.held.built;
  const auto txid = commitment.txid();
  if (notified_.insert(client).second) {
    EvictionNotice n{EvictionNotice::Kind::channel_closed, tree_.terms().factory_id, client, txid, std::nullopt, 0,
                     confirmed_at};
    for (uint32_t v = 0; v < built.outputs.size(); ++v)
      if (built.outputs[v].kind == channel::OutputKind::to_remote) {
        n.output = btc::OutPoint{txid, v};
        n.amount = commitment.vout[v].value;
      }
    notices_.push_back(std::move(n));
  }
  const bool matured = pass.tip + 1 >= confirmed_at + ch.params().to_self_delay;
  const channel::ClaimOptions opts{config_.destination, config_.fee_rate_sat_per_kvb};
  for (uint32_t v = 0; v < built.outputs.size(); ++v) {
    const auto& out = built.outputs[v];
    if (claimed_.count({txid, v})) continue;
    if (out.kind == channel::OutputKind::anchor) {
      collect(pass, anchor_input({txid, v}, commitment.vout[v].value));
      continue;
    }
    const bool own_lock = out.kind == channel::OutputKind::lock && kc.spec.locks[out.lock_index].offered_by_holder;
    if (out.kind != channel::OutputKind::to_local && !own_lock) continue;  // the client's
    const uint32_t expiry = own_lock ? kc.spec.locks[out.lock_index].lock.expiry : 0;
    if (!matured || pass.tip < expiry) {
      pass.waiting = true;
      continue;
    }
    LADDER_ASSIGN(auto claim, own_lock ? channel::claim_lock_timeout(ch, kc, kc.spec.locks[out.lock_index].lock.id, opts)
                                       : channel::claim_to_local(ch, kc, opts));
    send(pass, claim);
  }
  return ok();
}

Status Eviction::send_recovery(Pass& pass) {
  if (pass.recovery.empty()) return ok();
  auto tx = build_sweep(pass.recovery, {}, config_.destination, config_.fee_rate_sat_per_kvb, tree_.params().dust_limit);
  if (!tx) {
    // Anchors alone may not pay for themselves yet: wait for more inputs.
    if (tx.error().code != "migrate.sweep-below-dust") return tx.error();
    pass.waiting = true;
    return ok();
  }
  send(pass, *tx);
  return ok();
}

Expected<std::vector<btc::Transaction>> Eviction::on_block(uint32_t tip, const factory::ConfirmedHeight& confirmed) {
  Pass pass{tip, &confirmed, {}, {}, false};
  LADDER_TRY(publish_paths(pass));
  LADDER_TRY(close_channels(pass));
  LADDER_TRY(collect_exposed(pass));
  LADDER_TRY(send_recovery(pass));
  bool all_confirmed = true;
  for (auto& [txid, s] : sent_) {
    if (confirmed(txid)) continue;
    all_confirmed = false;
    if (tip >= s.at + kRebroadcastAfter) {
      s.at = tip;
      pass.out.push_back(s.tx);
    }
  }
  done_ = all_confirmed && !pass.waiting && pass.out.empty();
  return std::move(pass.out);
}

std::vector<EvictionNotice> Eviction::drain_notices() {
  std::vector<EvictionNotice> out;
  out.swap(notices_);
  return out;
}

}  // namespace ladder::migrate
