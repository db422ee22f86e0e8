// Benchmark suite "chain": the embedded chain validating and mining a block
// of 2,000 taproot key-path spends, against the floor of 2,000 raw BIP-340
// verifications (libsecp256k1, parsed key, 32-byte message) measured in the
// same run. Validation covers everything mempool acceptance does (consensus,
// policy, sighash, Schnorr verification); mining builds, checks and connects
// the block without verifying the scripts a second time.
//
// Replaying Bitcoin Core's vector files is not measured here: the
// interpreter exposes no replay function outside its tests.
#include <benchmark/benchmark.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <memory>

#include "bench/runner.h"
#include "btc/sighash.h"
#include "btc/taproot.h"
#include "chain/embedded_chain.h"
#include "crypto/secp.h"

namespace ladder::bench {
namespace {

constexpr int kSpends = 2000;

// A chain whose UTXO set holds kSpends mature P2TR outputs of one key, and
// the kSpends signed txs spending them (built once; every iteration replays
// them on a copy of the chain).
struct Fixture {
  chain::EmbeddedChain base;
  std::vector<btc::Transaction> spends;
  std::vector<btc::TxOut> spent_outputs;  // the output each spend spends
  secp256k1_keypair keypair{};
  Bytes script;

  Fixture() {
    const secp256k1_context* ctx = crypto::secp_context();
    Bytes32 secret = crypto::random_bytes32();
    secret[0] &= 0x7f;  // below the group order
    if (!secp256k1_keypair_create(ctx, &keypair, secret.data())) throw std::runtime_error("keypair");
    secp256k1_xonly_pubkey internal;
    if (!secp256k1_keypair_xonly_pub(ctx, &internal, nullptr, &keypair)) throw std::runtime_error("xonly");
    Bytes32 internal_bytes;
    secp256k1_xonly_pubkey_serialize(ctx, internal_bytes.data(), &internal);
    auto out = btc::taproot_output(internal_bytes, std::nullopt).value();
    if (!secp256k1_keypair_xonly_tweak_add(ctx, &keypair, out.tweak.data())) throw std::runtime_error("tweak");
    script = out.script_pubkey();

    base.mine(101, script).value();
    const chain::BlockRecord* first = base.at_height(1);
    btc::Transaction fund;
    fund.vin.push_back(btc::TxIn{btc::OutPoint{first->facts[0].txid, 0}, {}, 0xfffffffd, {}});
    const btc::Amount each = (first->block->txs[0].vout[0].value - 100'000) / kSpends;
    for (int i = 0; i < kSpends; ++i) fund.vout.push_back(btc::TxOut{each, script});
    sign(fund, {first->block->txs[0].vout[0]});
    base.submit(fund).value();
    base.mine(1, script).value();
    const btc::Txid fund_id = fund.txid();
    for (uint32_t i = 0; i < kSpends; ++i) {
      btc::Transaction tx;
      tx.vin.push_back(btc::TxIn{btc::OutPoint{fund_id, i}, {}, 0xfffffffd, {}});
      tx.vout.push_back(btc::TxOut{each - 1000, script});
      sign(tx, {fund.vout[i]});
      spends.push_back(std::move(tx));
      spent_outputs.push_back(fund.vout[i]);
    }
  }

  void sign(btc::Transaction& tx, const std::vector<btc::TxOut>& spent) const {
    auto txdata = btc::precompute_tx_data(tx, spent);
    for (size_t i = 0; i < tx.vin.size(); ++i) {
      Bytes32 msg = btc::taproot_sighash(tx, i, btc::SIGHASH_DEFAULT, txdata, std::nullopt, nullptr).value();
      Bytes sig(64);
      Bytes32 aux = crypto::random_bytes32();
      if (!secp256k1_schnorrsig_sign32(crypto::secp_context(), sig.data(), msg.data(), &keypair, aux.data()))
        throw std::runtime_error("sign");
      tx.vin[i].witness = {std::move(sig)};
    }
  }
};

void register_suite(const Options&) {
  auto f = std::make_shared<Fixture>();
  // The floor: BIP-340 verification of the very (sighash, signature) pairs the
  // block holds, cycling through them, with the output key parsed once.
  benchmark::RegisterBenchmark("chain/raw/schnorr_verify", [f](benchmark::State& st) {
    const secp256k1_context* ctx = crypto::secp_context();
    secp256k1_xonly_pubkey pub;
    if (!secp256k1_xonly_pubkey_parse(ctx, &pub, f->script.data() + 2)) st.SkipWithError("bad output key");
    std::vector<Bytes32> msgs;
    for (size_t i = 0; i < f->spends.size(); ++i) {
      auto txdata = btc::precompute_tx_data(f->spends[i], {f->spent_outputs[i]});
      msgs.push_back(btc::taproot_sighash(f->spends[i], 0, btc::SIGHASH_DEFAULT, txdata, std::nullopt, nullptr).value());
    }
    size_t i = 0;
    for (auto _ : st) {
      benchmark::DoNotOptimize(secp256k1_schnorrsig_verify(ctx, f->spends[i].vin[0].witness[0].data(), msgs[i].data(), 32, &pub));
      i = (i + 1) % msgs.size();
    }
  })->MinTime(0.2);
  benchmark::RegisterBenchmark("chain/validate_and_mine_2000_keypath_spends", [f](benchmark::State& st) {
    for (auto _ : st) {
      st.PauseTiming();
      auto chain = std::make_unique<chain::EmbeddedChain>(f->base);
      st.ResumeTiming();
      for (const auto& tx : f->spends)
        if (!chain->submit(tx)) st.SkipWithError("a spend was rejected");
      auto mined = chain->mine(1, f->script);
      if (!mined || chain->tip().block->txs.size() != kSpends + 1) st.SkipWithError("the block does not hold every spend");
      st.PauseTiming();
      chain.reset();
      st.ResumeTiming();
    }
    st.counters["floor:schnorr_verify"] = kSpends;
  })->Iterations(1);
  benchmark::RegisterBenchmark("chain/mine_block_of_2000_validated_spends", [f](benchmark::State& st) {
    for (auto _ : st) {
      st.PauseTiming();
      auto chain = std::make_unique<chain::EmbeddedChain>(f->base);
      for (const auto& tx : f->spends)
        if (!chain->submit(tx)) st.SkipWithError("a spend was rejected");
      st.ResumeTiming();
      if (!chain->mine(1, f->script)) st.SkipWithError("mining failed");
      st.PauseTiming();
      chain.reset();
      st.ResumeTiming();
    }
  })->Iterations(1);
}

const bool kRegistered = add_suite("chain",
                                   "embedded chain: validating and mining a block of 2,000 taproot key-path spends vs "
                                   "2,000 raw Schnorr verifications",
                                   register_suite);

}  // namespace
}  // namespace ladder::bench
