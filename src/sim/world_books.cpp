// The conservation check: every satoshi the world put in is, at any moment,
// held by exactly one party (L, a client, a tower), sits in an anchor
// anyone may spend, or was paid as a fee by one of the parties' txs.
#include <sstream>

#include "sim/world.h"

namespace ladder::sim {

btc::Amount World::anchors() {
  btc::Amount sum = 0;
  std::vector<btc::OutPoint> live;
  for (const auto& op : anchors_) {
    auto st = backend_->get_tx(op.txid);
    if (!st || !*st) continue;
    // Still unspent (neither a block nor the mempool spends it)?
    auto coins = view_->unspent((*st)->tx.vout.at(op.n).script_pubkey);
    if (!coins) continue;
    for (const auto& c : *coins)
      if (c.outpoint == op) {
        sum += c.out.value;
        live.push_back(op);
      }
  }
  anchors_ = std::move(live);
  return sum;
}

Status World::check_conservation() {
  const btc::Amount l = lsp_->holdings().total();
  btc::Amount clients = 0, towers = 0;
  for (auto& [id, c] : clients_) clients += c.core->holdings().total();
  for (auto& t : towers_) {
    auto coins = view_->unspent(t.core->wallet_script());
    if (coins)
      for (const auto& u : *coins) towers += u.out.value;
  }
  const btc::Amount a = anchors();
  const btc::Amount sum = l + clients + towers + a + books_.fees;
  if (sum == books_.put_in) return ok();
  std::ostringstream s;
  s << "put in " << books_.put_in << " sat, accounted " << sum << " (" << (sum - books_.put_in) << "): L " << l
    << ", clients " << clients << ", towers " << towers << ", anchors " << a << ", fees " << books_.fees;
  return make_error("sim.not-conserved", s.str());
}

}  // namespace ladder::sim
