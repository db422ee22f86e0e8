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
#include "migrate/ptlc_exit.h"
#include "migrate/peer_message.h"

namespace ladder::lsp {

// Big-endian id bytes of a record.
inline Bytes be64(uint64_t v) {
  Bytes b(8);
  for (int i = 0; i < 8; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (56 - 8 * i));
  return b;
}

// A client waiting for the next factory.
struct Joiner {
  core::PeerId peer{};
  migrate::JoinRequest request;
  btc::Amount client_balance = 0;
  btc::Amount lsp_balance = 0;
  btc::Amount fee = 0;
};

// The day's factory: its joiners (in terms order), terms, the batch that
// carries its funding, the ceremony, and the deposit signatures collected
// once the construction completed.
struct Building {
  uint64_t factory_id = 0;
  std::vector<Joiner> joiners;
  factory::FactoryTerms terms;
  uint64_t batch_id = 0;
  std::optional<Construction> construction;
  std::map<uint32_t, Bytes64> deposit_sigs;  // client index -> signature on its deposit input
  bool constructed = false;
};

// A frozen batch not yet broadcast: what it carries and how far its claim
// sessions got.
struct PendingBatch {
  migrate::Batch batch;
  std::optional<uint64_t> factory;               // the funding it carries
  std::vector<migrate::MigrationId> migrations;  // the O outputs it carries
  std::optional<uint32_t> claims_started_at;
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

// One migration on L's side: the option's flow and where its O is.
struct LspMigration {
  migrate::MigrationId id{};
  core::PeerId peer{};
  uint64_t factory = 0;  // the old factory
  uint32_t client = 0;   // the client's index there
  migrate::MigrationOption option = migrate::MigrationOption::ptlc_exit;
  std::optional<migrate::PtlcExitLsp> ptlc_exit;
  std::optional<uint64_t> batch;  // the batch holding its O
  bool queued = false;            // its O waits for the next batch
  bool finished = false;
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
