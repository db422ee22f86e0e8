// Message codec: every wire struct is defined once and that one definition
// drives both encoding and decoding.
//
// A struct lists its fields in order in a single visitor that an Encoder
// (Self = const T) and a Decoder (Self = T) both run:
//
//   struct Ping {
//     static constexpr uint16_t kType = 18;
//     uint16_t num_pong_bytes = 0;
//     Bytes ignored;
//     template <class Io, class Self> static void fields(Io& io, Self& m) { io(m.num_pong_bytes, m.ignored); }
//     bool operator==(const Ping&) const = default;
//   };
//
// The field's C++ type picks its encoding (all integers big-endian):
//   uint8_t/16/32/64, int8_t..int64_t   fixed width (signed: two's complement)
//   std::array<uint8_t, N>              N raw bytes (Bytes32, Bytes33, Bytes64)
//   Bytes                               u16 length, then the bytes
//   std::vector<T>                      u16 count, then each element (each
//                                       encodes to at least one byte)
//   a struct with fields()              its fields, nested
//   Truncated<U> (Tu16/Tu32/Tu64)       BOLT #1 tuNN: minimal big-endian, takes
//                                       the rest of its record (last field only)
//   a TLV stream struct                 a BOLT #1 TLV stream; takes the rest of
//                                       the message, so it is the last field
// and `io.point(m.key)` reads a Bytes33 that must be a valid secp256k1 point.
//
// A TLV stream struct declares its known records, in increasing type order,
// each an std::optional, and keeps the unknown odd records it received:
//
//   struct InitTlvs {
//     std::optional<std::vector<Bytes32>> networks;   // type 1
//     std::vector<TlvRecord> unknown;
//     template <class Io, class Self> static void records(Io& io, Self& m) { io.record(1, m.networks); }
//   };
//
// Inside a record, Bytes and std::vector<T> take the whole value with no
// length prefix (BOLT's `...*byte`, `...*chain_hash`); any other type is
// encoded as above and must fill the value exactly.
//
// Decoding never reads outside its input and fails with a clear error:
// "wire.truncated", "wire.trailing" (bytes after the last field),
// "wire.oversized-count" (a count the remaining bytes cannot hold),
// "wire.invalid-point", "tlv.bad-length" (a known record's value has the
// wrong size), "tlv.non-minimal-value", "tlv.unknown-even", and the stream
// errors of tlv.h. Encoding fails only with "wire.too-long" (a byte string or
// vector over 65535 entries). A decoded message re-encodes to exactly its
// input bytes: every accepted encoding is canonical.
//
// Defining a struct wrongly (a field after a TLV stream, records out of
// order, an unknown record colliding with a known type) is a programmer
// error: std::logic_error. Encoder and Decoder are single-use, not
// thread-safe, and borrow nothing beyond the input view.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/bytes.h"
#include "util/expected.h"
#include "util/serialize.h"
#include "wire/tlv.h"

namespace ladder::wire {

class Encoder;
class Decoder;
class TlvRecordWriter;
class TlvRecordReader;

// BOLT #1 truncated unsigned integer: big-endian without leading zero bytes.
template <std::unsigned_integral U>
struct Truncated {
  U value = 0;
  bool operator==(const Truncated&) const = default;
};
using Tu16 = Truncated<uint16_t>;
using Tu32 = Truncated<uint32_t>;
using Tu64 = Truncated<uint64_t>;

template <class T>
concept WireStruct = requires(Encoder& e, Decoder& d, const T& c, T& t) {
  T::fields(e, c);
  T::fields(d, t);
};

template <class T>
concept TlvStream = requires(TlvRecordWriter& w, TlvRecordReader& r, const T& c, T& t) {
  T::records(w, c);
  T::records(r, t);
  { t.unknown } -> std::same_as<std::vector<TlvRecord>&>;
};

namespace detail {
template <class>
inline constexpr bool kDependentFalse = false;
template <class T>
inline constexpr bool kIsByteArray = false;
template <size_t N>
inline constexpr bool kIsByteArray<std::array<uint8_t, N>> = true;
template <class T>
inline constexpr bool kIsVector = false;
template <class T, class A>
inline constexpr bool kIsVector<std::vector<T, A>> = true;
template <class T>
inline constexpr bool kIsTruncated = false;
template <class U>
inline constexpr bool kIsTruncated<Truncated<U>> = true;

template <class T>
concept Integer = std::integral<T> && !std::same_as<T, bool>;

// Wire size of a fixed-size type, 0 if variable.
template <class T>
constexpr size_t fixed_size() {
  if constexpr (Integer<T>) return sizeof(T);
  else if constexpr (kIsByteArray<T>) return std::tuple_size_v<T>;
  else return 0;
}

// The largest count or length a u16 prefix can carry.
inline constexpr size_t kMaxU16 = 0xffff;
}  // namespace detail

class Encoder {
 public:
  template <class... Ts>
  void operator()(const Ts&... vs) {
    (put(vs), ...);
  }
  void point(const Bytes33& p) { put(p); }
  // The whole value of a TLV record (see the header comment).
  template <class T>
  void record_value(const T& v);

