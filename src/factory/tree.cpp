#include "factory/tree.h"

#include "btc/script.h"
#include "btc/sighash.h"
#include "btc/standard_scripts.h"
#include "factory/crypto_cache.h"
#include "factory/fees.h"

namespace ladder::factory {

namespace {
constexpr uint32_t kNoRelativeLock = 0xfffffffd;  // non-final (nLockTime applies), no BIP-68 lock
constexpr uint32_t kTreeTxVersion = 3;            // TRUC
}  // namespace

std::string to_string(TxKind k) {
  switch (k) {
    case TxKind::static_tx: return "static";
    case TxKind::kickoff: return "kickoff";
    case TxKind::state: return "state";
    case TxKind::distribution: return "distribution";
  }
  return "?";
}

std::string TxKey::to_string() const {
  std::string s = factory::to_string(kind) + "@" + std::to_string(node);
  if (kind == TxKind::distribution) s += slot == kNodeInput ? "/input" : "/slot" + std::to_string(slot);
  return s;
}

Expected<Tree> Tree::create(const FactoryTerms& terms) {
  LADDER_ASSIGN(auto layout, Layout::get(terms));
  return Tree(std::move(layout));
}

// ---- state ----

uint32_t Tree::state_index(uint32_t node) const {
  auto it = state_index_.find(node);
  return it == state_index_.end() ? 0 : it->second;
}

uint32_t Tree::state_count(uint32_t node) const {
  const Node& n = shape().node(node);
  if (!n.is_dw()) return 1;
  return n.is_leaf() ? params().leaf_states : params().interior_states;
}

uint32_t Tree::state_sequence(uint32_t node, uint32_t index) const {
  return (state_count(node) - 1 - index) * params().step;
}

void Tree::invalidate_below(uint32_t node) {
  txid_memo_.erase(node);
  for (uint32_t c : shape().node(node).children) invalidate_below(c);
}

void Tree::set_state_index(uint32_t node, uint32_t index) {
  if (!shape().node(node).is_dw() || index >= state_count(node))
    throw std::invalid_argument("set_state_index: not a DW node or index out of range");
  for (uint32_t id : shape().path_to(node))
    if (has_distribution(id) && !input_payouts_.count(id)) input_payouts_[id] = distribution_payouts(id, kNodeInput);
  std::vector<uint32_t> stack(shape().node(node).children.begin(), shape().node(node).children.end());
  while (!stack.empty()) {
    uint32_t n = stack.back();
    stack.pop_back();
    state_index_.erase(n);
    input_payouts_.erase(n);  // a new output with a new distribution
    for (uint32_t c : shape().node(n).children) stack.push_back(c);
  }
  if (index == 0) state_index_.erase(node);
  else state_index_[node] = index;
  invalidate_below(node);
}

std::vector<btc::Amount> Tree::leaf_caps(uint32_t leaf) const {
  auto it = leaf_caps_.find(leaf);
  if (it != leaf_caps_.end()) return it->second;
  const Node& n = shape().node(leaf);
  std::vector<btc::Amount> initial;
  initial.reserve(n.client_count);
  for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c)
    initial.push_back(terms().clients[c].capacity());
  return initial;
}

btc::Amount Tree::capacity(uint32_t client) const {
  uint32_t leaf = shape().leaf_of(client);
  return leaf_caps(leaf).at(shape().slot_in_leaf(client));
}

namespace {
// L-stock left in a leaf state with these capacities: K − anchor − fee − Σcaps,
// with the fee of a state tx that carries the L-stock output. Negative when
// the capacities do not fit.
btc::Amount lstock_for(const FactoryParams& p, btc::Amount k, const std::vector<btc::Amount>& caps) {
  size_t channels = 0;
  btc::Amount sum = 0;
  for (auto c : caps) {
    sum += c;
    channels += c > 0 ? 1 : 0;
  }
  btc::Amount fee = fee_for(keypath_tx_vsize_p2tr(channels + 1), p.fee_rate_sat_per_kvb);
  return k - p.anchor_value - fee - sum;
}
}  // namespace

