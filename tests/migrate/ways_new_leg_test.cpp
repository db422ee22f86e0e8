// Options 1 (Lightning payment into the new factory, then handover) and 3b
// (PTLC into the new factory: the key is the payment's secret): the
// client's balance moves from its old channel to its channel in a newer
// factory with no on-chain byte, to the satoshi.
#include <gtest/gtest.h>

#include <iostream>

#include "migrate/new_leg.h"
#include "store/memory_store.h"
#include "ways_fixture.h"

namespace ladder::migrate::test {
namespace {

struct NewLegScenario {
  explicit NewLegScenario(MigrationOption option, ClientPolicy policy = [] {
    ClientPolicy p;
    p.depth = 1;
    return p;
  }()) {
    client_balance = w.old_pair->client.latest_spec().to_holder;
    old_lsp_balance = w.old_pair->lsp.latest_spec().to_holder;
    new_lsp_balance = w.new_pair->lsp.latest_spec().to_holder;
    cfg.id = crypto::random_bytes32();
    cfg.option = option;
    cfg.old_factory = 1;
    cfg.old_channel = &w.old_pair->client;
    cfg.new_channel = &w.new_pair->client;
    cfg.new_tree = &w.new_factory->client_tree(0);
    cfg.new_index = 0;
    cfg.factory_key = w.client_key();
    cfg.policy = policy;
    cfg.legs = w.new_legs();
    cfg.ledger = &ledger;
    lcfg.old_factory = 1;
    lcfg.old_channel = &w.old_pair->lsp;
    lcfg.new_channel = &w.new_pair->lsp;
    lcfg.legs = w.new_legs();
    lcfg.vault = &vault;
    host.client.channel_event = [this](size_t i, const channel::ChannelEvent& e) -> Expected<FlowOutput> {
      return i == 0 ? client->on_old_channel_event(e) : client->on_new_channel_event(e);
    };
    host.client.message = [this](const Message& m) -> Expected<FlowOutput> {
      if (auto* t = std::get_if<MigrateTerms>(&m)) return client->on_terms(*t, w.tip());
      if (auto* a = std::get_if<HandoverAck>(&m)) return client->on_handover_ack(*a);
      return make_error("test.unexpected", "client got an unexpected message");
    };
    host.client.tx = [this](const btc::Transaction& tx, std::optional<uint32_t> h) { return client->on_tx(tx, h); };
    host.client.unconfirmed = [this](const btc::Txid& t) { return client->on_tx_unconfirmed(t); };
    host.client.tip = [this](uint32_t h) { return client->on_tip(h); };
    host.lsp.channel_event = [this](size_t i, const channel::ChannelEvent& e) -> Expected<FlowOutput> {
      return i == 0 ? lsp->on_old_channel_event(e) : lsp->on_new_channel_event(e);
    };
    host.lsp.message = [this](const Message& m) -> Expected<FlowOutput> {
      if (auto* h = std::get_if<Handover>(&m)) return lsp->on_handover(*h);
      if (auto* b = std::get_if<RevealBlocked>(&m)) return lsp->on_reveal_blocked(*b);
      return make_error("test.unexpected", "L got an unexpected message");
    };
    host.lsp.tip = [this](uint32_t h) { return lsp->on_tip(h); };
  }

  std::optional<uint32_t> funding_height() const {
    return ladder::test::confirmed_height(w.chain, w.new_factory->funding_tx.txid());
  }
  Expected<MigrateRequest> start() {
    LADDER_ASSIGN(auto started, NewLegClient::start(cfg, w.tip(), funding_height()));
    client.emplace(std::move(started.first));
    return started.second;
  }
  void run() {
    const MigrateRequest req = must(start(), "start");
    auto accepted = must(NewLegLsp::accept(lcfg, req, w.tip()), "accept");
    lsp.emplace(std::move(accepted.first));
    FlowOutput terms;
    terms.to_peer.push_back(accepted.second);
    host.send(false, std::move(terms));
    host.run();
    host.tick();
  }
  // The balance moved into the new channel, L took its fee, nothing on chain.
  void expect_moved() {
    const auto& t = lsp->terms();
    EXPECT_EQ(w.new_pair->client.latest_spec().to_holder, t.out_amount);
    EXPECT_EQ(w.new_pair->lsp.latest_spec().to_holder, new_lsp_balance - t.out_amount);
    EXPECT_EQ(w.old_pair->client.latest_spec().to_holder, 0);
    EXPECT_EQ(w.old_pair->lsp.latest_spec().to_holder, old_lsp_balance + client_balance);
    EXPECT_TRUE(w.old_pair->client.latest_spec().locks.empty());
    EXPECT_TRUE(w.new_pair->client.latest_spec().locks.empty());
    EXPECT_EQ(t.out_amount + t.fee, client_balance);
    EXPECT_EQ(channel_total(w.old_pair->lsp) + channel_total(w.new_pair->lsp),
              client_balance + old_lsp_balance + new_lsp_balance);
    EXPECT_TRUE(host.accepted.empty());  // zero on-chain bytes for this client
    std::cout << to_string(cfg.option) << " on-chain vbytes per client: 0\n";
  }

