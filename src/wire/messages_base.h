// The connection-level messages every Ladder connection speaks, in BOLT #1's
// layout and type numbers: init, error, warning, ping, pong; and the
// negotiation that turns two inits into an agreed protocol version and
// feature set.
//
// `init` is the first message each side sends after the Noise handshake. On
// top of BOLT #1's fields it carries, in an odd custom TLV record (type
// 65537), the range of Ladder protocol versions the sender speaks. Unknown
// odd init records are kept, so a re-encoded init is byte-identical.
//
// negotiate() is a pure function; its errors (codes "init.*") name what the
// peers disagree on so the host can send an `error` and disconnect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wire/codec.h"
#include "wire/features.h"
#include "wire/frame.h"

namespace ladder::wire {

// The Ladder protocol versions a node speaks, inclusive.
struct ProtocolVersions {
  uint16_t min_version = 0;
  uint16_t max_version = 0;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.min_version, m.max_version);
  }
  bool operator==(const ProtocolVersions&) const = default;
};

inline constexpr uint64_t kProtocolVersionsTlv = 65537;

struct InitTlvs {
  std::optional<std::vector<Bytes32>> networks;  // 1: chain hashes the node serves
  std::optional<Bytes> remote_addr;              // 3: the peer's address as seen by the sender
  std::optional<ProtocolVersions> protocol;      // 65537
  std::vector<TlvRecord> unknown;
  template <class Io, class Self>
  static void records(Io& io, Self& m) {
    io.record(1, m.networks);
    io.record(3, m.remote_addr);
    io.record(kProtocolVersionsTlv, m.protocol);
  }
  bool operator==(const InitTlvs&) const = default;
};

struct Init {
  static constexpr uint16_t kType = 16;
  static constexpr std::string_view kName = "init";
  Bytes global_features;  // legacy; OR-ed with `features`
  Bytes features;
  InitTlvs tlvs;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.global_features, m.features, m.tlvs);
  }
  bool operator==(const Init&) const = default;
};

// `channel_id` all zero refers to the whole connection.
struct ErrorMessage {
  static constexpr uint16_t kType = 17;
  static constexpr std::string_view kName = "error";
  Bytes32 channel_id{};
  Bytes data;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.channel_id, m.data);
  }
  bool operator==(const ErrorMessage&) const = default;
};

struct WarningMessage {
  static constexpr uint16_t kType = 1;
  static constexpr std::string_view kName = "warning";
  Bytes32 channel_id{};
  Bytes data;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.channel_id, m.data);
  }
  bool operator==(const WarningMessage&) const = default;
};

struct Ping {
  static constexpr uint16_t kType = 18;
  static constexpr std::string_view kName = "ping";
  uint16_t num_pong_bytes = 0;
  Bytes ignored;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.num_pong_bytes, m.ignored);
  }
  bool operator==(const Ping&) const = default;
};

struct Pong {
  static constexpr uint16_t kType = 19;
  static constexpr std::string_view kName = "pong";
  Bytes ignored;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.ignored);
  }
  bool operator==(const Pong&) const = default;
};

using BaseMessages = MessageSet<Init, ErrorMessage, WarningMessage, Ping, Pong>;

// The pong a ping asks for, or std::nullopt when num_pong_bytes >= 65532
// (BOLT #1: such a ping must be ignored).
std::optional<Pong> answer_ping(const Ping& ping);

// Error/warning data for logs: verbatim if it is printable ASCII (32..126),
// otherwise "hex:" and its hex.
std::string printable(ByteView data);

// An init offering `versions` and `features`, serving `networks` if given.
Init make_init(ProtocolVersions versions, const FeatureBits& features,
               std::optional<std::vector<Bytes32>> networks = std::nullopt);

struct Negotiated {
  uint16_t version = 0;
  // The even bit of every feature pair both sides offer.
  FeatureBits features;
};

// Agrees on the highest version both speak and the common features.
// `local` must carry a protocol version range (a programmer error otherwise).
// Errors: "init.no-protocol-version" (the remote sent none),
// "init.bad-version-range" (min > max), "init.no-common-version",
// "init.unknown-required-feature" (the remote requires a feature we do not
// offer; Error::index = the bit), "init.missing-required-feature" (we require
// one the remote does not offer), "init.no-common-network" (both list
// networks and none match).
Expected<Negotiated> negotiate(const Init& local, const Init& remote);

}  // namespace ladder::wire