  Expected<Bytes> finish() && {
    if (err_) return *err_;
    return w_.take();
  }

 private:
  template <class T>
  void put(const T& v);
  template <class S>
  void put_tlv_stream(const S& s);
  template <std::unsigned_integral U>
  void put_be(U v, size_t width) {
    for (size_t i = width; i-- > 0;) w_.u8(static_cast<uint8_t>(v >> (8 * i)));
  }
  bool count_fits(size_t n, const char* what) {
    if (n <= detail::kMaxU16) return true;
    err_ = make_error("wire.too-long", std::string(what) + " of " + std::to_string(n) + " entries exceeds 65535");
    return false;
  }

  Writer w_;
  std::optional<Error> err_;
  bool closed_ = false;  // a TLV stream was written; nothing may follow it
};

class Decoder {
 public:
  explicit Decoder(ByteView data) : r_(data) {}

  template <class... Ts>
  void operator()(Ts&... vs) {
    (get(vs), ...);
  }
  void point(Bytes33& p);
  template <class T>
  void record_value(T& v);

  bool ok() const { return !err_; }
  size_t remaining() const { return r_.remaining(); }
  // The first error, or "wire.trailing" if input is left over.
  Status finish() const {
    if (err_) return *err_;
    if (!r_.empty())
      return make_error("wire.trailing", std::to_string(r_.remaining()) + " unexpected bytes at offset " +
                                             std::to_string(r_.position()));
    return ok_status();
  }

 private:
  friend class TlvRecordReader;
  static Status ok_status() { return {}; }
  template <class T>
  void get(T& v);
  template <class S>
  void get_tlv_stream(S& s);
  void fail(std::string code, std::string message) {
    if (!err_) err_ = make_error(std::move(code), std::move(message) + " (offset " + std::to_string(r_.position()) + ")");
  }
  // Reads n bytes or fails with "wire.truncated".
  std::optional<ByteView> take(size_t n, const char* what) {
    if (r_.remaining() < n) {
      fail("wire.truncated", std::string(what) + " needs " + std::to_string(n) + " bytes, " +
                                 std::to_string(r_.remaining()) + " left");
      return std::nullopt;
    }
    return r_.bytes(n).value();
  }
  template <std::unsigned_integral U>
  std::optional<U> get_be(size_t width, const char* what) {
    auto b = take(width, what);
    if (!b) return std::nullopt;
    U v = 0;
    for (uint8_t byte : *b) v = static_cast<U>(static_cast<U>(v << 8) | byte);
    return v;
  }

  Reader r_;
  std::optional<Error> err_;
  bool closed_ = false;
};

// Collects a TLV stream's known records while encoding (see records()).
class TlvRecordWriter {
 public:
  template <class V>
  void record(uint64_t type, const std::optional<V>& v);

 private:
  friend class Encoder;
  void declare(uint64_t type);
  std::vector<TlvRecord> records_;
  std::optional<uint64_t> last_;
  std::optional<Error> err_;
};

// Matches a TLV stream's known records against the received ones.
class TlvRecordReader {
 public:
  template <class V>
  void record(uint64_t type, std::optional<V>& v);