btc::Amount Tree::lstock_value(uint32_t leaf) const {
  btc::Amount v = lstock_for(params(), kickoff_value(leaf), leaf_caps(leaf));
  return v >= params().dust_limit ? v : 0;
}

Status Tree::set_leaf_capacities(uint32_t leaf, std::vector<btc::Amount> capacities) {
  const Node& n = shape().node(leaf);
  if (!n.is_leaf() || capacities.size() != n.client_count)
    return make_error("factory.bad-amounts", "capacities do not match the leaf's channels");
  for (auto c : capacities)
    if (c != 0 && c < params().min_channel_capacity)
      return make_error("factory.bad-amounts", "channel capacity " + std::to_string(c) + " below the minimum");
  if (lstock_for(params(), kickoff_value(leaf), capacities) < 0)
    return make_error("factory.bad-amounts", "capacities exceed the leaf's value");
  leaf_caps_[leaf] = std::move(capacities);
  txid_memo_.erase(leaf);
  return ok();
}

// ---- keys ----

Expected<Layout::KeyPtr> Layout::key(KeyKind kind, uint32_t id, uint32_t first, uint32_t count,
                                     const std::optional<Bytes32>& merkle_root) const {
  {
    std::lock_guard lock(keys_mu_);
    auto it = keys_.find({kind, id});
    if (it != keys_.end()) return it->second;
  }
  std::vector<crypto::PubKey> keys(client_keys.begin() + first, client_keys.begin() + first + count);
  keys.push_back(lsp_key);
  LADDER_ASSIGN(auto key, KeyCache::shared().get(std::move(keys), merkle_root));
  std::lock_guard lock(keys_mu_);
  keys_.emplace(std::make_pair(kind, id), key);
  return key;
}

Bytes Tree::timeout_script() const {
  return btc::ScriptBuilder()
      .push_int(terms().heights.timeout)
      .op(btc::OP_CHECKLOCKTIMEVERIFY)
      .op(btc::OP_DROP)
      .push(layout_->lsp_key.xonly().bytes())
      .op(btc::OP_CHECKSIG)
      .take();
}

Bytes Tree::lstock_csv_script() const {
  return btc::ScriptBuilder()
      .push_int(params().lstock_csv)
      .op(btc::OP_CHECKSEQUENCEVERIFY)
      .op(btc::OP_DROP)
      .push(layout_->lsp_key.xonly().bytes())
      .op(btc::OP_CHECKSIG)
      .take();
}

Expected<Tree::KeyPtr> Tree::input_key(uint32_t node) {
  const Node& n = shape().node(node);
  std::optional<Bytes32> root;
  if (params().mode == TimeoutMode::lsp) root = btc::tapleaf_hash(btc::TAPROOT_LEAF_TAPSCRIPT, timeout_script());
  return layout_->key(Layout::KeyKind::input, node, n.first_client, n.client_count, root);
}

Expected<Tree::KeyPtr> Tree::kickoff_key(uint32_t node) {
  const Node& n = shape().node(node);
  return layout_->key(Layout::KeyKind::kickoff, node, n.first_client, n.client_count, std::nullopt);
}

Expected<Tree::KeyPtr> Tree::channel_key(uint32_t client) {
  return layout_->key(Layout::KeyKind::channel, client, client, 1, std::nullopt);
}

Expected<Tree::KeyPtr> Tree::lstock_key(uint32_t leaf) {
  const Node& n = shape().node(leaf);
  auto csv = btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, lstock_csv_script()});
  Bytes32 root = csv.hash();
  if (params().mode == TimeoutMode::lsp)
    root = btc::TapTree::branch(csv, btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, timeout_script()})).hash();
  return layout_->key(Layout::KeyKind::lstock, leaf, n.first_client, n.client_count, root);
}

// ---- transactions ----

Expected<btc::Txid> Tree::output_txid(uint32_t node) {
  auto it = txid_memo_.find(node);
  if (it != txid_memo_.end()) return it->second;
  TxKey key{shape().node(node).is_dw() ? TxKind::state : TxKind::static_tx, node, kNodeInput};
  LADDER_ASSIGN(auto tx, build(key));
  btc::Txid id = tx.txid();
  txid_memo_[node] = id;
  return id;
}

