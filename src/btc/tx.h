// Bitcoin transactions: outpoints, inputs, outputs, witnesses, and the one
// serialization definition used both to encode and to decode them.
//
// A Transaction is a plain value. Txid and wtxid are computed on demand
// (double SHA-256 of the legacy and of the witness serialization); hashes are
// kept in internal byte order and shown reversed (`Txid::hex()`), as Bitcoin
// does. Parsing is bounds-checked and rejects malformed input with an error
// (codes "tx.*" and "serialize.*"); it never reads outside the given bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "btc/amount.h"
#include "util/bytes.h"
#include "util/expected.h"
#include "util/serialize.h"

namespace ladder::btc {

// A transaction id in internal byte order (as hashed, as serialized).
struct Txid {
  Bytes32 bytes{};
  std::string hex() const;  // display order (reversed)
  static Expected<Txid> from_hex(std::string_view display_hex);
  auto operator<=>(const Txid&) const = default;
};

struct OutPoint {
  Txid txid;
  uint32_t n = 0;
  bool is_null() const { return n == 0xffffffff && txid.bytes == Bytes32{}; }
  std::string to_string() const { return txid.hex() + ":" + std::to_string(n); }
  auto operator<=>(const OutPoint&) const = default;
};

using Witness = std::vector<Bytes>;

struct TxIn {
  OutPoint prevout;
  Bytes script_sig;
  uint32_t sequence = 0xffffffff;
  Witness witness;
  bool operator==(const TxIn&) const = default;
};

struct TxOut {
  Amount value = 0;
  Bytes script_pubkey;
  bool operator==(const TxOut&) const = default;
};

inline constexpr uint32_t SEQUENCE_FINAL = 0xffffffff;
// BIP-68 relative lock-time fields of nSequence.
inline constexpr uint32_t SEQUENCE_LOCKTIME_DISABLE_FLAG = 1u << 31;
inline constexpr uint32_t SEQUENCE_LOCKTIME_TYPE_FLAG = 1u << 22;
inline constexpr uint32_t SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
inline constexpr uint32_t SEQUENCE_LOCKTIME_GRANULARITY = 9;  // time locks count 512 s units
inline constexpr uint32_t LOCKTIME_THRESHOLD = 500'000'000;   // below: height, at/above: time
inline constexpr int WITNESS_SCALE_FACTOR = 4;

struct Transaction {
  uint32_t version = 2;
  std::vector<TxIn> vin;
  std::vector<TxOut> vout;
  uint32_t locktime = 0;

  bool has_witness() const;
  // Serialization; `with_witness` uses the BIP-144 extended format when any
  // input has a witness.
  Bytes serialize(bool with_witness = true) const;
  void serialize_to(Writer& w, bool with_witness = true) const;
  Txid txid() const;
  Bytes32 wtxid() const;
  size_t base_size() const;   // without witness
  size_t total_size() const;  // with witness
  int64_t weight() const;     // base*3 + total
  int64_t vsize() const;      // ceil(weight / 4)
  Amount total_out() const;   // caller checks money_range of each output first
  bool is_coinbase() const { return vin.size() == 1 && vin[0].prevout.is_null(); }

  bool operator==(const Transaction&) const = default;
};

// Parses a whole transaction; trailing bytes are an error. Accepts the
// extended (witness) format unless `allow_witness` is false.
Expected<Transaction> parse_transaction(ByteView data, bool allow_witness = true);
Expected<Transaction> parse_transaction_hex(std::string_view hex, bool allow_witness = true);
// Parses one transaction from a stream (blocks hold several).
Expected<Transaction> read_transaction(Reader& r, bool allow_witness = true);

}  // namespace ladder::btc
