// Randomized: random spends, chains of spends, double spends, mining,
// invalidations and reorgs, with the chain's invariants checked after every
// step against models rebuilt from scratch — the UTXO set against a replay
// of the active blocks, the mempool against mining all of it.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "chain/embedded_chain.h"
#include "test_wallet.h"

namespace ladder::chain {
namespace {

using testing::Spend;
using testing::TestWallet;

std::map<btc::OutPoint, Coin> as_map(const UtxoSet& u) { return {u.all().begin(), u.all().end()}; }

// Replays the active chain's blocks into a fresh chain: the UTXO set must be
// exactly the same.
void check_utxos_match_replay(const EmbeddedChain& chain) {
  EmbeddedChain replay(chain.params());
  for (int h = 1; h <= chain.height(); ++h) ASSERT_TRUE(replay.connect_block(*chain.at_height(h)->block, false)) << h;
  ASSERT_EQ(replay.tip().hash, chain.tip().hash);
  EXPECT_EQ(as_map(replay.utxos()), as_map(chain.utxos()));
}

// Every mempool tx spends confirmed coins or other mempool txs, nothing is
// spent twice, and a block of the whole mempool is valid.
void check_mempool_is_minable(const EmbeddedChain& chain, const Bytes& script) {
  std::map<btc::OutPoint, btc::Txid> spent;
  for (const auto& [txid, e] : chain.mempool().entries()) {
    for (const auto& in : e.tx->vin) {
      EXPECT_TRUE(chain.coin(in.prevout) || chain.mempool().output(in.prevout)) << in.prevout.to_string();
      EXPECT_TRUE(spent.emplace(in.prevout, txid).second) << "double spend inside the mempool";
    }
  }
  EmbeddedChain copy(chain);
  size_t n = copy.mempool().size();
  ASSERT_TRUE(copy.mine(1, script));
  EXPECT_EQ(copy.tip().block->txs.size(), n + 1);
  EXPECT_EQ(copy.mempool().size(), 0u);
}

TEST(RandomOps, InvariantsHoldThroughRandomHistories) {
  std::mt19937 rng(20261125);
  EmbeddedChain chain;
  TestWallet w(16);
  w.mine(chain, 110);
  int accepted = 0, reorgs = 0;
  std::map<std::string, int> rejected;
  for (int step = 0; step < 400; ++step) {
    auto spendable = chain.unspent_outputs(w.script());
    std::erase_if(spendable, [&](const Utxo& u) {
      return u.coinbase && chain.height() + 1 - u.height < chain.params().coinbase_maturity;
    });
    int op = static_cast<int>(rng() % 10);
    if (op < 5 && !spendable.empty()) {
      // Spend one or two outputs (possibly unconfirmed) into one to three outputs.
      std::vector<Spend> ins;
      btc::Amount total = 0;
      const int n_in = 1 + static_cast<int>(rng() % 2);
      for (int k = 0; k < n_in && !spendable.empty(); ++k) {
        size_t i = rng() % spendable.size();
        ins.push_back(Spend{spendable[i].outpoint, spendable[i].out});
        total += spendable[i].out.value;
        spendable.erase(spendable.begin() + static_cast<long>(i));
      }
      int outs = 1 + static_cast<int>(rng() % 3);
      btc::Amount fee = 500 + static_cast<btc::Amount>(rng() % 5000);
      if (total - fee < outs * 1000) continue;
      std::vector<btc::TxOut> vout(outs, btc::TxOut{(total - fee) / outs, w.script()});
      auto r = chain.submit(w.spend(ins, vout));
      r ? ++accepted : ++rejected[r.error().code];  // chains too long, replacement rules
    } else if (op == 5 && !spendable.empty()) {
      // A double spend of something already spent in the mempool, paying more.
      for (const auto& [txid, e] : chain.mempool().entries()) {
        const auto& in = e.tx->vin[0];
        const Coin* c = chain.coin(in.prevout);
        if (!c) continue;
        auto r = chain.submit(w.spend({Spend{in.prevout, c->out}}, {btc::TxOut{c->out.value - e.fee - 50'000, w.script()}}));
        r ? ++accepted : ++rejected[r.error().code];
        break;
      }
    } else if (op < 8) {
      w.mine(chain, 1 + static_cast<int>(rng() % 2));
    } else if (op == 8) {
      ASSERT_TRUE(chain.invalidate(1 + static_cast<int>(rng() % 3)));
      ++reorgs;
    } else {
      ASSERT_TRUE(chain.reorg(1 + static_cast<int>(rng() % 2), {{}, {}, {}}, w.script()));
      ++reorgs;
    }
    check_utxos_match_replay(chain);
    check_mempool_is_minable(chain, w.script());
    if (::testing::Test::HasFailure()) FAIL() << "at step " << step;
  }
  EXPECT_GT(accepted, 30);
  EXPECT_GT(reorgs, 5);
  std::cout << "random history: " << accepted << " txs accepted, " << reorgs << " reorgs, final height "
            << chain.height() << "; rejected:";
  for (const auto& [code, n] : rejected) std::cout << ' ' << code << " ×" << n;
  std::cout << '\n';
  for (const auto& [code, n] : rejected)
    EXPECT_TRUE(code == "too-long-mempool-chain" || code == "insufficient fee" || code == "replacement-adds-unconfirmed" ||
                code == "bad-txns-spends-conflicting-tx")
        << "unexpected rejection " << code;
}

}  // namespace
}  // namespace ladder::chain