Expected<btc::OutPoint> Tree::input_outpoint(uint32_t node) {
  const Node& n = shape().node(node);
  if (n.parent < 0) return terms().funding;
  LADDER_ASSIGN(auto txid, output_txid(static_cast<uint32_t>(n.parent)));
  return btc::OutPoint{txid, n.parent_output};
}

Expected<btc::TxOut> Tree::input_txout(uint32_t node) {
  LADDER_ASSIGN(auto key, input_key(node));
  return btc::TxOut{input_value(node), key->script};
}

Expected<std::vector<btc::TxOut>> Tree::leaf_outputs(uint32_t leaf) {
  const Node& n = shape().node(leaf);
  std::vector<btc::TxOut> outs;
  const auto caps = leaf_caps(leaf);
  for (uint32_t slot = 0; slot < n.client_count; ++slot) {
    if (caps[slot] == 0) continue;
    LADDER_ASSIGN(auto key, channel_key(n.first_client + slot));
    outs.push_back({caps[slot], key->script});
  }
  btc::Amount lstock = lstock_value(leaf);
  if (lstock > 0) {
    LADDER_ASSIGN(auto key, lstock_key(leaf));
    outs.push_back({lstock, key->script});
  }
  return outs;
}

Expected<std::vector<btc::TxOut>> Tree::node_outputs(uint32_t node) {
  const Node& n = shape().node(node);
  std::vector<btc::TxOut> outs;
  if (n.is_leaf()) {
    LADDER_ASSIGN(outs, leaf_outputs(node));
  } else {
    for (uint32_t c : n.children) {
      LADDER_ASSIGN(auto out, input_txout(c));
      outs.push_back(std::move(out));
    }
  }
  outs.push_back({params().anchor_value, btc::p2a_script()});
  return outs;
}

Expected<btc::OutPoint> Tree::leaf_outpoint(uint32_t leaf, uint32_t slot) {
  const auto caps = leaf_caps(leaf);
  uint32_t index = 0;
  for (uint32_t s = 0; s < slot && s < caps.size(); ++s) index += caps[s] > 0 ? 1 : 0;
  if (slot < caps.size() && caps[slot] == 0) return make_error("factory.no-output", "the channel was removed");
  if (slot == caps.size() && lstock_value(leaf) == 0) return make_error("factory.no-output", "the leaf has no L-stock");
  LADDER_ASSIGN(auto txid, output_txid(leaf));
  return btc::OutPoint{txid, index};
}

Expected<btc::Transaction> Tree::build(const TxKey& key) {
  const Node& n = shape().node(key.node);
  btc::Transaction tx;
  tx.version = kTreeTxVersion;
  switch (key.kind) {
    case TxKind::static_tx:
    case TxKind::kickoff: {
      if (n.is_dw() != (key.kind == TxKind::kickoff))
        return make_error("factory.no-such-tx", key.to_string() + " does not exist in this shape");
      LADDER_ASSIGN(auto in, input_outpoint(key.node));
      tx.vin.push_back({in, {}, kNoRelativeLock, {}});
      if (key.kind == TxKind::static_tx) {
        LADDER_ASSIGN(tx.vout, node_outputs(key.node));
      } else {
        LADDER_ASSIGN(auto k, kickoff_key(key.node));
        tx.vout = {{kickoff_value(key.node), k->script}, {params().anchor_value, btc::p2a_script()}};
      }
      return tx;
    }
    case TxKind::state: {
      if (!n.is_dw()) return make_error("factory.no-such-tx", key.to_string() + " does not exist in this shape");
      LADDER_ASSIGN(auto kickoff, build({TxKind::kickoff, key.node, kNodeInput}));
      tx.vin.push_back({{kickoff.txid(), 0}, {}, state_sequence(key.node, state_index(key.node)), {}});
      LADDER_ASSIGN(tx.vout, node_outputs(key.node));
      return tx;
    }
    case TxKind::distribution:
      return build_distribution(key.node, key.slot);
  }
  return make_error("factory.no-such-tx", "unknown tx kind");
}

