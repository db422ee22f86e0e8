#include "migrate/sweep.h"

#include <algorithm>

#include "btc/sighash.h"
#include "btc/standard_scripts.h"
#include "btc/taproot.h"
#include "crypto/schnorr.h"
#include "factory/close.h"
#include "factory/fees.h"

namespace ladder::migrate {

using factory::Tree;

std::string to_string(OutputRole r) {
  switch (r) {
    case OutputRole::node_input: return "node-input";
    case OutputRole::kickoff: return "kickoff";
    case OutputRole::channel: return "channel";
    case OutputRole::lstock: return "lstock";
  }
  return "?";
}

namespace {
std::string describe(const TreeOutput& out) {
  return to_string(out.role) + "@" + std::to_string(out.node) +
         (out.role == OutputRole::channel ? "/" + std::to_string(out.slot) : "");
}

Expected<std::shared_ptr<const factory::AggregateKey>> key_of(Tree& tree, const TreeOutput& out) {
  const auto& n = tree.shape().node(out.node);
  switch (out.role) {
    case OutputRole::node_input: return tree.input_key(out.node);
    case OutputRole::kickoff: return tree.kickoff_key(out.node);
    case OutputRole::channel: return tree.channel_key(n.first_client + out.slot);
    case OutputRole::lstock: return tree.lstock_key(out.node);
  }
  return make_error("migrate.bad-output", "unknown output role");
}

Status check_output(const Tree& tree, const TreeOutput& out) {
  if (out.node >= tree.shape().nodes().size()) return make_error("migrate.bad-output", "no node " + std::to_string(out.node));
  const auto& n = tree.shape().node(out.node);
  if (out.role == OutputRole::kickoff && !n.is_dw()) return make_error("migrate.bad-output", describe(out) + ": not a DW node");
  if ((out.role == OutputRole::channel || out.role == OutputRole::lstock) && !n.is_leaf())
    return make_error("migrate.bad-output", describe(out) + ": not a leaf");
  if (out.role == OutputRole::channel && out.slot >= n.client_count)
    return make_error("migrate.bad-output", describe(out) + ": no such slot");
  return ok();
}
}  // namespace

std::pair<uint32_t, uint32_t> output_signers(const Tree& tree, const TreeOutput& out) {
  const auto& n = tree.shape().node(out.node);
  if (out.role == OutputRole::channel) return {n.first_client + out.slot, 1};
  return {n.first_client, n.client_count};
}

bool departed_only(const Tree& tree, const DepartedKeys& keys, const TreeOutput& out) {
  auto [first, count] = output_signers(tree, out);
  return keys.all_departed(first, count);
}

Expected<btc::OutPoint> outpoint_of(Tree& tree, const TreeOutput& out) {
  LADDER_TRY(check_output(tree, out));
  const auto& n = tree.shape().node(out.node);
  switch (out.role) {
    case OutputRole::node_input: return tree.input_outpoint(out.node);
    case OutputRole::kickoff: {
      LADDER_ASSIGN(auto kickoff, tree.build({factory::TxKind::kickoff, out.node, factory::kNodeInput}));
      return btc::OutPoint{kickoff.txid(), 0};
    }
    case OutputRole::channel: return tree.leaf_outpoint(out.node, out.slot);
    case OutputRole::lstock: return tree.leaf_outpoint(out.node, n.client_count);
  }
  return make_error("migrate.bad-output", "unknown output role");
}

Expected<btc::TxOut> txout_of(Tree& tree, const TreeOutput& out) {
  LADDER_TRY(check_output(tree, out));
  LADDER_ASSIGN(auto key, key_of(tree, out));
  const auto& n = tree.shape().node(out.node);
  switch (out.role) {
    case OutputRole::node_input: return btc::TxOut{tree.input_value(out.node), key->script};
    case OutputRole::kickoff: return btc::TxOut{tree.kickoff_value(out.node), key->script};
    case OutputRole::channel: return btc::TxOut{tree.capacity(n.first_client + out.slot), key->script};
    case OutputRole::lstock: return btc::TxOut{tree.lstock_value(out.node), key->script};
  }
  return make_error("migrate.bad-output", "unknown output role");
}

std::vector<TreeOutput> departed_subtrees(const Tree& tree, const DepartedKeys& keys, uint32_t node) {
  const auto& n = tree.shape().node(node);
  if (keys.all_departed(n.first_client, n.client_count)) return {{OutputRole::node_input, node, 0}};
  std::vector<TreeOutput> out;
  if (n.is_leaf()) {
    for (uint32_t slot = 0; slot < n.client_count; ++slot)
      if (keys.departed(n.first_client + slot) && tree.capacity(n.first_client + slot) > 0)
        out.push_back({OutputRole::channel, node, slot});
    return out;
  }
  for (uint32_t c : n.children)
    for (const auto& o : departed_subtrees(tree, keys, c)) out.push_back(o);
  return out;
}

btc::Witness SweepInput::dummy_witness() const {
  switch (path) {
    case Path::key: return {Bytes(64)};
    case Path::lstock_csv: return {Bytes(64), script, control_block};
    case Path::anchor: return {};
  }
  return {};
}

Expected<SweepInput> departed_input(Tree& tree, const DepartedKeys& keys, const crypto::SecretKey& lsp_key,
                                    const TreeOutput& out) {
  LADDER_TRY(keys.check_scope(tree));
  LADDER_TRY(check_output(tree, out));
  auto [first, count] = output_signers(tree, out);
  for (uint32_t c = first; c < first + count; ++c)
    if (!keys.departed(c))
      return make_culprit_error("migrate.signer-present", static_cast<int>(c), "key",
                                describe(out) + " needs client " + std::to_string(c) + ", who has not departed");
  LADDER_ASSIGN(auto secrets, keys.keys(tree, first, count));
  secrets.push_back(lsp_key);
  LADDER_ASSIGN(auto agg, key_of(tree, out));
  LADDER_ASSIGN(auto sk, factory::aggregate_secret(agg->tweaked, secrets));
  if (sk.xonly_pubkey().bytes() != agg->output.output_key)
    return make_error("factory.missing-key", describe(out) + ": the keys do not make the output key");
  SweepInput in;
  LADDER_ASSIGN(in.outpoint, outpoint_of(tree, out));
  LADDER_ASSIGN(in.spent, txout_of(tree, out));
  in.path = SweepInput::Path::key;
  in.signer = std::move(sk);
  in.what = describe(out);
  return in;
}

Expected<SweepInput> lstock_input(Tree& tree, uint32_t leaf, const crypto::SecretKey& lsp_key) {
  TreeOutput out{OutputRole::lstock, leaf, 0};
  LADDER_TRY(check_output(tree, out));
  if (!(lsp_key.pubkey() == tree.layout().lsp_key)) return make_error("migrate.key-out-of-scope", "not L's key in this factory");
  LADDER_ASSIGN(auto agg, key_of(tree, out));
  const Bytes csv = tree.lstock_csv_script();
  auto csv_leaf = btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, csv});
  auto script_tree = tree.params().mode == factory::TimeoutMode::lsp
                         ? btc::TapTree::branch(csv_leaf, btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, tree.timeout_script()}))
                         : csv_leaf;
  std::optional<btc::TapLeafPath> path;
  for (auto& l : script_tree.leaves())
    if (l.leaf.script == csv) path = std::move(l);
  if (!path) return make_error("migrate.bad-output", "no CSV leaf in the L-stock tree");
  LADDER_ASSIGN(auto cb, btc::make_control_block(agg->output, *path));
  SweepInput in;
  LADDER_ASSIGN(in.outpoint, outpoint_of(tree, out));
  LADDER_ASSIGN(in.spent, txout_of(tree, out));
  in.path = SweepInput::Path::lstock_csv;
  in.sequence = tree.params().lstock_csv;
  in.signer = lsp_key;
  in.script = csv;
  in.control_block = cb.serialize();
  in.what = describe(out);
  return in;
}

