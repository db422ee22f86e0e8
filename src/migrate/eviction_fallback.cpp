// Eviction notices and the inverted-mode fallback (DESIGN §7): when L does
// not resolve a factory, the distribution txs pay the clients at TO.
#include <map>

#include "migrate/eviction.h"

namespace ladder::migrate {

std::string describe(const EvictionNotice& n) {
  std::string s = "factory " + std::to_string(n.factory_id) + ": ";
  s += n.kind == EvictionNotice::Kind::channel_closed ? "L closed your channel on chain" : "the factory timed out and paid you";
  s += " (tx " + n.txid.hex() + ", height " + std::to_string(n.height) + "); ";
  if (!n.output) return s + "you had no balance of your own in it";
  s += std::to_string(n.amount) + " sat are yours at " + n.output->to_string();
  s += n.kind == EvictionNotice::Kind::channel_closed ? ", spendable with your channel payment key"
                                                      : ", spendable with your factory key";
  return s;
}

namespace {
// Client index by payout script, for the clients of the tree.
std::map<Bytes, uint32_t> payout_owners(const factory::Tree& tree) {
  std::map<Bytes, uint32_t> owners;
  for (uint32_t c = 0; c < tree.client_count(); ++c) owners.emplace(tree.payout_script(c), c);
  return owners;
}
}  // namespace

std::vector<EvictionNotice> fallback_notices(const factory::Tree& tree, const DepartedKeys& keys,
                                             const btc::Transaction& dist, uint32_t height) {
  std::vector<EvictionNotice> out;
  const auto owners = payout_owners(tree);
  const auto txid = dist.txid();
  for (uint32_t v = 0; v < dist.vout.size(); ++v) {
    auto it = owners.find(dist.vout[v].script_pubkey);
    if (it == owners.end() || keys.departed(it->second)) continue;
    out.push_back({EvictionNotice::Kind::paid_at_timeout, tree.terms().factory_id, it->second, txid,
                   btc::OutPoint{txid, v}, dist.vout[v].value, height});
  }
  return out;
}

Expected<std::vector<SweepInput>> departed_payouts(const factory::Tree& tree, const DepartedKeys& keys,
                                                   const btc::Transaction& dist) {
  LADDER_TRY(keys.check_scope(tree));
  std::vector<SweepInput> out;
  const auto owners = payout_owners(tree);
  const auto txid = dist.txid();
  for (uint32_t v = 0; v < dist.vout.size(); ++v) {
    auto it = owners.find(dist.vout[v].script_pubkey);
    if (it == owners.end() || !keys.departed(it->second)) continue;
    LADDER_ASSIGN(auto in, payout_input(tree, keys, it->second, {txid, v}, dist.vout[v]));
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace ladder::migrate
