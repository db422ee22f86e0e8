// The LSP core's state, as plain structs (lsp.h owns them): joiners waiting
// for the next factory, the day's factory under construction with its
// batch, live factories with L's side of every channel, broadcast batches.
#pragma once

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "channel/channel.h"
#include "core/host.h"
#include "factory/tree.h"
#include "lsp/construction.h"
#include "migrate/batch.h"
#include "migrate/peer_message.h"

namespace ladder::lsp {

// A client waiting for the next factory.
struct Joiner {
  core::PeerId peer{};
  migrate::JoinRequest request;
  btc::Amount client_balance = 0;
  btc::Amount lsp_balance = 0;
  btc::Amount fee = 0;
};

// The day's factory: its joiners (in terms order), terms, the frozen batch
// carrying its funding, the ceremony, and the deposit signatures collected
// once the construction completed.
struct Building {
  uint64_t factory_id = 0;
  std::vector<Joiner> joiners;
  factory::FactoryTerms terms;
  std::optional<migrate::Batch> batch;
  std::optional<Construction> construction;
  std::map<uint32_t, Bytes64> deposit_sigs;  // client index -> signature on its deposit input
  bool constructed = false;
};

// A client's place in a live factory, on L's side.
struct Member {
  enum class State : uint8_t { active, migrating, departed, resolved };
  core::PeerId peer{};
  std::optional<channel::Channel> channel;  // L's side
  State state = State::active;
};

struct LiveFactory {
  enum class Phase : uint8_t { broadcast, live, dying, resolving, closed };
  uint64_t id = 0;
  std::optional<factory::Tree> tree;  // L's tree: every signature
  std::vector<Member> members;        // by client index
  uint64_t batch_id = 0;
  btc::Txid funding_txid;
  std::optional<uint32_t> funding_height;
  Phase phase = Phase::broadcast;

  const factory::Heights& heights() const { return tree->terms().heights; }
};

// A batch L broadcast, tracked until it is deep enough.
struct BatchRecord {
  migrate::Batch batch;
  std::optional<uint32_t> confirmed_at;
};

// A record of the core's store: (kind, id).
struct StoreKey {
  std::string kind;
  Bytes id;
  auto operator<=>(const StoreKey&) const = default;
};

}  // namespace ladder::lsp