Expected<SweepInput> payout_input(const Tree& tree, const DepartedKeys& keys, uint32_t client,
                                  const btc::OutPoint& outpoint, const btc::TxOut& spent) {
  LADDER_ASSIGN(auto key, keys.key(tree, client));
  if (spent.script_pubkey != tree.payout_script(client))
    return make_error("migrate.bad-output", "not client " + std::to_string(client) + "'s payout");
  SweepInput in;
  in.outpoint = outpoint;
  in.spent = spent;
  in.path = SweepInput::Path::key;
  in.signer = std::move(key);
  in.what = "payout/" + std::to_string(client);
  return in;
}

SweepInput anchor_input(const btc::OutPoint& outpoint, btc::Amount value) {
  SweepInput in;
  in.outpoint = outpoint;
  in.spent = {value, btc::p2a_script()};
  in.path = SweepInput::Path::anchor;
  in.what = "anchor";
  return in;
}

Status sign_input(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent, const SweepInput& in) {
  if (index >= tx.vin.size() || spent.size() != tx.vin.size() || tx.vin[index].prevout != in.outpoint ||
      !(spent[index] == in.spent))
    return make_error("migrate.bad-input", "input " + std::to_string(index) + " is not " + in.what);
  if (in.path == SweepInput::Path::anchor) {
    tx.vin[index].witness.clear();
    return ok();
  }
  auto data = btc::precompute_tx_data(tx, spent);
  std::optional<btc::TapScriptExt> ext;
  if (in.path == SweepInput::Path::lstock_csv)
    ext = btc::TapScriptExt{btc::tapleaf_hash(btc::TAPROOT_LEAF_TAPSCRIPT, in.script)};
  LADDER_ASSIGN(auto sighash, btc::taproot_sighash(tx, index, btc::SIGHASH_DEFAULT, data, std::nullopt,
                                                   ext ? &*ext : nullptr));
  auto sig = crypto::schnorr_sign(in.signer.value(), sighash);
  btc::Witness w{Bytes(sig.bytes().begin(), sig.bytes().end())};
  if (in.path == SweepInput::Path::lstock_csv) {
    w.push_back(in.script);
    w.push_back(in.control_block);
  }
  tx.vin[index].witness = std::move(w);
  return ok();
}

