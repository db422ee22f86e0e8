// Builds a factory on the embedded chain with every participant in-process:
// keys, terms with a real funding tx from the test wallet, and the whole
// two-round ceremony through Signer and Coordinator (the same code the LSP
// and clients run). Tests tamper with steps by running them one at a time.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "factory/coordinator.h"
#include "factory/signer.h"
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

  factory::Tree& lsp_tree() { return coordinator->tree(); }
  factory::Tree& client_tree(uint32_t c) { return signers.at(c).tree(); }

  std::optional<factory::Coordinator> coordinator;
  std::vector<factory::Signer> signers;  // clients
  std::optional<factory::Signer> lsp_signer;
  // Guard tables and stores, one per participant (clients, then L).
  std::vector<std::unique_ptr<factory::GuardTable>> guards;
  std::vector<std::unique_ptr<factory::MemoryGuardStore>> stores;

 private:
  chain::EmbeddedChain& chain_;
  TestWallet& wallet_;
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
