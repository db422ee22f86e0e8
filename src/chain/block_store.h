// BlockStore: the embedded chain's state on disk, so a killed `ladder
// chaind` restarts with its chain intact.
//
// One append-only file (`chain.dat` in the data directory) of records:
// a connected block (its serialization), a disconnection of the tip, or the
// mock clock's value. Each record is [type u8][length u32le][payload]
// [first 4 bytes of SHA256d(type, length, payload)] and is followed by
// fdatasync, so what sync() reported as written survives a crash. On open, a
// torn or corrupt tail (a crash mid-write) is cut off and the chain is
// rebuilt by replaying the records (blocks were validated when first
// connected, so scripts are not verified again). The mempool is not stored,
// as with a bitcoind killed without writing mempool.dat.
//
// Errors: "store.io" (open/write/sync failures, with errno text),
// "store.replay" (a stored block no longer connects: the file does not
// belong to these chain parameters). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "chain/embedded_chain.h"

namespace ladder::chain {

class BlockStore {
 public:
  ~BlockStore();
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  // Opens (creating if needed) `dir`/chain.dat and replays it into `chain`,
  // which must be freshly constructed.
  static Expected<std::unique_ptr<BlockStore>> open(const std::string& dir, EmbeddedChain& chain);

  // Appends what changed in `chain` since the last sync (disconnections,
  // new blocks, the clock).
  Status sync(const EmbeddedChain& chain);

  size_t records_replayed() const { return replayed_; }
  size_t bytes_truncated() const { return truncated_; }

 private:
  BlockStore(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status append(uint8_t type, ByteView payload);
  Status replay(EmbeddedChain& chain);

  int fd_ = -1;
  std::string path_;
  std::vector<Bytes32> stored_;  // hash per height of the stored chain
  int64_t stored_time_ = 0;
  size_t replayed_ = 0;
  size_t truncated_ = 0;
};

}  // namespace ladder::chain
