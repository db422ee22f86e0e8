#include "btc/tx_check.h"

#include <set>

namespace ladder::btc {

Status check_transaction(const Transaction& tx) {
  if (tx.vin.empty()) return make_error("bad-txns-vin-empty", "transaction has no inputs");
  if (tx.vout.empty()) return make_error("bad-txns-vout-empty", "transaction has no outputs");
  if (static_cast<int64_t>(tx.base_size()) * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT)
    return make_error("bad-txns-oversize", "transaction without witness exceeds the block weight limit");

  Amount total = 0;
  for (size_t i = 0; i < tx.vout.size(); ++i) {
    const Amount v = tx.vout[i].value;
    if (v < 0) return make_culprit_error("bad-txns-vout-negative", static_cast<int>(i), "output");
    if (v > MAX_MONEY) return make_culprit_error("bad-txns-vout-toolarge", static_cast<int>(i), "output");
    total += v;  // both ≤ MAX_MONEY: no overflow
    if (!money_range(total)) return make_culprit_error("bad-txns-txouttotal-toolarge", static_cast<int>(i), "output");
  }

  std::set<OutPoint> seen;
  for (size_t i = 0; i < tx.vin.size(); ++i) {
    if (!seen.insert(tx.vin[i].prevout).second)
      return make_culprit_error("bad-txns-inputs-duplicate", static_cast<int>(i), "input");
  }

  if (tx.is_coinbase()) {
    const size_t n = tx.vin[0].script_sig.size();
    if (n < 2 || n > 100) return make_error("bad-cb-length", "coinbase scriptSig must be 2..100 bytes");
  } else {
    for (size_t i = 0; i < tx.vin.size(); ++i) {
      if (tx.vin[i].prevout.is_null())
        return make_culprit_error("bad-txns-prevout-null", static_cast<int>(i), "input");
    }
  }
  return ok();
}

}  // namespace ladder::btc
