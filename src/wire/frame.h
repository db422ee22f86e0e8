// Framing between the Noise transport and the codec: every plaintext the
// transport carries is one message, `u16 type || payload` (BOLT #1), at most
// 65535 bytes in all (BOLT #8's length prefix).
//
// A message type is a wire struct (codec.h) with `static constexpr uint16_t
// kType` and `static constexpr std::string_view kName`. A MessageSet names
// the messages a connection understands and decodes a frame into one of them,
// applying BOLT #1's "it's ok to be odd" rule to types it does not know: an
// unknown odd type is ignored, an unknown even type ends the connection.
//
// Errors: "frame.truncated" (under 2 bytes), "frame.too-large" (above the
// maximum), "frame.wrong-type", "frame.unknown-even-type", and the payload's
// codec errors. Everything here is a pure function; thread-safe.
#pragma once

#include <array>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "wire/codec.h"

namespace ladder::wire {

inline constexpr size_t kMaxMessageSize = 65535;

template <class M>
concept WireMessage = WireStruct<M> && requires {
  { M::kType } -> std::convertible_to<uint16_t>;
  { M::kName } -> std::convertible_to<std::string_view>;
};

struct Frame {
  uint16_t type = 0;
  ByteView payload;  // points into the parsed message
};

Expected<Frame> parse_frame(ByteView message, size_t max_size = kMaxMessageSize);

// `type || payload`; error "frame.too-large".
Expected<Bytes> write_frame(uint16_t type, ByteView payload, size_t max_size = kMaxMessageSize);

enum class UnknownTypeRule { kIgnore, kDisconnect };
constexpr UnknownTypeRule unknown_type_rule(uint16_t type) {
  return type % 2 == 1 ? UnknownTypeRule::kIgnore : UnknownTypeRule::kDisconnect;
}

template <WireMessage M>
Expected<Bytes> encode_message(const M& m, size_t max_size = kMaxMessageSize) {
  Encoder e;
  e(static_cast<uint16_t>(M::kType), m);
  LADDER_ASSIGN(Bytes out, std::move(e).finish());
  if (out.size() > max_size)
    return make_error("frame.too-large", std::string(M::kName) + " is " + std::to_string(out.size()) + " bytes > " +
                                             std::to_string(max_size));
  return out;
}

template <WireMessage M>
Expected<M> decode_message(ByteView message, size_t max_size = kMaxMessageSize) {
  LADDER_ASSIGN(Frame f, parse_frame(message, max_size));
  if (f.type != M::kType)
    return make_error("frame.wrong-type",
                      "expected " + std::string(M::kName) + " (" + std::to_string(M::kType) + "), got type " +
                          std::to_string(f.type));
  return decode<M>(f.payload);
}

template <WireMessage... Ms>
class MessageSet {
 public:
  using Variant = std::variant<Ms...>;

  static constexpr bool contains(uint16_t type) { return ((Ms::kType == type) || ...); }

  // The message's name for logs, or "unknown".
  static constexpr std::string_view name(uint16_t type) {
    std::string_view out = "unknown";
    (void)((Ms::kType == type ? (out = Ms::kName, true) : false) || ...);
    return out;
  }

  // A known message, std::nullopt for an unknown odd type (to be ignored),
  // or an error (an unknown even type, a bad frame, a bad payload).
  static Expected<std::optional<Variant>> decode(ByteView message, size_t max_size = kMaxMessageSize) {
    LADDER_ASSIGN(Frame f, parse_frame(message, max_size));
    std::optional<Expected<std::optional<Variant>>> out;
    (void)((f.type == Ms::kType ? (out.emplace(decode_as<Ms>(f.payload)), true) : false) || ...);
    if (out) return std::move(*out);
    if (unknown_type_rule(f.type) == UnknownTypeRule::kIgnore) return std::optional<Variant>();
    return make_error("frame.unknown-even-type", "unknown even message type " + std::to_string(f.type));
  }

  static Expected<Bytes> encode(const Variant& v, size_t max_size = kMaxMessageSize) {
    return std::visit([&](const auto& m) { return encode_message(m, max_size); }, v);
  }

 private:
  template <class M>
  static Expected<std::optional<Variant>> decode_as(ByteView payload) {
    auto m = wire::decode<M>(payload);
    if (!m) return make_error(m.error().code, std::string(M::kName) + ": " + m.error().message);
    return std::optional<Variant>(Variant(std::in_place_type<M>, std::move(*m)));
  }

  static constexpr bool distinct_types() {
    const std::array<uint16_t, sizeof...(Ms)> types{static_cast<uint16_t>(Ms::kType)...};
    for (size_t i = 0; i < types.size(); ++i)
      for (size_t j = i + 1; j < types.size(); ++j)
        if (types[i] == types[j]) return false;
    return true;
  }
  static_assert(distinct_types(), "two messages in a MessageSet share a type number");
};

}  // namespace ladder::wire