Expected<SigningTarget> Tree::target(const TxKey& key) {
  SigningTarget t;
  t.key = key;
  LADDER_ASSIGN(t.tx, build(key));
  const Node& n = shape().node(key.node);
  if (key.kind == TxKind::state) {
    LADDER_ASSIGN(t.agg, kickoff_key(key.node));
    t.spent = {kickoff_value(key.node), t.agg->script};
  } else if (key.kind != TxKind::distribution || key.slot == kNodeInput) {
    LADDER_ASSIGN(t.agg, input_key(key.node));
    t.spent = {input_value(key.node), t.agg->script};
  } else if (key.slot < n.client_count) {
    LADDER_ASSIGN(t.agg, channel_key(n.first_client + key.slot));
    t.spent = {capacity(n.first_client + key.slot), t.agg->script};
  } else {
    LADDER_ASSIGN(t.agg, lstock_key(key.node));
    t.spent = {lstock_value(key.node), t.agg->script};
  }
  auto txdata = btc::precompute_tx_data(t.tx, {t.spent});
  LADDER_ASSIGN(t.sighash, btc::taproot_sighash(t.tx, 0, btc::SIGHASH_DEFAULT, txdata, std::nullopt, nullptr));
  return t;
}

std::pair<uint32_t, uint32_t> Tree::signer_range(const TxKey& key) const {
  const Node& n = shape().node(key.node);
  if (key.kind == TxKind::distribution && key.slot != kNodeInput && key.slot < n.client_count)
    return {n.first_client + key.slot, 1};
  return {n.first_client, n.client_count};
}

// The txs of node `id`: its static tx or kickoff and state, the distribution
// of its input, and for a leaf the distributions of its outputs — all of
// them, or (`client` given) only those that client signs.
void Tree::append_node_txs(std::vector<TxKey>& out, uint32_t id, std::optional<uint32_t> client) const {
  const Node& n = shape().node(id);
  if (n.is_dw()) {
    out.push_back({TxKind::kickoff, id, kNodeInput});
    out.push_back({TxKind::state, id, kNodeInput});
  } else {
    out.push_back({TxKind::static_tx, id, kNodeInput});
  }
  if (has_distribution(id)) out.push_back({TxKind::distribution, id, kNodeInput});
  if (!n.is_leaf()) return;
  for (uint32_t slot = 0; slot <= n.client_count; ++slot) {
    bool signs = !client || slot == n.client_count || slot == shape().slot_in_leaf(*client);
    if (signs && has_distribution(id, slot)) out.push_back({TxKind::distribution, id, slot});
  }
}

std::vector<TxKey> Tree::all_txs() const {
  std::vector<TxKey> out;
  for (uint32_t id = 0; id < shape().nodes().size(); ++id) append_node_txs(out, id, std::nullopt);
  return out;
}

std::vector<TxKey> Tree::txs_of_client(uint32_t client) const {
  std::vector<TxKey> out;
  for (uint32_t id : shape().path_to(shape().leaf_of(client))) append_node_txs(out, id, client);
  return out;
}

// ---- signatures ----

Status Tree::add_signature(const TxKey& key, const crypto::SchnorrSig& sig) {
  LADDER_ASSIGN(auto t, target(key));
  return add_signature(SigningRef::of(t), sig);
}

Status Tree::add_signature(const SigningRef& t, const crypto::SchnorrSig& sig) {
  if (!CryptoCache::shared().verify(sig, t.sighash, t.agg->output_xonly))
    return make_error("factory.bad-signature", "signature does not verify for " + t.key.to_string());
  sigs_.insert_or_assign(t.txid, sig);
  return ok();
}

std::optional<crypto::SchnorrSig> Tree::signature(const btc::Txid& txid) const {
  auto it = sigs_.find(txid);
  if (it == sigs_.end()) return std::nullopt;
  return it->second;
}

Expected<btc::Transaction> Tree::signed_tx(const TxKey& key) {
  LADDER_ASSIGN(auto tx, build(key));
  auto sig = signature(tx.txid());
  if (!sig) return make_error("factory.unsigned", "no signature held for " + key.to_string());
  tx.vin[0].witness = {Bytes(sig->bytes().begin(), sig->bytes().end())};
  return tx;
}

}  // namespace ladder::factory
