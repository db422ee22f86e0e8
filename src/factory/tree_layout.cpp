// Layout: validation of the terms and the construction amounts.
#include <mutex>
#include <unordered_map>

#include "crypto/hash.h"
#include "factory/fees.h"
#include "factory/terms_codec.h"
#include "factory/tree.h"

namespace ladder::factory {

namespace {

Error bad_amounts(std::string m) { return make_error("factory.bad-amounts", std::move(m)); }

Status check_vsize(int64_t vsize, const char* what, uint32_t node) {
  if (vsize > kMaxTreeTxVsize)
    return make_error("factory.bad-shape", std::string(what) + " of node " + std::to_string(node) + " would be " +
                                               std::to_string(vsize) + " vB, above the 10,000 vB limit");
  return ok();
}

// Fills input_value and kickoff_value bottom-up (children have larger ids).
Status compute_amounts(Layout& l) {
  const auto& p = l.terms.params;
  const auto& nodes = l.shape.nodes();
  l.input_value.assign(nodes.size(), 0);
  l.kickoff_value.assign(nodes.size(), 0);
  l.leaf_index.assign(nodes.size(), 0);
  uint32_t leaf_no = 0;
  for (uint32_t id = 0; id < nodes.size(); ++id)
    if (nodes[id].is_leaf()) l.leaf_index[id] = leaf_no++;
  const btc::Amount kickoff_fee = fee_for(keypath_tx_vsize_p2tr(1), p.fee_rate_sat_per_kvb);
  for (uint32_t id = static_cast<uint32_t>(nodes.size()); id-- > 0;) {
    const Node& n = nodes[id];
    btc::Amount below = 0;
    size_t outputs = n.children.size();
    if (n.is_leaf()) {
      for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c) below += l.terms.clients[c].capacity();
      btc::Amount lstock = l.terms.lstock[l.leaf_index[id]];
      if (lstock < 0) return bad_amounts("negative L-stock at leaf " + std::to_string(l.leaf_index[id]));
      if (lstock > 0 && lstock < p.dust_limit)
        return bad_amounts("L-stock of leaf " + std::to_string(l.leaf_index[id]) + " is below the dust limit");
      below += lstock;
      outputs = n.client_count + (lstock > 0 ? 1 : 0);
    } else {
      for (uint32_t c : n.children) below += l.input_value[c];
    }
    int64_t vsize = keypath_tx_vsize_p2tr(outputs);
    LADDER_TRY(check_vsize(vsize, n.is_dw() ? "state tx" : "static tx", id));
    btc::Amount value = below + p.anchor_value + fee_for(vsize, p.fee_rate_sat_per_kvb);
    if (n.is_dw()) {
      l.kickoff_value[id] = value;
      value += p.anchor_value + kickoff_fee;
    }
    if (!btc::money_range(value)) return bad_amounts("amounts exceed the money range");
    l.input_value[id] = value;
  }
  return ok();
}

Expected<std::shared_ptr<Layout>> build_layout(const FactoryTerms& terms) {
  LADDER_ASSIGN(auto shape, Shape::build(static_cast<uint32_t>(terms.clients.size()), terms.params));
  LADDER_TRY(validate(terms.params, shape.levels()));
  LADDER_TRY(check_heights(terms.params, shape.levels(), terms.heights));
  if (terms.lstock.size() != shape.leaves().size())
    return bad_amounts("terms list " + std::to_string(terms.lstock.size()) + " L-stock amounts for " +
                       std::to_string(shape.leaves().size()) + " leaves");
  auto lsp = crypto::PubKey::parse(terms.lsp_key);
  if (!lsp) return make_error("factory.bad-terms", "LSP key: " + lsp.error().to_string());
  auto layout = std::make_shared<Layout>(terms, std::move(shape), *lsp);
  layout->client_keys.reserve(terms.clients.size());
  for (size_t i = 0; i < terms.clients.size(); ++i) {
    const auto& c = terms.clients[i];
    auto key = crypto::PubKey::parse(c.key);
    if (!key) return make_culprit_error("factory.bad-terms", static_cast<int>(i), "key", key.error().to_string());
    if (*key == *lsp) return make_culprit_error("factory.bad-terms", static_cast<int>(i), "key", "client key equals L's key");
    layout->client_keys.push_back(*key);
    // Payouts go to the factory key itself as the taproot output key (a
    // single-owner key: no script path to rule out), so the key spends them
    // directly and a handed-over key hands them over too.
    layout->payout_scripts.push_back(btc::p2tr_script(key->xonly().bytes()));
    if (c.client_balance < 0 || c.lsp_balance < 0)
      return make_culprit_error("factory.bad-amounts", static_cast<int>(i), "channel", "negative channel balance");
    if (c.capacity() < terms.params.min_channel_capacity)
      return make_culprit_error("factory.bad-amounts", static_cast<int>(i), "channel",
                                "channel capacity " + std::to_string(c.capacity()) + " is below the minimum " +
                                    std::to_string(terms.params.min_channel_capacity));
  }
  LADDER_TRY(compute_amounts(*layout));
  return layout;
}

}  // namespace

Expected<std::shared_ptr<const Layout>> Layout::get(const FactoryTerms& terms) {
  static std::mutex mu;
  static std::map<Bytes32, std::weak_ptr<const Layout>> cache;
  Bytes32 hash = crypto::sha256(encode_terms(terms));
  {
    std::lock_guard lock(mu);
    auto it = cache.find(hash);
    if (it != cache.end())
      if (auto sp = it->second.lock()) return sp;
  }
  LADDER_ASSIGN(auto layout, build_layout(terms));
  layout->terms_hash = hash;
  std::shared_ptr<const Layout> result = layout;
  std::lock_guard lock(mu);
  std::erase_if(cache, [](const auto& kv) { return kv.second.expired(); });
  cache[hash] = result;
  return result;
}

}  // namespace ladder::factory
