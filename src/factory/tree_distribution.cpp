// Distribution transactions (DESIGN §3.2, inverted mode) and Insured(C).
#include "btc/standard_scripts.h"
#include "factory/fees.h"
#include "factory/tree.h"

namespace ladder::factory {

__extension__ typedef __int128 Int128;

bool Tree::has_distribution(uint32_t node, uint32_t slot) const {
  if (params().mode != TimeoutMode::clients) return false;
  const Node& n = shape().node(node);
  if (slot == kNodeInput) return keypath_tx_vsize_p2tr(n.client_count) <= kMaxTreeTxVsize;
  if (!n.is_leaf() || slot > n.client_count) return false;
  bool output_exists = slot < n.client_count ? capacity(n.first_client + slot) > 0 : lstock_value(node) > 0;
  return output_exists && !distribution_payouts(node, slot).empty();
}

// A client's claim on everything below a node: its channel capacity plus an
// equal share of its leaf's L-stock (the remainder of the division goes to fees).
btc::Amount Tree::nominal_payout(uint32_t client) const {
  uint32_t leaf = shape().leaf_of(client);
  return capacity(client) + lstock_value(leaf) / shape().node(leaf).client_count;
}

std::vector<Payout> Tree::distribution_payouts(uint32_t node, uint32_t slot) const {
  if (slot == kNodeInput)
    if (auto it = input_payouts_.find(node); it != input_payouts_.end()) return it->second;
  const Node& n = shape().node(node);
  std::vector<Payout> nominal;
  btc::Amount value = 0;
  if (slot == kNodeInput) {
    value = input_value(node);
    for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c) nominal.push_back({c, nominal_payout(c)});
  } else if (slot < n.client_count) {
    uint32_t c = n.first_client + slot;
    value = capacity(c);
    nominal.push_back({c, value});
  } else {
    value = lstock_value(node);
    for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c)
      nominal.push_back({c, value / n.client_count});
  }
  btc::Amount fee = fee_for(keypath_tx_vsize_p2tr(nominal.size()), params().fee_rate_sat_per_kvb);
  btc::Amount available = value - params().anchor_value - fee;
  btc::Amount total = 0;
  for (const auto& p : nominal) total += p.amount;
  std::vector<Payout> out;
  for (const auto& p : nominal) {
    // Pro rata to the nominal claims: a shortfall (the fee) is shared, and so
    // is any surplus — the fee reserve L funded for the txs below this
    // output, which a distribution never pays back to L.
    btc::Amount amount = 0;
    if (total > 0)
      amount = static_cast<btc::Amount>(static_cast<Int128>(p.amount) * std::max<btc::Amount>(available, 0) / total);
    if (amount >= params().dust_limit) out.push_back({p.client, amount});
  }
  return out;
}

Expected<btc::Transaction> Tree::build_distribution(uint32_t node, uint32_t slot) {
  if (!has_distribution(node, slot))
    return make_error("factory.no-such-tx", TxKey{TxKind::distribution, node, slot}.to_string() + " does not exist");
  btc::Transaction tx;
  tx.version = 3;
  tx.locktime = terms().heights.timeout;
  btc::OutPoint in;
  if (slot == kNodeInput) {
    LADDER_ASSIGN(in, input_outpoint(node));
  } else {
    LADDER_ASSIGN(in, leaf_outpoint(node, slot));
  }
  tx.vin.push_back({in, {}, 0xfffffffd, {}});
  for (const auto& p : distribution_payouts(node, slot)) tx.vout.push_back({p.amount, payout_script(p.client)});
  tx.vout.push_back({params().anchor_value, btc::p2a_script()});
  return tx;
}

btc::Amount Tree::insured(uint32_t client) {
  if (params().mode != TimeoutMode::clients) return 0;
  auto paid = [&](uint32_t node, uint32_t slot) -> btc::Amount {
    if (!has_distribution(node, slot)) return 0;
    for (const auto& p : distribution_payouts(node, slot))
      if (p.client == client) return p.amount;
    return 0;
  };
  std::optional<btc::Amount> least;
  auto consider = [&](btc::Amount v) { least = least ? std::min(*least, v) : v; };
  uint32_t leaf = shape().leaf_of(client);
  for (uint32_t id : shape().path_to(leaf))
    if (has_distribution(id)) consider(paid(id, kNodeInput));
  // Once the leaf state confirms, the channel's and the L-stock's
  // distributions pay together.
  const Node& l = shape().node(leaf);
  consider(paid(leaf, shape().slot_in_leaf(client)) + paid(leaf, l.client_count));
  return least.value_or(0);
}

}  // namespace ladder::factory
