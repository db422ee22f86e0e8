// Clients who never come (DESIGN §7), on the embedded chain in both timeout
// modes: after the dying period L publishes only the paths of the clients
// still inside, closes their channels (their balances land in their own
// outputs), sweeps the departed rest by key path, takes its L-stock after
// the CSV and its own balances and lock timeouts, and tells each client
// where its money is. In inverted mode, if L does nothing, the distribution
// txs pay the clients at TO. Conservation to the satoshi in every case.
#include "btc/standard_scripts.h"
#include "crypto/hash.h"
#include "departed_fixture.h"
#include "migrate/eviction.h"

namespace ladder::migrate {
namespace {

using factory::TimeoutMode;
using factory::TxKind;
using factory::kNodeInput;
using test::must;

class Evict : public test::DepartedWorld, public ::testing::WithParamInterface<TimeoutMode> {
 protected:
  factory::ConfirmedHeight conf() {
    return [this](const btc::Txid& id) { return ladder::test::confirmed_height(chain, id); };
  }
  void mine_to(uint32_t target) {
    if (height() < target) wallet.mine_empty(static_cast<int>(target - height()));
  }
  factory::FactoryParams params() {
    auto p = factory::FactoryParams::test_chain();
    p.mode = GetParam();
    return p;
  }
  std::map<uint32_t, const channel::Channel*> lsp_channels(const std::vector<uint32_t>& clients) {
    std::map<uint32_t, const channel::Channel*> out;
    for (uint32_t c : clients) out[c] = &channels.at(c).lsp;
    return out;
  }
  // Drives the eviction block by block as a host would; returns every tx
  // the chain accepted.
  std::vector<btc::Transaction> run(Eviction& e) {
    std::vector<btc::Transaction> all;
    for (int i = 0; i < 1000 && !e.done(); ++i) {
      for (const auto& tx : must(e.on_block(height(), conf()))) {
        auto r = chain.submit(tx);
        if (r) all.push_back(tx);
        else if (r.error().code != "txn-already-in-mempool") ADD_FAILURE() << "rejected: " << r.error().to_string();
      }
      wallet.mine_empty(1);
    }
    EXPECT_TRUE(e.done());
    return all;
  }
};

TEST_P(Evict, LResolvesEveryClientStillInsideBeforeTimeout) {
  build(8, params());
  open_channels();
  const auto& heights = h->terms.heights;
  // During the dying period: client 0 departs and L reallocates its channel
  // with client 1; clients 2, 3 and 7 depart too (no reallocation); L offers
  // client 4 an HTLC it never settles. Clients 1, 4, 5, 6 never come back.
  depart(0);
  reallocate(lsp_tree().shape().leaf_of(0), 1);
  for (uint32_t c : {2u, 3u, 7u}) depart(c);
  auto& p4 = channels.at(4);
  channel::test::Link link(p4.lsp, p4.client);
  const uint32_t expiry = height() + heights.x + 5;
  link.to_b(must(p4.lsp.add_htlc(20'000, crypto::sha256(channel::test::random32()), expiry)));
  link.run();
  const std::vector<uint32_t> absent{1, 4, 5, 6};
  std::map<uint32_t, btc::Amount> balance;
  for (uint32_t c : absent) balance[c] = channels.at(c).client.latest_spec().to_holder;

  mine_to(heights.end_dying);
  auto e = must(Eviction::create(lsp_tree(), keys(), h->lsp_key, lsp_channels(absent), {lsp_wallet, 2000}, height(),
                                 conf()));
  EXPECT_EQ(e.absent(), absent);
  auto txs = run(e);
  EXPECT_LT(height(), heights.timeout);

  // Each absent client is told where its balance is, and it is there.
  auto notices = e.drain_notices();
  ASSERT_EQ(notices.size(), absent.size());
  std::map<Bytes, std::string> owner{{lsp_wallet, "L"}, {btc::p2a_script(), "anchors"}};
  for (const auto& n : notices) {
    EXPECT_EQ(n.kind, EvictionNotice::Kind::channel_closed);
    ASSERT_TRUE(n.output) << n.client;
    EXPECT_EQ(n.amount, balance.at(n.client));
    const auto* coin = chain.coin(*n.output);
    ASSERT_NE(coin, nullptr);
    EXPECT_EQ(coin->out.value, balance.at(n.client));
    owner[coin->out.script_pubkey] = "client " + std::to_string(n.client);
    EXPECT_NE(describe(n).find(n.output->to_string()), std::string::npos);
  }
  // Minimal publication: the fully departed leaf was never published.
  const uint32_t departed_leaf = lsp_tree().shape().leaf_of(2);
  EXPECT_FALSE(ladder::test::confirmed_height(chain, must(lsp_tree().build({TxKind::kickoff, departed_leaf, kNodeInput})).txid()));
  // Conservation: the funding value is the clients' balances, L's
  // recovered liquidity (departed channels, L-stocks, its balances, the
  // timed-out HTLC) and fees — no anchor or other output left behind.
  auto ledger = test::account(chain, txs, [&](const btc::TxOut& o) {
    auto it = owner.find(o.script_pubkey);
    return it == owner.end() ? std::string("?") : it->second;
  });
  EXPECT_EQ(test::put_in(chain, txs), lsp_tree().funding_value());
  EXPECT_EQ(ledger.total(), lsp_tree().funding_value());
  EXPECT_EQ(ledger.by_owner.count("?"), 0u);
  EXPECT_EQ(ledger.by_owner.count("anchors"), 0u);
  btc::Amount clients = 0;
  for (uint32_t c : absent) {
    EXPECT_EQ(ledger.by_owner.at("client " + std::to_string(c)), balance.at(c));
    clients += balance.at(c);
  }
  EXPECT_EQ(ledger.by_owner.at("L"), lsp_tree().funding_value() - clients - ledger.fees);
  // Nothing of the factory is left unspent on chain but L's and the clients' own outputs.
  for (const auto& tx : txs)
    for (uint32_t v = 0; v < tx.vout.size(); ++v) {
      if (!chain.coin({tx.txid(), v})) continue;
      auto it = owner.find(tx.vout[v].script_pubkey);
      EXPECT_TRUE(it != owner.end() && it->second != "anchors") << "left behind: output " << v << " of a tx";
    }
}

TEST_P(Evict, TooLateToEvictBeforeTimeoutIsRefused) {
  build(4, params());
  open_channels();
  mine_to(h->terms.heights.timeout - 2);
  auto late = Eviction::create(lsp_tree(), keys(), h->lsp_key, lsp_channels({0, 1, 2, 3}), {lsp_wallet, 2000},
                               height(), conf());
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "migrate.eviction-too-late");
  auto missing = Eviction::create(lsp_tree(), keys(), h->lsp_key, lsp_channels({0, 1}), {lsp_wallet, 2000}, height(),
                                  conf());
  EXPECT_EQ(missing.error().code, "migrate.missing-channel");
}

INSTANTIATE_TEST_SUITE_P(BothModes, Evict, ::testing::Values(TimeoutMode::clients, TimeoutMode::lsp),
                         [](const ::testing::TestParamInfo<TimeoutMode>& p) { return factory::to_string(p.param); });

class Fallback : public test::DepartedWorld {
 protected:
  factory::ConfirmedHeight conf() {
    return [this](const btc::Txid& id) { return ladder::test::confirmed_height(chain, id); };
  }
};

TEST_F(Fallback, WhenLDoesNothingTheDistributionTxsPayTheClientsAtTimeout) {
  build(8);
  open_channels();
  depart(0);
  reallocate(lsp_tree().shape().leaf_of(0), 1);
  depart(2);
  auto keys = this->keys();
  // L never evicts. The root's distribution is not final before TO ...
  const uint32_t to = h->terms.heights.timeout;
  factory::Tree& tree = h->client_tree(5);
  const auto dist = must(tree.signed_tx({TxKind::distribution, 0, kNodeInput}));
  EXPECT_EQ(dist.locktime, to);
  wallet.mine_empty(static_cast<int>(to - 1 - height()));
  EXPECT_EQ(chain.submit(dist).error().code, "non-final");
  // ... and valid once the tip reaches TO: a client (or its tower) publishes it.
  wallet.mine_empty(1);
  ASSERT_TRUE(chain.submit(dist));
  wallet.mine_empty(1);
  const uint32_t at = height();
  // Every client still inside is told what it was paid and where; each gets
  // at least its insured amount. The departed clients' payouts are L's.
  auto notices = fallback_notices(lsp_tree(), keys, dist, at);
  ASSERT_EQ(notices.size(), 6u);
  std::map<Bytes, std::string> owner{{lsp_wallet, "L"}, {btc::p2a_script(), "anchors"}};
  for (const auto& n : notices) {
    EXPECT_EQ(n.kind, EvictionNotice::Kind::paid_at_timeout);
    ASSERT_NE(chain.coin(*n.output), nullptr);
    EXPECT_GE(n.amount, h->client_tree(n.client).insured(n.client)) << n.client;
    EXPECT_EQ(chain.coin(*n.output)->out.script_pubkey, lsp_tree().payout_script(n.client));
    owner[lsp_tree().payout_script(n.client)] = "client " + std::to_string(n.client);
  }
  auto payouts = must(departed_payouts(lsp_tree(), keys, dist));
  ASSERT_EQ(payouts.size(), 2u);
  const auto sweep = must(build_sweep(payouts, {}, lsp_wallet, 2000));
  ASSERT_TRUE(chain.submit(sweep));
  wallet.mine_empty(1);
  auto ledger = test::account(chain, {dist, sweep}, [&](const btc::TxOut& o) {
    auto it = owner.find(o.script_pubkey);
    return it == owner.end() ? std::string("?") : it->second;
  });
  EXPECT_EQ(ledger.total(), lsp_tree().funding_value());
  EXPECT_EQ(ledger.by_owner.count("?"), 0u);
  EXPECT_EQ(ledger.by_owner.at("anchors"), lsp_tree().params().anchor_value);
  // Too late for L to evict now.
  EXPECT_EQ(Eviction::create(lsp_tree(), keys, h->lsp_key, {}, {lsp_wallet, 2000}, height(), conf()).error().code,
            "migrate.missing-channel");
}

}  // namespace
}  // namespace ladder::migrate