int64_t sweep_vsize(const std::vector<SweepInput>& inputs, const std::vector<btc::TxOut>& outputs) {
  btc::Transaction tx;
  tx.version = 2;
  for (const auto& in : inputs) tx.vin.push_back({in.outpoint, {}, in.sequence, in.dummy_witness()});
  tx.vout = outputs;
  return tx.vsize();
}

Expected<btc::Transaction> build_sweep(const std::vector<SweepInput>& inputs, std::vector<btc::TxOut> outputs,
                                       const Bytes& change_script, btc::Amount fee_rate_sat_per_kvb,
                                       btc::Amount dust_limit) {
  if (inputs.empty()) return make_error("migrate.bad-input", "a sweep needs inputs");
  btc::Amount in_total = 0, out_total = 0;
  for (const auto& in : inputs) in_total += in.spent.value;
  for (const auto& o : outputs) out_total += o.value;
  outputs.push_back({0, change_script});
  const btc::Amount fee = factory::fee_for(sweep_vsize(inputs, outputs), fee_rate_sat_per_kvb);
  const btc::Amount change = in_total - out_total - fee;
  if (change < dust_limit)
    return make_error("migrate.sweep-below-dust", "sweep of " + std::to_string(in_total) + " sat leaves " +
                                                      std::to_string(change) + " sat after outputs and fee");
  outputs.back().value = change;
  btc::Transaction tx;
  tx.version = 2;
  std::vector<btc::TxOut> spent;
  for (const auto& in : inputs) {
    tx.vin.push_back({in.outpoint, {}, in.sequence, {}});
    spent.push_back(in.spent);
  }
  tx.vout = std::move(outputs);
  for (size_t i = 0; i < inputs.size(); ++i) LADDER_TRY(sign_input(tx, i, spent, inputs[i]));
  return tx;
}

Expected<BatchInput> batch_input(const SweepInput& in, uint64_t factory_id) {
  if (in.path == SweepInput::Path::lstock_csv)
    return make_error("migrate.bad-input", in.what + " needs its own nSequence; sweep it with build_sweep");
  int64_t weight = 1;  // item count
  for (const auto& item : in.dummy_witness()) weight += 1 + static_cast<int64_t>(item.size());  // items < 253 bytes
  return BatchInput{in.outpoint, in.spent, BatchInput::Source::sweep, factory_id, weight};
}

Status sign_sweeps(btc::Transaction& tx, const std::vector<btc::TxOut>& spent, const std::vector<SweepInput>& sweeps) {
  for (const auto& sw : sweeps) {
    auto it = std::find_if(tx.vin.begin(), tx.vin.end(), [&](const btc::TxIn& i) { return i.prevout == sw.outpoint; });
    if (it == tx.vin.end()) return make_error("migrate.bad-input", sw.what + " is not an input of the tx");
    LADDER_TRY(sign_input(tx, static_cast<size_t>(it - tx.vin.begin()), spent, sw));
  }
  return ok();
}

Expected<btc::Transaction> sweep_factory(Tree& tree, const DepartedKeys& keys, const crypto::SecretKey& lsp_key,
                                         std::vector<btc::TxOut> outputs, const Bytes& change_script,
                                         btc::Amount fee_rate_sat_per_kvb) {
  LADDER_ASSIGN(auto in, departed_input(tree, keys, lsp_key, {OutputRole::node_input, 0, 0}));
  return build_sweep({in}, std::move(outputs), change_script, fee_rate_sat_per_kvb, tree.params().dust_limit);
}

}  // namespace ladder::migrate
