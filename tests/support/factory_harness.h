// Builds a factory on the embedded chain with every participant in-process:
// keys, terms with a real funding tx from the test wallet, and the whole
// two-round ceremony through Signer and Coordinator (the same code the LSP
// and clients run). Tests tamper with steps by running them one at a time.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "factory/coordinator.h"
#include "factory/signer.h"
#include "factory/update.h"
#include "support/wallet.h"

namespace ladder::test {

struct FactorySetup {
  uint32_t clients = 8;
  factory::FactoryParams params = factory::FactoryParams::test_chain();
  btc::Amount client_balance = 150'000;
  btc::Amount lsp_balance = 100'000;
  btc::Amount lstock = 60'000;  // per leaf
  uint64_t factory_id = 1;
};

class FactoryHarness {
 public:
  FactoryHarness(chain::EmbeddedChain& chain, TestWallet& wallet, FactorySetup setup);

  // The terms the LSP proposes, with a funding tx paying the tree's value.
  factory::FactoryTerms terms;
  btc::Transaction funding_tx;
  crypto::SecretKey lsp_key;
  std::vector<crypto::SecretKey> client_keys;
  FactorySetup setup;

  factory::ClientExpectations expectations(uint32_t client) const;
  // Runs the whole ceremony; throws std::runtime_error naming the failing step.
  void run_ceremony();
  // After run_ceremony: broadcast and confirm the funding tx.
  void confirm_funding();

  // Each participant's own copy of the tree (after run_ceremony).
  factory::Tree& lsp_tree() { return *lsp_tree_; }
  factory::Tree& client_tree(uint32_t c) { return client_trees_.at(c); }

  // Runs a tree update with every signer of the subtree in-process (clients
  // expect the capacities the proposal gives them) and installs the updated
  // trees. Throws naming the failing step.
  void run_update(const factory::UpdateProposal& update);
  factory::UpdateProposal leaf_update(uint32_t leaf, std::vector<btc::Amount> caps, bool departure = false);
  // Txids the participants have "seen broadcast" (for check_not_published).
  std::set<btc::Txid> seen;

  std::optional<factory::Coordinator> coordinator;
  std::vector<factory::Signer> signers;  // clients
  std::optional<factory::Signer> lsp_signer;
  // Guard tables and stores, one per participant (clients, then L).
  std::vector<std::unique_ptr<factory::GuardTable>> guards;
  std::vector<std::unique_ptr<factory::MemoryGuardStore>> stores;

 private:
  chain::EmbeddedChain& chain_;
  TestWallet& wallet_;
  std::optional<factory::Tree> lsp_tree_;
  std::vector<factory::Tree> client_trees_;
  uint64_t next_update_id_ = 1;
};

}  // namespace ladder::test

namespace ladder::test {

// Confirmation height of a tx on the embedded chain, if confirmed.
std::optional<uint32_t> confirmed_height(const chain::EmbeddedChain& chain, const btc::Txid& txid);

// Publishes the exit path of `client` (or of `node` when given), mining
// blocks as relative locks require, until its leaf state confirms. Returns
// the txs it broadcast. Throws if the chain rejects one.
std::vector<btc::Transaction> execute_exit(chain::EmbeddedChain& chain, TestWallet& wallet, factory::Tree& tree,
                                           uint32_t client);
std::vector<btc::Transaction> execute_to_node(chain::EmbeddedChain& chain, TestWallet& wallet, factory::Tree& tree,
                                              uint32_t node);

}  // namespace ladder::test
