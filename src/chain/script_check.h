// Script verification of a whole transaction against the coins it spends:
// the one place the chain calls the script interpreter (btc/interpreter.h).
//
// The per-transaction sighash midhashes are computed once and shared by all
// inputs. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "btc/tx.h"
#include "chain/coins.h"
#include "util/expected.h"

namespace ladder::chain {

// Verifies every input's scripts under `flags`. On failure returns the
// interpreter's error ("script.<name>", Error::index = the input).
Status verify_scripts(const btc::Transaction& tx, std::span<const Coin* const> coins, uint32_t flags);

// Verification for relay as Bitcoin Core does it: under the standard flags;
// on failure, again under the consensus flags to tell a policy failure
// ("non-mandatory-script-verify-flag") from a consensus one
// ("mandatory-script-verify-flag-failed"). The message is the script error.
Status verify_scripts_for_relay(const btc::Transaction& tx, std::span<const Coin* const> coins);

}  // namespace ladder::chain
