#include "chain/consensus.h"

#include <algorithm>

#include "crypto/hash.h"
#include "util/serialize.h"

namespace ladder::chain {

TxFacts tx_facts(const btc::Transaction& tx) {
  TxFacts f;
  const Bytes full = tx.serialize(true);
  f.total_size = full.size();
  if (!tx.has_witness()) {
    f.txid = btc::Txid{crypto::sha256d(full)};
    f.wtxid = f.txid.bytes;
    f.base_size = f.total_size;
  } else {
    // The legacy serialization is the extended one without the marker and
    // flag (bytes 4 and 5) and the witnesses (just before the locktime), so
    // one serialization serves both hashes.
    size_t witness_bytes = 0;
    for (const auto& in : tx.vin) {
      witness_bytes += compact_size_len(in.witness.size());
      for (const auto& item : in.witness) witness_bytes += compact_size_len(item.size()) + item.size();
    }
    f.base_size = full.size() - 2 - witness_bytes;
    const ByteView v(full);
    Bytes32 once = crypto::Sha256()
                       .write(v.first(4))
                       .write(v.subspan(6, f.base_size - 8))
                       .write(v.last(4))
                       .finalize();
    f.txid = btc::Txid{crypto::sha256(once)};
    f.wtxid = crypto::sha256d(full);
  }
  f.weight = static_cast<int64_t>(f.base_size) * (btc::WITNESS_SCALE_FACTOR - 1) + static_cast<int64_t>(f.total_size);
  f.vsize = (f.weight + btc::WITNESS_SCALE_FACTOR - 1) / btc::WITNESS_SCALE_FACTOR;
  return f;
}

Expected<btc::Amount> check_tx_inputs(const btc::Transaction& tx, std::span<const Coin* const> coins,
                                      int spend_height, int coinbase_maturity) {
  if (coins.size() != tx.vin.size()) throw std::logic_error("check_tx_inputs: one coin per input required");
  btc::Amount in = 0;
  for (size_t i = 0; i < coins.size(); ++i) {
    const Coin* c = coins[i];
    if (!c) return make_culprit_error("bad-txns-inputs-missingorspent", static_cast<int>(i), "input");
    if (c->coinbase && spend_height - c->height < coinbase_maturity)
      return make_culprit_error("bad-txns-premature-spend-of-coinbase", static_cast<int>(i), "input",
                                "tried to spend coinbase at depth " + std::to_string(spend_height - c->height));
    in += c->out.value;
    if (!btc::money_range(c->out.value) || !btc::money_range(in))
      return make_culprit_error("bad-txns-inputvalues-outofrange", static_cast<int>(i), "input");
  }
  btc::Amount out = 0;
  for (const auto& o : tx.vout) {
    out += o.value;
    if (!btc::money_range(o.value) || !btc::money_range(out)) return make_error("bad-txns-vout-toolarge");
  }
  if (in < out)
    return make_error("bad-txns-in-belowout", "value in (" + std::to_string(in) + ") < value out (" + std::to_string(out) + ")");
  btc::Amount fee = in - out;
  if (!btc::money_range(fee)) return make_error("bad-txns-fee-outofrange");
  return fee;
}

bool is_final_tx(const btc::Transaction& tx, int block_height, int64_t block_time) {
  if (tx.locktime == 0) return true;
  int64_t cutoff = tx.locktime < btc::LOCKTIME_THRESHOLD ? block_height : block_time;
  if (static_cast<int64_t>(tx.locktime) < cutoff) return true;
  return std::all_of(tx.vin.begin(), tx.vin.end(), [](const btc::TxIn& in) { return in.sequence == btc::SEQUENCE_FINAL; });
}

Status check_final_tx(const btc::Transaction& tx, int block_height, int64_t block_time) {
  if (is_final_tx(tx, block_height, block_time)) return ok();
  if (tx.locktime < btc::LOCKTIME_THRESHOLD)
    return make_error("non-final", "nLockTime " + std::to_string(tx.locktime) + " is a height; the next block is " +
                                       std::to_string(block_height) + ", so it can be mined from height " +
                                       std::to_string(tx.locktime + 1));
  return make_error("non-final", "nLockTime " + std::to_string(tx.locktime) +
                                     " is a time; the median time past is " + std::to_string(block_time) +
                                     " and must exceed it (BIP-113)");
}

Status check_sequence_locks(const btc::Transaction& tx, std::span<const int> coin_heights,
                            const std::function<int64_t(int)>& mtp_at, int block_height, int64_t prev_mtp) {
  if (tx.version < 2) return ok();
  for (size_t i = 0; i < tx.vin.size(); ++i) {
    uint32_t seq = tx.vin[i].sequence;
    if (seq & btc::SEQUENCE_LOCKTIME_DISABLE_FLAG) continue;
    int coin_height = coin_heights[i];
    int64_t value = seq & btc::SEQUENCE_LOCKTIME_MASK;
    std::string where = "input " + std::to_string(i) + " (coin from " +
                        (coin_height >= block_height ? std::string("the mempool") : "height " + std::to_string(coin_height)) + ")";
    if (seq & btc::SEQUENCE_LOCKTIME_TYPE_FLAG) {
      int64_t coin_time = mtp_at(std::max(coin_height - 1, 0));
      int64_t min_time = coin_time + (value << btc::SEQUENCE_LOCKTIME_GRANULARITY) - 1;
      if (min_time >= prev_mtp)
        return make_culprit_error("non-BIP68-final", static_cast<int>(i), "input",
                                  where + ": relative time lock of " + std::to_string(value << btc::SEQUENCE_LOCKTIME_GRANULARITY) +
                                      " s not matured; needs median time past > " + std::to_string(min_time) +
                                      ", now " + std::to_string(prev_mtp));
    } else {
      int64_t min_height = static_cast<int64_t>(coin_height) + value - 1;
      if (min_height >= block_height)
        return make_culprit_error("non-BIP68-final", static_cast<int>(i), "input",
                                  where + ": relative lock of " + std::to_string(value) +
                                      " blocks not matured; can be mined from height " + std::to_string(min_height + 1) +
                                      ", the next block is " + std::to_string(block_height));
    }
  }
  return ok();
}

}  // namespace ladder::chain
