// A channel on a factory leaf's channel output: the channel's funding key is
// the leaf's MuSig2 output key, payments run under the factory's TO and X,
// and after the factory path is published the latest commitment closes the
// channel on chain with balances to the satoshi.
#include <gtest/gtest.h>

#include "channel_fixture.h"
#include "crypto/hash.h"
#include "factory/tree.h"
#include "support/factory_harness.h"

namespace ladder::channel {
namespace {

using namespace test;

TEST(FactoryChannel, ChannelInALeafClosesOnChainAfterTheExit) {
  chain::EmbeddedChain chain;
  ladder::test::TestWallet wallet(chain);
  wallet.mine_coins(5);
  ladder::test::FactorySetup fs;
  fs.clients = 2;
  ladder::test::FactoryHarness h(chain, wallet, fs);
  h.run_ceremony();
  h.confirm_funding();
  const uint32_t c = 0;
  auto& tree = h.client_tree(c);
  const auto op = tree.leaf_outpoint(tree.shape().leaf_of(c), tree.shape().slot_in_leaf(c)).value();
  const btc::Amount capacity = tree.capacity(c);
  ASSERT_EQ(tree.channel_key(c).value()->script, funding_script(h.lsp_key.pubkey(), h.client_keys[c].pubkey()));

  PairSetup s;
  s.capacity = capacity;
  s.client_balance = fs.client_balance;
  s.binding = Binding{op, capacity};
  s.lsp_key = h.lsp_key;
  s.client_key = h.client_keys[c];
  s.deadlines = {h.terms.heights.timeout, h.terms.heights.x};
  s.height = static_cast<uint32_t>(chain.height());
  s.params.to_self_delay = fs.params.to_self_delay;
  auto p = open_pair(s);
  Link link(p.lsp, p.client);
  const Bytes32 pre = random32();
  const uint32_t expiry = s.height + h.terms.heights.x + 5;
  auto add = must(p.client.add_htlc(30'000, crypto::sha256(pre), expiry));
  link.to_a(add);
  link.run();
  link.to_b(must(p.lsp.settle(add.lock.id, pre)));
  link.run();
  // Past TO − X the channel refuses new locks.
  auto late = p.client.add_htlc(1'000, random32(), h.terms.heights.timeout - h.terms.heights.x + 1);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "channel.expiry-after-deadline");

  ladder::test::execute_exit(chain, wallet, tree, c);
  ASSERT_NE(chain.coin(op), nullptr);
  const auto commit = must(p.client.signed_commitment_tx());
  ASSERT_TRUE(chain.submit(commit));
  wallet.mine_empty(1);
  const auto kc_lsp = must(identify_commitment(p.lsp, commit));
  const auto kc_client = must(identify_commitment(p.client, commit));
  const Bytes dest = ladder::test::p2tr_of(crypto::SecretKey::generate().pubkey());
  const auto lsp_claim = must(claim_to_remote(p.lsp, kc_lsp, {dest, 2000}));
  ASSERT_TRUE(chain.submit(lsp_claim));
  wallet.mine_empty(static_cast<int>(p.client.params().to_self_delay));
  const auto client_claim = must(claim_to_local(p.client, kc_client, {dest, 2000}));
  ASSERT_TRUE(chain.submit(client_claim)) << chain.test_accept(client_claim).error().to_string();
  wallet.mine_empty(1);
  // The client's balance, minus its claim fee; L's, minus the commitment fee, anchor and claim fee.
  EXPECT_EQ(client_claim.vout[0].value,
            fs.client_balance - 30'000 - fee_for_vsize(client_claim.vsize(), 2000));
  EXPECT_EQ(lsp_claim.vout[0].value, capacity - fs.client_balance + 30'000 - commitment_fee(p.lsp.params(), 0) -
                                         p.lsp.params().anchor_value - fee_for_vsize(lsp_claim.vsize(), 2000));
}

}  // namespace
}  // namespace ladder::channel
