// Host services of the sans-IO cores (DESIGN §9): the small interfaces a
// host — the simulator or a daemon — gives the Lsp, Client and Tower cores,
// gathered in one struct.
//
// What a core may ask synchronously: the chain's tip height, a fee estimate,
// the unspent outputs paying a script of its own wallet, and the status of a
// tx; its RecordStore (MemoryStore in the simulator, SqliteStore in the
// daemons); a logger; and randomness for protocol choices (ids, key
// indices). Everything else the core learns from its inputs (peer messages,
// chain events, ticks) and everything it does goes to its drained output
// queues (core/outbox.h): no threads, sockets, clocks or disk inside a core.
//
// Ownership: the host owns every service and keeps it alive as long as the
// core. Thread-safety: a core calls its services from the host's thread
// only. Failure: chain queries return Expected ("chain.*" codes of the
// backend); a core treats a failed query as "try again at the next tick".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "chain/backend.h"
#include "store/record_store.h"

namespace ladder::core {

// A peer: its node public key (the Noise static key in the daemons).
using PeerId = Bytes33;

class ChainView {
 public:
  virtual ~ChainView() = default;
  virtual Expected<uint32_t> tip_height() = 0;
  // sat per 1000 vB to confirm within `target_blocks`.
  virtual Expected<btc::Amount> fee_rate(int target_blocks) = 0;
  // Confirmed and mempool outputs paying exactly `script` that nothing spends.
  virtual Expected<std::vector<chain::Utxo>> unspent(ByteView script) = 0;
  virtual Expected<std::optional<chain::TxStatus>> tx_status(const btc::Txid& txid) = 0;
};

// A ChainView over any chain::Backend (embedded or bitcoind).
class BackendView final : public ChainView {
 public:
  explicit BackendView(chain::Backend& backend) : backend_(backend) {}
  Expected<uint32_t> tip_height() override;
  Expected<btc::Amount> fee_rate(int target_blocks) override;
  Expected<std::vector<chain::Utxo>> unspent(ByteView script) override;
  Expected<std::optional<chain::TxStatus>> tx_status(const btc::Txid& txid) override;

 private:
  chain::Backend& backend_;
};

enum class LogLevel : uint8_t { debug, info, warn, error };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view who, std::string_view message) = 0;
};

class NullLogger final : public Logger {
 public:
  void log(LogLevel, std::string_view, std::string_view) override {}
};

// Randomness for protocol choices. Key material and MuSig2 nonces never come
// from here: the crypto layer draws those from the system RNG.
class Random {
 public:
  virtual ~Random() = default;
  virtual Bytes32 bytes32() = 0;
  // Uniform in [0, n); n > 0.
  uint64_t below(uint64_t n);
};

// The system RNG (daemons).
class SystemRandom final : public Random {
 public:
  Bytes32 bytes32() override;
};

// A deterministic stream: SHA-256(seed || counter) (simulator, tests).
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : seed_(seed) {}
  Bytes32 bytes32() override;

 private:
  uint64_t seed_;
  uint64_t counter_ = 0;
};

struct Host {
  ChainView& chain;
  store::RecordStore& store;
  Logger& log;
  Random& random;
};

}  // namespace ladder::core