  World w{WorldSetup{.clients = 2, .new_factory = true}};
  Host host{w};
  store::MemoryStore lsp_store, client_store;
  KeyVault vault{lsp_store};
  ClientKeyLedger ledger{client_store};
  NewLegClientConfig cfg{.factory_key = w.client_key(), .policy = {}, .legs = {}, .ledger = nullptr};
  NewLegLspConfig lcfg{.old_factory = 1,
                       .old_channel = nullptr,
                       .new_channel = nullptr,
                       .client_key = w.client_key().pubkey(),
                       .policy = {},
                       .legs = {},
                       .vault = nullptr};
  std::optional<NewLegClient> client;
  std::optional<NewLegLsp> lsp;
  btc::Amount client_balance = 0, old_lsp_balance = 0, new_lsp_balance = 0;
};

TEST(NewLeg, Option1PaysIntoTheNewFactoryThenHandsTheKeyOver) {
  NewLegScenario s(MigrationOption::ln_payment);
  s.run();
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::revealed));
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::settled));
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::handed_over));
  EXPECT_EQ(s.client->stage(), NewLegClient::Stage::done);
  EXPECT_EQ(s.vault.key_for(1, s.w.client_key().pubkey()).value().reveal(), s.w.client_key().reveal());
  EXPECT_EQ(s.ledger.handed_over().value().count(s.w.client_key().pubkey().bytes()), 1u);
  EXPECT_TRUE(s.w.old_pair->client.is_quiescent());  // the departed client's old channel stays quiet
  s.expect_moved();
}

TEST(NewLeg, Option1ClientThatKeepsItsKeyStaysAPresentClient) {
  ClientPolicy keep;
  keep.depth = 1;
  keep.handover = false;
  NewLegScenario s(MigrationOption::ln_payment, keep);
  s.run();
  EXPECT_EQ(s.client->stage(), NewLegClient::Stage::done);
  EXPECT_FALSE(s.host.client_saw(FlowEventKind::handed_over));
  EXPECT_FALSE(s.vault.holds(1, s.w.client_key().pubkey()));
  EXPECT_TRUE(s.ledger.handed_over().value().empty());
  s.expect_moved();
}

TEST(NewLeg, Option3bTheSettleOfTheNewPtlcIsTheKeyHandover) {
  NewLegScenario s(MigrationOption::ptlc_new);
  s.run();
  EXPECT_TRUE(s.host.lsp_saw(FlowEventKind::key_learned));
  EXPECT_TRUE(s.lsp->learned());
  EXPECT_TRUE(s.lsp->settled());
  EXPECT_FALSE(s.lsp->freezes_leaf());
  EXPECT_EQ(s.client->stage(), NewLegClient::Stage::done);
  EXPECT_EQ(s.vault.key_for(1, s.w.client_key().pubkey()).value().reveal(), s.w.client_key().reveal());
  EXPECT_EQ(s.ledger.handed_over().value().count(s.w.client_key().pubkey().bytes()), 1u);
  s.expect_moved();
}

TEST(NewLeg, NoMigrationIntoAFactoryWhoseExitPathOrDepthIsMissing) {
  NewLegScenario s(MigrationOption::ptlc_new);
  // The funding's depth unknown: not ready.
  auto r = NewLegClient::start(s.cfg, s.w.tip(), std::nullopt);
  EXPECT_EQ(r.error().code, "migrate.new-factory-not-ready");
  // A client that lacks a signature of its path in the new factory.
  factory::Tree partial = *factory::Tree::create(s.w.new_factory->terms);
  s.cfg.new_tree = &partial;
  r = NewLegClient::start(s.cfg, s.w.tip(), s.funding_height());
  EXPECT_EQ(r.error().code, "migrate.new-factory-not-ready");
}

TEST(NewLeg, Option3bPastTheCutoffTheClientGivesTheNewPtlcBackAndKeepsItsKey) {
  NewLegScenario s(MigrationOption::ptlc_new);
  const MigrateRequest req = must(s.start());
  auto accepted = must(NewLegLsp::accept(s.lcfg, req, s.w.tip()));
  s.lsp.emplace(std::move(accepted.first));
  FlowOutput terms;
  terms.to_peer.push_back(accepted.second);
  // The client locks its PTLC and vanishes before L's PTLC reaches it.
  auto terms_hook = s.host.client.message;
  s.host.client.message = [&s, terms_hook](const Message& m) {
    auto r = terms_hook(m);
    s.host.client_online = false;
    return r;
  };
  s.host.send(false, std::move(terms));
  s.host.run();
  s.host.client_online = true;  // let the old PTLC lock in, then go
  s.host.run();
  s.host.client_online = false;
  const uint32_t t_new = *accepted.second.legs.t_new;
  s.host.mine_to(t_new - s.cfg.legs.x_new - s.cfg.legs.cutoff + 1);
  s.host.client_online = true;
  s.host.tick();
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::abandoned));
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::failed));
  EXPECT_FALSE(s.lsp->learned());
  EXPECT_FALSE(s.vault.holds(1, s.w.client_key().pubkey()));
  EXPECT_TRUE(s.ledger.handed_over().value().empty());
  EXPECT_EQ(s.w.old_pair->client.latest_spec().to_holder, s.client_balance);
  EXPECT_EQ(s.w.new_pair->client.latest_spec().to_holder, 0);
  EXPECT_EQ(s.w.new_pair->lsp.latest_spec().to_holder, s.new_lsp_balance);
}

}  // namespace
}  // namespace ladder::migrate::test
