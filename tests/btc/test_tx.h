// Deterministic pseudo-random transactions for tests.
#pragma once

#include <random>

#include "btc/tx.h"

namespace ladder::test {

struct RandomTx {
  btc::Transaction tx;
  std::vector<btc::TxOut> spent;  // one per input
};

// A transaction with `inputs` inputs and `outputs` outputs: random prevouts,
// sequences, scriptSigs, witnesses (when `witness`), values and scripts of
// varied lengths, and the outputs they spend.
inline RandomTx random_tx(std::mt19937_64& rng, size_t inputs, size_t outputs, bool witness) {
  auto bytes = [&](size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
  };
  auto small = [&](size_t max) { return static_cast<size_t>(rng() % (max + 1)); };
  RandomTx r;
  r.tx.version = static_cast<uint32_t>(rng());
  r.tx.locktime = static_cast<uint32_t>(rng());
  for (size_t i = 0; i < inputs; ++i) {
    btc::TxIn in;
    auto txid = bytes(32);
    std::copy(txid.begin(), txid.end(), in.prevout.txid.bytes.begin());
    in.prevout.n = static_cast<uint32_t>(rng() % 4);
    in.script_sig = bytes(small(80));
    in.sequence = static_cast<uint32_t>(rng());
    if (witness)
      for (size_t k = small(3); k > 0; --k) in.witness.push_back(bytes(small(300)));
    r.tx.vin.push_back(std::move(in));
    r.spent.push_back(btc::TxOut{static_cast<btc::Amount>(rng() % btc::MAX_MONEY), bytes(small(40))});
  }
  for (size_t i = 0; i < outputs; ++i)
    r.tx.vout.push_back(btc::TxOut{static_cast<btc::Amount>(rng() % btc::MAX_MONEY), bytes(small(300))});
  return r;
}

}  // namespace ladder::test
