#include "btc/tx.h"

#include "crypto/hash.h"
#include "util/serialize.h"

namespace ladder::btc {

std::string Txid::hex() const { return to_hex(reversed(bytes)); }

Expected<Txid> Txid::from_hex(std::string_view display_hex) {
  LADDER_ASSIGN(auto b, from_hex_fixed<32>(display_hex));
  return Txid{reversed(b)};
}

bool Transaction::has_witness() const {
  for (const auto& in : vin)
    if (!in.witness.empty()) return true;
  return false;
}

void Transaction::serialize_to(Writer& w, bool with_witness) const {
  bool ext = with_witness && has_witness();
  w.u32le(version);
  if (ext) {
    w.u8(0x00);
    w.u8(0x01);
  }
  w.compact_size(vin.size());
  for (const auto& in : vin) {
    w.bytes(in.prevout.txid.bytes);
    w.u32le(in.prevout.n);
    w.var_bytes(in.script_sig);
    w.u32le(in.sequence);
  }
  w.compact_size(vout.size());
  for (const auto& out : vout) {
    w.i64le(out.value);
    w.var_bytes(out.script_pubkey);
  }
  if (ext) {
    for (const auto& in : vin) {
      w.compact_size(in.witness.size());
      for (const auto& item : in.witness) w.var_bytes(item);
    }
  }
  w.u32le(locktime);
}

Bytes Transaction::serialize(bool with_witness) const {
  // Room for the whole encoding up front (an upper bound: every length
  // prefix counted at its widest), so serializing allocates once.
  size_t room = 4 + 2 + 9 + 9 + 4;
  for (const auto& in : vin) {
    room += 36 + 9 + in.script_sig.size() + 4;
    if (with_witness) {
      room += 9;
      for (const auto& item : in.witness) room += 9 + item.size();
    }
  }
  for (const auto& out : vout) room += 8 + 9 + out.script_pubkey.size();
  Writer w;
  w.reserve(room);
  serialize_to(w, with_witness);
  return w.take();
}

Txid Transaction::txid() const { return Txid{crypto::sha256d(serialize(false))}; }
Bytes32 Transaction::wtxid() const { return crypto::sha256d(serialize(true)); }
size_t Transaction::base_size() const { return serialize(false).size(); }
size_t Transaction::total_size() const { return serialize(true).size(); }
int64_t Transaction::weight() const {
  return static_cast<int64_t>(base_size()) * (WITNESS_SCALE_FACTOR - 1) + static_cast<int64_t>(total_size());
}
int64_t Transaction::vsize() const { return (weight() + WITNESS_SCALE_FACTOR - 1) / WITNESS_SCALE_FACTOR; }

Amount Transaction::total_out() const {
  Amount s = 0;
  for (const auto& o : vout) s += o.value;
  return s;
}

namespace {

Expected<std::vector<TxIn>> read_inputs(Reader& r) {
  LADDER_ASSIGN(uint64_t n, r.compact_size());
  // Each input takes at least 41 bytes; refuse counts the data cannot hold.
  if (n > r.remaining() / 41) return make_error("tx.truncated", "input count exceeds the data");
  std::vector<TxIn> vin(n);
  for (auto& in : vin) {
    LADDER_ASSIGN(in.prevout.txid.bytes, r.array<32>());
    LADDER_ASSIGN(in.prevout.n, r.u32le());
    LADDER_ASSIGN(in.script_sig, r.var_bytes());
    LADDER_ASSIGN(in.sequence, r.u32le());
  }
  return vin;
}

Expected<std::vector<TxOut>> read_outputs(Reader& r) {
  LADDER_ASSIGN(uint64_t n, r.compact_size());
  if (n > r.remaining() / 9) return make_error("tx.truncated", "output count exceeds the data");
  std::vector<TxOut> vout(n);
  for (auto& out : vout) {
    LADDER_ASSIGN(out.value, r.i64le());
    LADDER_ASSIGN(out.script_pubkey, r.var_bytes());
  }
  return vout;
}

}  // namespace

Expected<Transaction> read_transaction(Reader& r, bool allow_witness) {
  Transaction tx;
  LADDER_ASSIGN(tx.version, r.u32le());
  uint8_t flags = 0;
  LADDER_ASSIGN(tx.vin, read_inputs(r));
  if (tx.vin.empty() && allow_witness) {
    // Extended format: marker 0x00 (read as an empty input list), then flags.
    LADDER_ASSIGN(flags, r.u8());
    if (flags != 0) {
      LADDER_ASSIGN(tx.vin, read_inputs(r));
      LADDER_ASSIGN(tx.vout, read_outputs(r));
    }
  } else {
    LADDER_ASSIGN(tx.vout, read_outputs(r));
  }
  if (flags & 1) {
    flags ^= 1;
    for (auto& in : tx.vin) {
      LADDER_ASSIGN(uint64_t items, r.compact_size());
      if (items > r.remaining()) return make_error("tx.truncated", "witness item count exceeds the data");
      in.witness.resize(items);
      for (auto& item : in.witness) {
        LADDER_ASSIGN(item, r.var_bytes());
      }
    }
    if (!tx.has_witness()) return make_error("tx.superfluous-witness", "witness flag set but every witness is empty");
  }
  if (flags) return make_error("tx.unknown-flags", "unknown optional data flags in extended format");
  LADDER_ASSIGN(tx.locktime, r.u32le());
  return tx;
}

Expected<Transaction> parse_transaction(ByteView data, bool allow_witness) {
  Reader r(data);
  LADDER_ASSIGN(auto tx, read_transaction(r, allow_witness));
  LADDER_TRY(r.expect_end());
  return tx;
}

Expected<Transaction> parse_transaction_hex(std::string_view hex, bool allow_witness) {
  LADDER_ASSIGN(auto bytes, from_hex(hex));
  return parse_transaction(bytes, allow_witness);
}

}  // namespace ladder::btc
