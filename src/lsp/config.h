// What an LSP operator configures: the parameters of every factory and
// channel it opens, its daily schedule, its liquidity and fee policy.
// Numbers are DESIGN §10's defaults; every one is a parameter.
#pragma once

#include <cstdint>

#include "channel/params.h"
#include "crypto/factory_keys.h"
#include "factory/params.h"

namespace ladder::lsp {

struct LspConfig {
  factory::FactoryParams params;     // of every new factory
  channel::ChannelParams channel;    // of every channel L opens
  crypto::KeyNetwork network = crypto::KeyNetwork::test;

  // Schedule, in blocks (a day is blocks_per_day blocks; offsets count from
  // the day's first block).
  uint32_t blocks_per_day = 144;
  uint32_t ceremony_offset = 54;     // 09:00: the day's factory is proposed
  uint32_t stage_timeout = 12;       // blocks a ceremony stage waits before it drops stragglers
  uint32_t funding_depth = 1;        // a new factory's channels are live at this depth
  uint32_t max_clients = 1024;       // per factory

  // Liquidity and fees.
  btc::Amount lstock_per_leaf = 50'000;
  btc::Amount min_inbound = 50'000;  // L's side of a new channel, at least
  btc::Amount join_fee = 0;          // taken from a deposit
  btc::Amount migration_fee_base = 0;
  uint32_t migration_fee_ppm = 0;
  btc::Amount fallback_fee_rate = 2000;  // sat/kvB when the chain gives no estimate

  // Batching (DESIGN §6): option-2/3 migrations that arrive after the day's
  // batch froze wait for the next day's batch, or get a tx of their own at
  // once when this is set.
  bool immediate_late_outputs = false;
};

}  // namespace ladder::lsp
