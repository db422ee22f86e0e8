#include "chain/script_check.h"

#include "btc/interpreter.h"
#include "btc/script_flags.h"
#include "btc/sighash.h"

namespace ladder::chain {

Status verify_scripts(const btc::Transaction& tx, std::span<const Coin* const> coins, uint32_t flags) {
  std::vector<btc::TxOut> spent;
  spent.reserve(coins.size());
  for (const Coin* c : coins) spent.push_back(c->out);
  const btc::PrecomputedTxData txdata = btc::precompute_tx_data(tx, std::move(spent));
  for (size_t i = 0; i < tx.vin.size(); ++i) LADDER_TRY(btc::verify_input(tx, i, txdata, flags));
  return ok();
}

Status verify_scripts_for_relay(const btc::Transaction& tx, std::span<const Coin* const> coins) {
  auto standard = verify_scripts(tx, coins, btc::STANDARD_SCRIPT_VERIFY_FLAGS);
  if (standard) return ok();
  const Error& e = standard.error();
  std::string why = e.message.empty() ? e.code : e.message;
  bool consensus_ok = static_cast<bool>(verify_scripts(tx, coins, btc::MANDATORY_SCRIPT_VERIFY_FLAGS));
  return make_culprit_error(consensus_ok ? "non-mandatory-script-verify-flag" : "mandatory-script-verify-flag-failed",
                            e.index, "input", why);
}

}  // namespace ladder::chain
