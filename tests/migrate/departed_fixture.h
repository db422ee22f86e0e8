// A factory on the embedded chain with an in-process channel pair (L's side
// and the client's) on every client's channel output, for the tests of what
// L does with handed-over keys and with clients who never come: clients
// depart (empty their channel to L, hand their key over), L reallocates with
// the present clients, sweeps, evicts. Also a ledger that checks
// conservation to the satoshi over every tx of a scenario.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "channel_fixture.h"
#include "migrate/key_vault.h"
#include "migrate/reallocation.h"
#include "migrate/reallocation_channels.h"
#include "store/memory_store.h"
#include "support/factory_harness.h"

namespace ladder::migrate::test {

using channel::test::must;

class DepartedWorld : public ::testing::Test {
 protected:
  chain::EmbeddedChain chain;
  ladder::test::TestWallet wallet{chain};
  std::optional<ladder::test::FactoryHarness> h;
  std::map<uint32_t, channel::test::Pair> channels;  // by client
  std::set<uint32_t> departed;
  store::MemoryStore lsp_store;
  KeyVault vault{lsp_store};  // L's handed-over keys, scoped to their factory
  Bytes lsp_wallet = ladder::test::p2tr_of(crypto::SecretKey::generate().pubkey());

  void SetUp() override { wallet.mine_coins(6); }
  uint32_t height() const { return static_cast<uint32_t>(chain.height()); }

  // Builds and confirms a factory; channels are opened by open_channels().
  void build(uint32_t clients, factory::FactoryParams params = factory::FactoryParams::test_chain());
  // Opens a channel pair on every client's current channel output.
  void open_channels();
  // Client c pays its whole balance to L (as a migration would) and hands
  // its factory key over (into L's vault); returns L's keys of every
  // departed client, as the vault gives them for this factory.
  DepartedKeys depart(uint32_t c);
  DepartedKeys keys();

  // Quiescence and the re-binding of one pair to `b`; `withhold` stops it
  // after that many messages (of stfu, propose, signed, complete).
  void rebind(channel::test::Pair& p, const channel::Binding& b, int withhold = 4);
  // A whole reallocation with every present client in-process: its review,
  // its UpdateSigner, the re-binding of its channel; installs the updated
  // trees and activates the new bindings. Returns the proposal.
  factory::UpdateProposal reallocate(uint32_t leaf, uint64_t update_id);
  // Liquidity sales with no channel open yet (moves the leaf's odometer).
  void sale(uint32_t leaf, btc::Amount amount);

  factory::Tree& lsp_tree() { return h->lsp_tree(); }
  std::function<bool(const btc::Txid&)> nothing_seen() const {
    return [](const btc::Txid&) { return false; };
  }
};

// Conservation over a scenario: every tx's fee, every output nobody spent,
// grouped by owner. `owner(script)` names the party of a final output;
// unknown scripts are reported as "?".
struct Ledger {
  btc::Amount fees = 0;
  std::map<std::string, btc::Amount> by_owner;
  btc::Amount total() const;
};
Ledger account(const chain::EmbeddedChain& chain, const std::vector<btc::Transaction>& txs,
               const std::function<std::string(const btc::TxOut&)>& owner);
// The value of every input of `txs` that no tx of `txs` created.
btc::Amount put_in(const chain::EmbeddedChain& chain, const std::vector<btc::Transaction>& txs);

}  // namespace ladder::migrate::test
