// The day's batch on the embedded chain: one tx that sweeps a fully departed
// factory (one key-path signature by L with the departed keys from its
// vault), funds the next factory — whose construction runs over the frozen
// batch's txid and completes before any claim session — and returns the
// rest to L's wallet, to the satoshi.
#include <gtest/gtest.h>

#include <iostream>

#include "migrate/key_vault.h"
#include "migrate/sweep.h"
#include "store/memory_store.h"
#include "ways_fixture.h"

namespace ladder::migrate::test {
namespace {

TEST(BatchDay, ADepartedFactorysSweepFundsTheNextFactoryInOneTx) {
  World w;
  store::MemoryStore lsp_store;
  KeyVault vault(lsp_store);
  // Every client of the old factory departed: L holds their keys.
  for (const auto& k : w.old_factory->client_keys) ASSERT_TRUE(vault.put(1, k));
  auto& old_tree = w.old_factory->lsp_tree();
  const auto keys = must(vault.departed_keys(old_tree));
  const auto sweep = must(departed_input(old_tree, keys, w.old_factory->lsp_key, TreeOutput{OutputRole::node_input, 0, 0}));
  // The next factory, proposed before the batch is frozen.
  ladder::test::FactorySetup fs;
  fs.clients = 2;
  fs.factory_id = 3;
  ladder::test::FactoryHarness next(w.chain, w.wallet, fs);
  const btc::TxOut funding_out = next.funding_tx.vout.at(0);

  Batch batch(7, w.tip() + 1, 2000, w.lsp_script);
  ASSERT_TRUE(batch.add_input(w.lsp_coins[0]));
  ASSERT_TRUE(batch.add_input(BatchInput{sweep.outpoint, sweep.spent, BatchInput::Source::sweep, 1, 66}));
  ASSERT_TRUE(batch.add_output(BatchOutput{BatchOutputKind::factory_funding, 3, {}, funding_out}));
  ASSERT_TRUE(batch.freeze());
  // The construction runs over the frozen txid and completes.
  next.terms.funding = must(batch.outpoint_of_factory(3));
  next.run_ceremony();
  ASSERT_TRUE(batch.construction_completed(3));

  btc::Transaction tx = batch.unsigned_tx();
  const std::vector<btc::TxOut> spent{w.lsp_coins[0].spent, sweep.spent};
  ladder::test::TestWallet::sign_keypath(tx, 0, spent, w.lsp_wallet);
  ASSERT_TRUE(sign_input(tx, 1, spent, sweep));
  ASSERT_TRUE(batch.set_signed(tx));
  const auto out = must(batch.broadcast());
  auto accepted = w.chain.submit(out);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  w.wallet.mine_empty(1);
  EXPECT_EQ(w.chain.find_tx(out.txid())->confirmations, 1);
  EXPECT_NE(w.chain.coin(next.terms.funding), nullptr);
  EXPECT_EQ(w.chain.coin(sweep.outpoint), nullptr);
  // To the satoshi: L's coin and the old factory's whole value fund the next
  // factory, L's change and the fee; the fee is what the batch computed.
  EXPECT_EQ(accepted->fee, batch.fee());
  EXPECT_EQ(w.lsp_coins[0].spent.value + sweep.spent.value, funding_out.value + out.vout.back().value + batch.fee());
  EXPECT_EQ(out.vsize(), batch.vsize());
  std::cout << "day's batch: " << out.vsize() << " vB for a sweep, a factory funding and change\n";
}

}  // namespace
}  // namespace ladder::migrate::test
