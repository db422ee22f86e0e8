// The simulator's world: newcomers join with a deposit, the day's factory is
// proposed at 09:00, built (ceremony + channel opens), its batch broadcast
// and confirmed; every satoshi is accounted for before and after.
#include <gtest/gtest.h>

#include "sim/world.h"

namespace ladder::sim {
namespace {

World::Options test_options(bool immediate = false) {
  World::Options o;
  o.lsp.immediate_late_outputs = immediate;
  o.lsp.params = factory::FactoryParams::test_chain();
  o.lsp.channel.to_self_delay = o.lsp.params.to_self_delay;
  o.client.params = o.lsp.params;
  o.client.channel = o.lsp.channel;
  o.client.policy.depth = 1;
  o.client.policy.rejoin = false;  // the tests join explicitly
  return o;
}

Status run_until_offset(World& w, uint32_t offset) {
  while (w.height() % w.lsp().config().blocks_per_day != offset) LADDER_TRY(w.mine_block());
  return ok();
}

// `n` newcomers with 400,000 sat each, joined into the day's factory.
std::vector<PartyId> born_factory(World& w, int n) {
  EXPECT_TRUE(w.fund_lsp(20));
  std::vector<PartyId> clients;
  std::vector<std::pair<PartyId, btc::Amount>> coins;
  for (int i = 0; i < n; ++i) {
    clients.push_back(w.add_client());
    coins.emplace_back(clients.back(), 400'000);
  }
  EXPECT_TRUE(w.give_coins(coins));
  EXPECT_TRUE(run_until_offset(w, 10));
  for (PartyId c : clients) {
    w.set_online(c, true);
    auto coins_of = w.backend().unspent_outputs(w.client(c).wallet_script()).value();
    migrate::Deposit d{coins_of.at(0).outpoint, coins_of.at(0).out};
    EXPECT_TRUE(w.with_client(c, [&](client::Client& cl) { return cl.join(d); }));
  }
  EXPECT_TRUE(run_until_offset(w, 60));
  for (PartyId c : clients) w.set_online(c, false);
  return clients;
}

void expect_no_refusals(const World& w) {
  for (const auto& e : w.events()) EXPECT_EQ(e.kind.rfind("sim.refused", 0), std::string::npos) << e.kind << " " << e.detail;
}

TEST(World, NewcomersJoinAndTheDaysFactoryIsBorn) {
  World w(test_options());
  ASSERT_TRUE(w.fund_lsp(20));
  std::vector<PartyId> clients;
  std::vector<std::pair<PartyId, btc::Amount>> coins;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(w.add_client());
    coins.emplace_back(clients.back(), 400'000);
  }
  ASSERT_TRUE(w.give_coins(coins));
  ASSERT_TRUE(w.check_conservation()) << w.check_conservation().error().to_string();
  ASSERT_TRUE(run_until_offset(w, 10));
  for (PartyId c : clients) {
    w.set_online(c, true);
    auto coins_of = w.backend().unspent_outputs(w.client(c).wallet_script()).value();
    ASSERT_EQ(coins_of.size(), 1u);
    migrate::Deposit d{coins_of[0].outpoint, coins_of[0].out};
    ASSERT_TRUE(w.with_client(c, [&](client::Client& cl) { return cl.join(d); }));
  }
  ASSERT_TRUE(run_until_offset(w, 60));
  ASSERT_EQ(w.lsp().factories().size(), 1u) << (w.lsp().last_error() ? w.lsp().last_error()->to_string() : "");
  const auto& f = w.lsp().factories().begin()->second;
  EXPECT_EQ(f.members.size(), 8u);
  EXPECT_EQ(f.phase, lsp::LiveFactory::Phase::live);
  for (PartyId c : clients) {
    auto& cl = w.client(c);
    ASSERT_EQ(cl.memberships().size(), 1u);
    const auto& m = cl.memberships().begin()->second;
    EXPECT_EQ(m.phase, client::Membership::Phase::live);
    EXPECT_TRUE(m.channel->is_open());
    EXPECT_GT(cl.holdings().total(), 390'000);
  }
  for (const auto& e : w.events()) EXPECT_EQ(e.kind.rfind("sim.refused", 0), std::string::npos) << e.detail;
  EXPECT_TRUE(w.check_conservation()) << w.check_conservation().error().to_string();
  EXPECT_EQ(w.txs().size(), 1u);
  EXPECT_EQ(w.txs()[0].purpose, "batch");
}

TEST(World, PtlcExitsLeaveTheDyingFactory) {
  auto opt = test_options(true);
  opt.client.policy.rejoin = false;
  World w(opt);
  auto clients = born_factory(w, 4);
  ASSERT_EQ(w.lsp().factories().size(), 1u);
  const auto& f = w.lsp().factories().begin()->second;
  const uint32_t end_active = f.heights().end_active;
  while (w.height() < end_active + 1) ASSERT_TRUE(w.mine_block());
  EXPECT_EQ(f.phase, lsp::LiveFactory::Phase::dying);
  std::vector<btc::Amount> before;
  for (PartyId c : clients) before.push_back(w.client(c).holdings().total());
  for (PartyId c : clients) {
    w.set_online(c, true);
    ASSERT_TRUE(w.deliver_all());
    for (int i = 0; i < 12 && w.client(c).busy(); ++i) ASSERT_TRUE(w.mine_block());
    EXPECT_FALSE(w.client(c).busy()) << (w.client(c).last_error() ? w.client(c).last_error()->to_string() : "");
    w.set_online(c, false);
    ASSERT_TRUE(w.check_conservation()) << w.check_conservation().error().to_string();
  }
  for (size_t i = 0; i < clients.size(); ++i) {
    auto& cl = w.client(clients[i]);
    EXPECT_TRUE(cl.memberships().empty());
    const auto h = cl.holdings();
    ASSERT_EQ(h.places.size(), 1u);
    EXPECT_EQ(h.places[0].kind, client::Place::Kind::onchain);
    EXPECT_GT(h.total(), before[i] - 5'000);
  }
  for (const auto& m : f.members) EXPECT_EQ(m.state, lsp::Member::State::departed);
  expect_no_refusals(w);
  EXPECT_TRUE(w.check_conservation()) << w.check_conservation().error().to_string();
}

}  // namespace
}  // namespace ladder::sim
