#include "core/wallet.h"

#include <algorithm>

#include "btc/sighash.h"
#include "btc/standard_scripts.h"
#include "btc/taproot.h"
#include "crypto/schnorr.h"

namespace ladder::core {

namespace {
constexpr int kCoinbaseMaturity = 100;
constexpr btc::Amount kDust = 330;

btc::Amount fee_at(int64_t vsize, btc::Amount rate) { return (vsize * rate + 999) / 1000; }
}  // namespace

Wallet::Wallet(const crypto::SecretKey& key)
    : key_(key),
      tweaked_(btc::taproot_tweak_secret_key(key, std::nullopt).value()),
      script_(btc::p2tr_script(btc::taproot_output(key.xonly_pubkey().bytes(), std::nullopt).value().output_key)) {}

Expected<std::vector<chain::Utxo>> Wallet::coins(ChainView& chain, bool include_unconfirmed) const {
  LADDER_ASSIGN(auto all, chain.unspent(script_));
  std::vector<chain::Utxo> out;
  for (auto& u : all) {
    if (reserved(u.outpoint)) continue;
    if (u.height < 0 && !include_unconfirmed) continue;
    if (u.coinbase && u.confirmations < kCoinbaseMaturity) continue;
    out.push_back(std::move(u));
  }
  std::sort(out.begin(), out.end(), [](const chain::Utxo& a, const chain::Utxo& b) {
    return a.out.value != b.out.value ? a.out.value > b.out.value : a.outpoint < b.outpoint;
  });
  return out;
}

Expected<btc::Amount> Wallet::balance(ChainView& chain, bool include_unconfirmed) const {
  LADDER_ASSIGN(auto cs, coins(chain, include_unconfirmed));
  btc::Amount sum = 0;
  for (const auto& c : cs) sum += c.out.value;
  return sum;
}

Expected<std::vector<chain::Utxo>> Wallet::select(ChainView& chain, btc::Amount target, btc::Amount fee_rate,
                                                  bool include_unconfirmed) const {
  LADDER_ASSIGN(auto cs, coins(chain, include_unconfirmed));
  std::vector<chain::Utxo> picked;
  btc::Amount have = 0, need = target;
  for (auto& c : cs) {
    if (have >= need) break;
    need += fee_at(kKeyPathInputVsize, fee_rate);
    have += c.out.value;
    picked.push_back(std::move(c));
  }
  if (have < need)
    return make_error("wallet.insufficient-funds",
                      "need " + std::to_string(need) + " sat, have " + std::to_string(have) + " sat");
  return picked;
}

Status Wallet::sign(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent) const {
  if (index >= tx.vin.size() || spent.size() != tx.vin.size())
    return make_error("wallet.bad-input", "input index or spent outputs do not match the tx");
  if (spent[index].script_pubkey != script_) return make_error("wallet.not-ours", "the input is not this wallet's");
  auto data = btc::precompute_tx_data(tx, spent);
  LADDER_ASSIGN(auto sighash, btc::taproot_sighash(tx, index, btc::SIGHASH_DEFAULT, data, std::nullopt, nullptr));
  auto sig = crypto::schnorr_sign(tweaked_, sighash);
  tx.vin[index].witness = {Bytes(sig.bytes().begin(), sig.bytes().end())};
  return ok();
}

Expected<btc::Transaction> Wallet::cpfp(ChainView& chain, const btc::Transaction& parent, uint32_t vout,
                                        btc::Amount parent_fee, btc::Amount package_rate) {
  if (vout >= parent.vout.size()) return make_error("wallet.bad-input", "no such output of the parent");
  const btc::TxOut& spent0 = parent.vout[vout];
  const bool anchor = btc::is_p2a(spent0.script_pubkey);
  btc::Transaction child;
  child.version = parent.version == 3 ? 3 : 2;
  child.vin.push_back({{parent.txid(), vout}, {}, 0xfffffffd, {}});
  std::vector<btc::TxOut> spent{spent0};
  btc::Amount have = spent0.value;
  // vsize: version/locktime/counts ~11, one output, the parent's input
  // (an anchor's witness is empty: 41 vB) and each wallet input.
  int64_t vsize = 11 + kP2trOutputVsize + (anchor ? 41 : kKeyPathInputVsize);
  auto needed = [&] { return fee_at(parent.vsize() + vsize, package_rate) - parent_fee; };
  LADDER_ASSIGN(auto cs, coins(chain, false));
  for (const auto& c : cs) {
    if (have - needed() >= kDust) break;
    child.vin.push_back({c.outpoint, {}, 0xfffffffd, {}});
    spent.push_back(c.out);
    have += c.out.value;
    vsize += kKeyPathInputVsize;
  }
  const btc::Amount change = have - needed();
  if (change < kDust) return make_error("wallet.insufficient-funds", "no coins to bump the parent");
  child.vout.push_back({change, script_});
  for (size_t i = 1; i < child.vin.size(); ++i) reserve(child.vin[i].prevout);
  for (size_t i = 0; i < child.vin.size(); ++i) {
    if (i == 0 && anchor) continue;  // P2A: empty witness
    LADDER_TRY(sign(child, i, spent));
  }
  return child;
}

}  // namespace ladder::core
