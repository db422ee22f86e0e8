#include "factory/tx_checks.h"

#include "btc/standard_scripts.h"

namespace ladder::factory {

namespace {
constexpr btc::Amount kMinRelaySatPerKvb = 100;  // Bitcoin Core 29's 0.1 sat/vB
}

Status check_tree_tx(Tree& tree, const SigningTarget& t) {
  const auto& p = tree.params();
  const std::string name = t.key.to_string();
  auto nonstandard = [&](const std::string& why) { return make_error("factory.nonstandard-tx", name + ": " + why); };
  auto bad = [&](const std::string& why) { return make_error("factory.bad-tx", name + ": " + why); };

  if (t.tx.version != 3) return nonstandard("version is not 3 (TRUC)");
  if (t.tx.vin.size() != 1) return bad("a tree tx has exactly one input");
  btc::Transaction with_witness = t.tx;
  with_witness.vin[0].witness = {Bytes(64, 0)};
  int64_t vsize = with_witness.vsize();
  if (vsize > 10'000) return nonstandard("vsize " + std::to_string(vsize) + " above 10,000 vB");

  int anchors = 0;
  btc::Amount out_total = 0;
  for (const auto& o : t.tx.vout) {
    if (btc::is_p2a(o.script_pubkey)) {
      ++anchors;
      if (o.value != p.anchor_value) return bad("anchor value differs from the agreed " + std::to_string(p.anchor_value));
    } else if (o.value < p.dust_limit) {
      return nonstandard("output below the dust limit");
    }
    if (!btc::money_range(o.value)) return bad("output value out of range");
    out_total += o.value;
  }
  if (anchors != 1) return nonstandard("a tree tx carries exactly one P2A anchor");
  btc::Amount fee = t.spent.value - out_total;
  if (fee < 0) return bad("outputs exceed the input");
  if (fee * 1000 < kMinRelaySatPerKvb * vsize) return nonstandard("fee below the minimum relay rate");
  // The L-stock and distribution rounding may leave a little extra fee; more
  // than twice the agreed rate (plus dust) means value is being burnt.
  // Sub-dust shares dropped from a distribution tx also go to fees.
  btc::Amount allowance = 2 * ((vsize * p.fee_rate_sat_per_kvb + 999) / 1000) +
                          p.dust_limit * static_cast<btc::Amount>(tree.signer_range(t.key).second);
  if (fee > allowance) return bad("fee far above the agreed rate");

  uint32_t want_seq = 0xfffffffd, want_locktime = 0;
  if (t.key.kind == TxKind::state) want_seq = tree.state_sequence(t.key.node, tree.state_index(t.key.node));
  if (t.key.kind == TxKind::distribution) want_locktime = tree.terms().heights.timeout;
  if (t.tx.vin[0].sequence != want_seq) return bad("unexpected nSequence");
  if (t.tx.locktime != want_locktime) return bad("unexpected nLockTime");
  return ok();
}

}  // namespace ladder::factory
