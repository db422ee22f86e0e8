// What the LSP proposes for one factory and every client checks: the
// parameters and heights, the participants' factory keys, each client's
// channel (its own and L's initial balance), L's stock per leaf, and the
// funding outpoint. A FactoryTerms value plus the state indices determine
// every transaction of the tree.
#pragma once

#include <cstdint>
#include <vector>

#include "btc/tx.h"
#include "util/bytes.h"
#include "factory/params.h"

namespace ladder::factory {

struct ClientTerms {
  Bytes33 key{};                 // the client's factory key for this factory (compressed)
  btc::Amount client_balance = 0;
  btc::Amount lsp_balance = 0;   // L's side of the channel (the client's inbound liquidity)
  btc::Amount capacity() const { return client_balance + lsp_balance; }
  bool operator==(const ClientTerms&) const = default;
};

struct FactoryTerms {
  uint64_t factory_id = 0;
  FactoryParams params;
  Heights heights;
  Bytes33 lsp_key{};                   // L's factory key for this factory (compressed)
  std::vector<ClientTerms> clients;    // tree order: leaves take consecutive clients
  std::vector<btc::Amount> lstock;     // initial L-stock per leaf, in leaf order
  btc::OutPoint funding;               // the funding output the root spends
  bool operator==(const FactoryTerms&) const = default;
};

}  // namespace ladder::factory
