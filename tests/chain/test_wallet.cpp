#include "test_wallet.h"

#include <stdexcept>

#include "btc/opcodes.h"
#include "btc/sighash.h"
#include "btc/standard_scripts.h"
#include "btc/taproot.h"
#include "crypto/hash.h"
#include "crypto/schnorr.h"

namespace ladder::chain::testing {

Bytes p2wsh_of(ByteView witness_script) { return btc::p2wsh_script_for(witness_script); }
Bytes op_true_script() { return Bytes{btc::OP_TRUE}; }

TestWallet::TestWallet(uint8_t seed) : tweaked_(crypto::SecretKey::generate()) {
  Bytes32 secret{};
  secret[31] = seed;
  secret[0] = 0x42;
  crypto::SecretKey internal = crypto::SecretKey::parse(secret).value();
  auto out = btc::taproot_output(internal.xonly_pubkey().bytes(), std::nullopt).value();
  crypto::Scalar d = internal.scalar();
  if (!internal.pubkey().has_even_y()) d = -d;
  tweaked_ = crypto::SecretKey::from_scalar(d + crypto::Scalar::reduce(out.tweak)).value();
  script_ = out.script_pubkey();
  scripts_.push_back(op_true_script());
}

void TestWallet::sign(btc::Transaction& tx, const std::vector<btc::TxOut>& spent) const {
  auto txdata = btc::precompute_tx_data(tx, spent);
  for (size_t i = 0; i < tx.vin.size(); ++i) {
    const Bytes& spk = spent[i].script_pubkey;
    if (spk == script_) {
      Bytes32 msg = btc::taproot_sighash(tx, i, btc::SIGHASH_DEFAULT, txdata, std::nullopt, nullptr).value();
      auto sig = crypto::schnorr_sign(tweaked_, msg);
      tx.vin[i].witness = {Bytes(sig.bytes().begin(), sig.bytes().end())};
    } else if (btc::is_p2a(spk) || spk == op_true_script()) {
      tx.vin[i].witness.clear();
    } else {
      bool found = false;
      for (const auto& ws : scripts_) {
        if (p2wsh_of(ws) == spk) {
          tx.vin[i].witness = {ws};
          found = true;
        }
      }
      if (!found) throw std::invalid_argument("TestWallet cannot sign for input " + std::to_string(i));
    }
  }
}

btc::Transaction TestWallet::spend(const std::vector<Spend>& inputs, std::vector<btc::TxOut> outputs, uint32_t version,
                                   uint32_t locktime, uint32_t sequence) const {
  btc::Transaction tx;
  tx.version = version;
  tx.locktime = locktime;
  std::vector<btc::TxOut> spent;
  for (const auto& in : inputs) {
    btc::TxIn txin;
    txin.prevout = in.outpoint;
    txin.sequence = sequence;
    tx.vin.push_back(std::move(txin));
    spent.push_back(in.out);
  }
  tx.vout = std::move(outputs);
  sign(tx, spent);
  return tx;
}

std::vector<Bytes32> TestWallet::mine(EmbeddedChain& chain, int n) const { return chain.mine(n, script_).value(); }

Spend TestWallet::coinbase_at(const EmbeddedChain& chain, int height) const {
  const BlockRecord* rec = chain.at_height(height);
  if (!rec) throw std::out_of_range("no block at that height");
  const auto& cb = rec->block->txs[0];
  return Spend{btc::OutPoint{rec->facts[0].txid, 0}, cb.vout[0]};
}

}  // namespace ladder::chain::testing
