// The client core's state, as plain structs (client.h owns them): the
// factory it is joining and the factories it is in.
#pragma once

#include <optional>
#include <vector>

#include "channel/channel.h"
#include "factory/signer.h"
#include "factory/tree.h"
#include "migrate/peer_message.h"
#include "migrate/ptlc_exit.h"

namespace ladder::client {

// The factory the client asked to join, through its ceremony.
struct Joining {
  migrate::JoinRequest request;
  uint32_t key_index = 0;                       // of request.factory_key
  std::optional<migrate::JoinOffer> offer;
  std::optional<factory::Signer> signer;        // during the ceremony (memory only: nonces)
  std::optional<channel::Channel> channel;
  std::optional<factory::CeremonyAck> held_ack; // released once the tower acknowledged the path
  bool channel_ready = false;
  uint64_t tower_seq = 0;                       // the tower update the ack waits for (0: none)
  uint64_t factory_id = 0;                      // of the membership the ceremony created
};

// A factory the client is in.
struct Membership {
  enum class Phase : uint8_t {
    constructed,  // signed and acknowledged; funding not yet confirmed
    live,         // funding confirmed at the client's depth
    dying,        // notified of the dying period
    departed,     // its channel holds nothing of its own and L holds its key
    resolved,     // L resolved it after the window: its money is on-chain
  };
  uint64_t factory_id = 0;
  uint32_t index = 0;       // the client's position in the factory
  uint32_t key_index = 0;   // derivation index of its factory key there
  std::optional<factory::Tree> tree;         // its signed path
  std::optional<channel::Channel> channel;   // its side
  Phase phase = Phase::constructed;
  std::optional<uint32_t> funding_height;
  btc::Amount insured = 0;  // Insured(C) on its current path (DESIGN §3.2)
  bool warned_insured = false;
  // What the tower holds: the commitment number, and how many of L's
  // revoked commitments have their justice txs there.
  std::optional<uint64_t> tower_commitment;
  size_t tower_justice = 0;
  uint32_t tower_exit_height = 0;
  std::vector<btc::OutPoint> onchain;        // outputs L told it hold its money (forced resolution)
  std::optional<migrate::Deposit> deposit;   // its coin in the batch, until it signed it

  const factory::Heights& heights() const { return tree->terms().heights; }
};

// The migration in flight (one at a time).
struct ClientMigration {
  migrate::MigrationId id{};
  uint64_t factory = 0;  // the old factory
  migrate::MigrationOption option = migrate::MigrationOption::ptlc_exit;
  std::optional<migrate::PtlcExitClient> ptlc_exit;
};

}  // namespace ladder::client
