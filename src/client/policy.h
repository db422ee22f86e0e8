// What a client's user (or its wallet's defaults) decides: which way out of
// a dying factory it prefers, what it is willing to pay, whether it hands
// its old factory key over, the confirmation depth it waits for, and the
// inbound liquidity it asks for when it joins a factory.
#pragma once

#include <cstdint>
#include <optional>

#include "btc/amount.h"
#include "migrate/messages.h"

namespace ladder::client {

struct ClientPolicy {
  migrate::MigrationOption preferred = migrate::MigrationOption::ptlc_new;
  btc::Amount max_fee_base = 1'000;    // the largest migration fee it accepts: base + ppm of the amount
  uint32_t max_fee_ppm = 5'000;
  bool hand_over = true;               // options 1 and 2: give L the old key once the channel is empty
  uint32_t depth = 3;                  // d: confirmations it waits for on-chain and for a new factory
  uint32_t max_wait = 432;             // latest batch / start height it accepts, from its tip
  btc::Amount inbound = 100'000;       // L's side it asks for in a new channel
  bool rejoin = true;                  // after an on-chain exit, join the next factory with a deposit
  double warn_insured_fraction = 0.9;  // warn when the balance passes this share of Insured(C)
};

}  // namespace ladder::client