 private:
  friend class Decoder;
  TlvRecordReader(std::vector<TlvRecordView> received, std::vector<TlvRecord>& unknown)
      : received_(std::move(received)), unknown_(unknown) {}
  void declare(uint64_t type);
  // Disposes of received records below `type` (all, if nullopt): unknown odd
  // ones are kept, unknown even ones fail the stream.
  void skip_unknown_below(std::optional<uint64_t> type);
  std::vector<TlvRecordView> received_;
  size_t next_ = 0;
  std::vector<TlvRecord>& unknown_;
  std::optional<uint64_t> last_;
  std::optional<Error> err_;
};

// --- Encoder ---------------------------------------------------------------

template <class T>
void Encoder::put(const T& v) {
  if (err_) return;
  if (closed_) throw std::logic_error("wire: a field follows a TLV stream; the stream must be the last field");
  if constexpr (std::unsigned_integral<T> && !std::same_as<T, bool>) {
    put_be(v, sizeof(T));
  } else if constexpr (detail::Integer<T>) {
    put_be(static_cast<std::make_unsigned_t<T>>(v), sizeof(T));
  } else if constexpr (detail::kIsByteArray<T>) {
    w_.bytes(v);
  } else if constexpr (std::same_as<T, Bytes>) {
    if (!count_fits(v.size(), "byte string")) return;
    w_.u16be(static_cast<uint16_t>(v.size()));
    w_.bytes(v);
  } else if constexpr (detail::kIsVector<T>) {
    if (!count_fits(v.size(), "vector")) return;
    w_.u16be(static_cast<uint16_t>(v.size()));
    for (const auto& e : v) put(e);
  } else if constexpr (detail::kIsTruncated<T>) {
    size_t width = 0;
    while (width < sizeof(v.value) && (v.value >> (8 * width)) != 0) ++width;
    put_be(v.value, width);
  } else if constexpr (TlvStream<T>) {
    put_tlv_stream(v);
  } else if constexpr (WireStruct<T>) {
    T::fields(*this, v);
  } else {
    static_assert(detail::kDependentFalse<T>, "wire: no encoding for this field type");
  }
}

template <class T>
void Encoder::record_value(const T& v) {
  if constexpr (std::same_as<T, Bytes>) {
    w_.bytes(v);
  } else if constexpr (detail::kIsVector<T>) {
    for (const auto& e : v) put(e);
  } else {
    put(v);
  }
}

template <class S>
void Encoder::put_tlv_stream(const S& s) {
  TlvRecordWriter rw;
  S::records(rw, s);
  if (rw.err_) {
    err_ = *rw.err_;
    return;
  }
  std::vector<TlvRecord> all = std::move(rw.records_);
  all.insert(all.end(), s.unknown.begin(), s.unknown.end());
  std::sort(all.begin(), all.end(), [](const TlvRecord& a, const TlvRecord& b) { return a.type < b.type; });
  for (size_t i = 1; i < all.size(); ++i)
    if (all[i].type == all[i - 1].type)
      throw std::logic_error("wire: TLV type " + std::to_string(all[i].type) + " appears twice");
  for (const auto& rec : all) write_tlv_record(w_, rec.type, rec.value);
  closed_ = true;
}

template <class V>
void TlvRecordWriter::record(uint64_t type, const std::optional<V>& v) {
  declare(type);
  if (!v || err_) return;
  Encoder sub;
  sub.record_value(*v);
  auto bytes = std::move(sub).finish();
  if (!bytes) {
    err_ = bytes.error();
    return;
  }
  records_.push_back(TlvRecord{type, std::move(*bytes)});
}

inline void TlvRecordWriter::declare(uint64_t type) {
  if (last_ && type <= *last_) throw std::logic_error("wire: TLV records must be declared in increasing type order");
  last_ = type;
}

// --- Decoder ---------------------------------------------------------------

template <class T>
void Decoder::get(T& v) {
  if (err_) return;
  if (closed_) throw std::logic_error("wire: a field follows a TLV stream; the stream must be the last field");
  if constexpr (std::unsigned_integral<T> && !std::same_as<T, bool>) {
    if (auto x = get_be<T>(sizeof(T), "integer")) v = *x;
  } else if constexpr (detail::Integer<T>) {
    if (auto x = get_be<std::make_unsigned_t<T>>(sizeof(T), "integer")) v = static_cast<T>(*x);
  } else if constexpr (detail::kIsByteArray<T>) {
    if (auto b = take(v.size(), "fixed-size field")) std::copy(b->begin(), b->end(), v.begin());
  } else if constexpr (std::same_as<T, Bytes>) {
    auto len = get_be<uint16_t>(2, "byte string length");
    if (!len) return;
    if (auto b = take(*len, "byte string")) v.assign(b->begin(), b->end());
  } else if constexpr (detail::kIsVector<T>) {
    using E = typename T::value_type;
    auto count = get_be<uint16_t>(2, "vector count");
    if (!count) return;
    constexpr size_t kElem = detail::fixed_size<E>();
    // A count the remaining bytes cannot hold is rejected before allocating.
    if ((kElem > 0 && static_cast<size_t>(*count) * kElem > r_.remaining()) ||
        (kElem == 0 && *count > r_.remaining()))
      return fail("wire.oversized-count",
                  std::to_string(*count) + " elements cannot fit in " + std::to_string(r_.remaining()) + " bytes");
    v.clear();
    v.reserve(*count);
    for (size_t i = 0; i < *count && ok(); ++i) get(v.emplace_back());
  } else if constexpr (detail::kIsTruncated<T>) {
    using U = decltype(v.value);
    const size_t n = r_.remaining();
    if (n > sizeof(U))
      return fail("tlv.bad-length", std::to_string(n) + " bytes for a " + std::to_string(sizeof(U)) +
                                        "-byte truncated integer");
    auto b = take(n, "truncated integer");
    if (!b) return;
    if (n > 0 && (*b)[0] == 0) return fail("tlv.non-minimal-value", "truncated integer with a leading zero byte");
    U x = 0;
    for (uint8_t byte : *b) x = static_cast<U>(static_cast<U>(x << 8) | byte);
    v.value = x;
  } else if constexpr (TlvStream<T>) {
    get_tlv_stream(v);
  } else if constexpr (WireStruct<T>) {
    T::fields(*this, v);
  } else {
    static_assert(detail::kDependentFalse<T>, "wire: no decoding for this field type");
  }
}

template <class T>
void Decoder::record_value(T& v) {
  if constexpr (std::same_as<T, Bytes>) {
    if (auto b = take(r_.remaining(), "record value")) v.assign(b->begin(), b->end());
  } else if constexpr (detail::kIsVector<T>) {
    constexpr size_t kElem = detail::fixed_size<typename T::value_type>();
    if (kElem > 0 && r_.remaining() % kElem != 0)
      return fail("tlv.bad-length", std::to_string(r_.remaining()) + " bytes is not a whole number of " +
                                        std::to_string(kElem) + "-byte elements");
    v.clear();
    while (ok() && !r_.empty()) {
      const size_t before = r_.remaining();
      get(v.emplace_back());
      if (ok() && r_.remaining() == before)
        throw std::logic_error("wire: a record vector's element type has an empty encoding");
    }
  } else {
    get(v);
  }
}

template <class S>
void Decoder::get_tlv_stream(S& s) {
  const size_t start = r_.position();
  auto records = split_tlv_stream(r_.bytes(r_.remaining()).value());
  closed_ = true;
  if (!records) {
    err_ = make_error(records.error().code,
                      records.error().message + " (TLV stream at offset " + std::to_string(start) + ")");
    return;
  }
  s.unknown.clear();
  TlvRecordReader rr(std::move(*records), s.unknown);
  S::records(rr, s);
  rr.skip_unknown_below(std::nullopt);
  if (rr.err_) err_ = *rr.err_;
}

template <class V>
void TlvRecordReader::record(uint64_t type, std::optional<V>& v) {
  declare(type);
  v.reset();
  skip_unknown_below(type);
  if (err_ || next_ >= received_.size() || received_[next_].type != type) return;
  const TlvRecordView rec = received_[next_++];
  Decoder sub(rec.value);
  V value{};
  sub.record_value(value);
  if (Status st = sub.finish(); !st) {
    const Error& e = st.error();
    // A value shorter or longer than its type's encoding is a length error.
    const bool length = e.code == "wire.truncated" || e.code == "wire.trailing";
    err_ = make_error(length ? "tlv.bad-length" : e.code, "TLV type " + std::to_string(type) + ": " + e.message);
    return;
  }
  v = std::move(value);
}

// --- Entry points ----------------------------------------------------------

// The encoding of a wire struct or TLV stream (for a message: its payload,
// without the type; see frame.h).
template <class T>
  requires(WireStruct<T> || TlvStream<T>)
Expected<Bytes> encode(const T& v) {
  Encoder e;
  e(v);
  return std::move(e).finish();
}

// Decodes exactly `data` (trailing bytes are an error).
template <class T>
  requires(WireStruct<T> || TlvStream<T>)
Expected<T> decode(ByteView data) {
  Decoder d(data);
  T v{};
  d(v);
  LADDER_TRY(d.finish());
  return v;
}

}  // namespace ladder::wire
