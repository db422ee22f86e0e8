#include "chain/block_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "crypto/hash.h"
#include "util/serialize.h"

namespace ladder::chain {

namespace {

enum RecordType : uint8_t { kBlock = 1, kDisconnect = 2, kTime = 3 };

Error io_error(const std::string& what, const std::string& path) {
  return make_error("store.io", what + " " + path + ": " + std::strerror(errno));
}

std::array<uint8_t, 4> checksum(uint8_t type, uint32_t len, ByteView payload) {
  crypto::Sha256 h;
  h.write_u8(type).write_u32le(len).write(payload);
  Bytes32 once = h.finalize();
  Bytes32 twice = crypto::sha256(once);
  return {twice[0], twice[1], twice[2], twice[3]};
}

Expected<Bytes> read_file(int fd, const std::string& path) {
  Bytes data;
  uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path);
    }
    if (n == 0) break;
    data.insert(data.end(), buf, buf + n);
  }
  return data;
}

}  // namespace

BlockStore::~BlockStore() {
  if (fd_ >= 0) ::close(fd_);
}

Expected<std::unique_ptr<BlockStore>> BlockStore::open(const std::string& dir, EmbeddedChain& chain) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("store.io", "create " + dir + ": " + ec.message());
  std::string path = dir + "/chain.dat";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("open", path);
  std::unique_ptr<BlockStore> store(new BlockStore(fd, path));
  LADDER_TRY(store->replay(chain));
  return store;
}

Status BlockStore::replay(EmbeddedChain& chain) {
  LADDER_ASSIGN(Bytes data, read_file(fd_, path_));
  stored_ = {chain.tip().hash};
  stored_time_ = chain.now();
  size_t good = 0;
  Reader r(data);
  while (!r.empty()) {
    auto type = r.u8();
    auto len = r.u32le();
    if (!type || !len || *len > r.remaining()) break;
    ByteView payload = *r.bytes(*len);
    auto sum = r.array<4>();
    if (!sum || *sum != checksum(*type, *len, payload)) break;
    if (*type == kBlock) {
      auto block = parse_block(payload);
      if (!block) return make_error("store.replay", "stored block does not parse: " + block.error().to_string());
      auto s = chain.connect_block(*block, false);
      if (!s) return make_error("store.replay", "stored block does not connect: " + s.error().to_string());
    } else if (*type == kDisconnect) {
      auto s = chain.invalidate(1);
      if (!s) return make_error("store.replay", s.error().to_string());
    } else if (*type == kTime && *len == 8) {
      Reader t(payload);
      chain.set_time(*t.i64le());
    } else {
      return make_error("store.replay", "unknown record type " + std::to_string(*type));
    }
    ++replayed_;
    good = r.position();
  }
  if (good < data.size()) {
    truncated_ = data.size() - good;
    if (::ftruncate(fd_, static_cast<off_t>(good)) != 0) return io_error("truncate", path_);
  }
  if (::lseek(fd_, 0, SEEK_END) < 0) return io_error("seek", path_);
  stored_.clear();
  for (int h = 0; h <= chain.height(); ++h) stored_.push_back(chain.at_height(h)->hash);
  stored_time_ = chain.now();
  return ok();
}

Status BlockStore::append(uint8_t type, ByteView payload) {
  Writer w;
  w.u8(type);
  w.u32le(static_cast<uint32_t>(payload.size()));
  w.bytes(payload);
  w.bytes(checksum(type, static_cast<uint32_t>(payload.size()), payload));
  const Bytes& buf = w.data();
  size_t off = 0;
  while (off < buf.size()) {
    ssize_t n = ::write(fd_, buf.data() + off, buf.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path_);
    }
    off += static_cast<size_t>(n);
  }
  return ok();
}

Status BlockStore::sync(const EmbeddedChain& chain) {
  int common = std::min(static_cast<int>(stored_.size()) - 1, chain.height());
  while (common >= 0 && stored_[static_cast<size_t>(common)] != chain.at_height(common)->hash) --common;
  if (common < 0) return make_error("store.replay", "the chain no longer shares its genesis with the store");
  bool wrote = false;
  while (static_cast<int>(stored_.size()) - 1 > common) {
    LADDER_TRY(append(kDisconnect, stored_.back()));
    stored_.pop_back();
    wrote = true;
  }
  for (int h = common + 1; h <= chain.height(); ++h) {
    const BlockRecord* rec = chain.at_height(h);
    LADDER_TRY(append(kBlock, rec->block->serialize()));
    stored_.push_back(rec->hash);
    wrote = true;
  }
  if (chain.now() != stored_time_) {
    Writer t;
    t.i64le(chain.now());
    LADDER_TRY(append(kTime, t.data()));
    stored_time_ = chain.now();
    wrote = true;
  }
  if (wrote && ::fdatasync(fd_) != 0) return io_error("fdatasync", path_);
  return ok();
}

}  // namespace ladder::chain
