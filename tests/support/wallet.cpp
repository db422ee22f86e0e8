#include "support/wallet.h"

#include <stdexcept>

#include "btc/sighash.h"
#include "btc/taproot.h"
#include "crypto/schnorr.h"

namespace ladder::test {

Bytes p2tr_of(const crypto::PubKey& key) {
  return btc::taproot_output(key.xonly().bytes(), std::nullopt).value().script_pubkey();
}

TestWallet::TestWallet(chain::EmbeddedChain& chain)
    : chain_(chain), key_(crypto::SecretKey::generate()), script_(p2tr_of(key_.pubkey())) {}

void TestWallet::mine_coins(int blocks) {
  chain_.mine(blocks, script_).value();
  mine_empty(100);
}

void TestWallet::mine_empty(int n) {
  static const Bytes burn = {0x51};  // OP_TRUE: nobody's coins
  chain_.mine(n, burn).value();
}

void TestWallet::sign_keypath(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent,
                              const crypto::SecretKey& key, bool tweak) {
  auto tweaked = tweak ? btc::taproot_tweak_secret_key(key, std::nullopt).value() : key;
  auto data = btc::precompute_tx_data(tx, spent);
  auto sighash = btc::taproot_sighash(tx, index, btc::SIGHASH_DEFAULT, data, std::nullopt, nullptr).value();
  auto sig = crypto::schnorr_sign(tweaked, sighash);
  tx.vin[index].witness = {Bytes(sig.bytes().begin(), sig.bytes().end())};
}

btc::Transaction TestWallet::fund(std::vector<btc::TxOut> outputs, int64_t fee_rate) {
  btc::Amount want = 0;
  for (const auto& o : outputs) want += o.value;
  btc::Transaction tx;
  tx.version = 2;
  tx.vout = std::move(outputs);
  std::vector<btc::TxOut> spent;
  btc::Amount have = 0;
  for (const auto& u : chain_.unspent_outputs(script_)) {
    if (u.coinbase && u.confirmations < chain_.params().coinbase_maturity) continue;
    if (u.height < 0) continue;
    tx.vin.push_back({u.outpoint, {}, 0xfffffffd, {}});
    spent.push_back(u.out);
    have += u.out.value;
    if (have >= want + 100'000) break;
  }
  if (have < want + 100'000) throw std::runtime_error("test wallet: not enough mature coins");
  tx.vout.push_back({0, script_});
  // Size with signatures: every input carries a 64-byte witness.
  btc::Transaction sized = tx;
  for (auto& in : sized.vin) in.witness = {Bytes(64, 0)};
  btc::Amount fee = (sized.vsize() * fee_rate + 999) / 1000;
  tx.vout.back().value = have - want - fee;
  for (size_t i = 0; i < tx.vin.size(); ++i) sign_keypath(tx, i, spent, key_);
  return tx;
}

void TestWallet::confirm(const btc::Transaction& tx) {
  auto r = chain_.submit(tx);
  if (!r) throw std::runtime_error("rejected: " + r.error().to_string());
  mine_empty(1);
}

}  // namespace ladder::test
