// Channel parameters and the deadlines an in-factory channel enforces
// (DESIGN §4).
//
// ChannelParams is a plain value both sides agree on at open (the funder, L,
// proposes; the client checks). Amounts are in satoshis: in-factory channels
// move whole satoshis, so commitments need no millisatoshi rounding and the
// on-chain balances match the channel state exactly.
//
// Deadlines carry the factory's timeout TO and enforcement time X: the
// channel refuses an HTLC/PTLC whose expiry is later than TO − X or leaves
// the receiver less than X blocks to enforce it (R). A channel on a plain
// on-chain output has no TO; X is then the blocks its holder needs to get a
// commitment and a claim confirmed.
//
// Thread-safety: plain values. Failure: validate() returns
// "channel.bad-params" naming the offending field.
#pragma once

#include <cstdint>
#include <optional>

#include "btc/amount.h"
#include "util/expected.h"

namespace ladder::channel {

struct ChannelParams {
  btc::Amount dust_limit = 330;            // P2TR dust: smaller outputs are trimmed to fees
  btc::Amount max_in_flight = 10 * btc::COIN;  // per direction: value of pending locks one side offered
  uint32_t max_locks = 100;                // per direction: pending locks one side offered
  btc::Amount min_lock_amount = 1;         // smallest HTLC/PTLC
  btc::Amount max_dust_exposure = 200'000; // trimmed (unenforceable) lock value, both directions
  uint32_t to_self_delay = 144;            // CSV on the holder's own claims
  btc::Amount fee_rate_sat_per_kvb = 2000; // commitment and pre-signed claim fee rate
  btc::Amount anchor_value = 240;          // the P2A anchor of every pre-signed tx
  btc::Amount funder_reserve = 0;          // L keeps its own reserve; clients have none (DESIGN §4)
  bool operator==(const ChannelParams&) const = default;
};

Status validate(const ChannelParams& p);

struct Deadlines {
  std::optional<uint32_t> factory_timeout;  // TO; none for a channel on an on-chain output
  uint32_t enforcement_time = 0;            // X
  bool operator==(const Deadlines&) const = default;
};

// The check every HTLC/PTLC expiry passes, on both sides, at `height`:
// "channel.expiry-after-deadline" (expiry > TO − X) or
// "channel.expiry-too-soon" (expiry < height + X).
Status check_expiry(const Deadlines& d, uint32_t height, uint32_t expiry);

}  // namespace ladder::channel
