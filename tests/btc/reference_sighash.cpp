#include "reference_sighash.h"

#include "btc/sighash.h"
#include "crypto/hash.h"

namespace ladder::test {

namespace {

void le(Bytes& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void raw(Bytes& out, ByteView v) { out.insert(out.end(), v.begin(), v.end()); }

void with_len(Bytes& out, ByteView v) {
  ref_compact_size(out, v.size());
  raw(out, v);
}

void outpoint(Bytes& out, const btc::OutPoint& p) {
  raw(out, p.txid.bytes);
  le(out, p.n, 4);
}

void txout(Bytes& out, const btc::TxOut& o) {
  le(out, static_cast<uint64_t>(o.value), 8);
  with_len(out, o.script_pubkey);
}

Bytes32 dsha(const Bytes& b) { return crypto::sha256(crypto::sha256(b)); }

}  // namespace

void ref_compact_size(Bytes& out, uint64_t n) {
  if (n < 0xfd) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n <= 0xffff) {
    out.push_back(0xfd);
    le(out, n, 2);
  } else if (n <= 0xffffffff) {
    out.push_back(0xfe);
    le(out, n, 4);
  } else {
    out.push_back(0xff);
    le(out, n, 8);
  }
}

Bytes ref_serialize(const btc::Transaction& tx, bool with_witness) {
  bool witness = false;
  for (const auto& in : tx.vin) witness |= !in.witness.empty();
  witness &= with_witness;
  Bytes out;
  le(out, tx.version, 4);
  if (witness) {
    out.push_back(0);
    out.push_back(1);
  }
  ref_compact_size(out, tx.vin.size());
  for (const auto& in : tx.vin) {
    outpoint(out, in.prevout);
    with_len(out, in.script_sig);
    le(out, in.sequence, 4);
  }
  ref_compact_size(out, tx.vout.size());
  for (const auto& o : tx.vout) txout(out, o);
  if (witness) {
    for (const auto& in : tx.vin) {
      ref_compact_size(out, in.witness.size());
      for (const auto& item : in.witness) with_len(out, item);
    }
  }
  le(out, tx.locktime, 4);
  return out;
}

Bytes32 ref_legacy_sighash(const btc::Transaction& tx, size_t index, ByteView script_code, int32_t hash_type) {
  // Core's algorithm: copy the tx, blank the other scriptSigs, then trim per mode.
  btc::Transaction t = tx;
  for (auto& in : t.vin) in.script_sig.clear();
  t.vin[index].script_sig.assign(script_code.begin(), script_code.end());
  const int mode = hash_type & 0x1f;
  if (mode == btc::SIGHASH_NONE || mode == btc::SIGHASH_SINGLE) {
    for (size_t i = 0; i < t.vin.size(); ++i)
      if (i != index) t.vin[i].sequence = 0;
  }
  if (mode == btc::SIGHASH_NONE) t.vout.clear();
  if (mode == btc::SIGHASH_SINGLE) {
    if (index >= t.vout.size()) {
      Bytes32 one{};
      one[0] = 1;
      return one;
    }
    t.vout.resize(index + 1);
    for (size_t i = 0; i < index; ++i) t.vout[i] = btc::TxOut{-1, {}};
  }
  if (hash_type & btc::SIGHASH_ANYONECANPAY) t.vin = {t.vin[index]};
  for (auto& in : t.vin) in.witness.clear();
  Bytes msg = ref_serialize(t, false);
  le(msg, static_cast<uint32_t>(hash_type), 4);
  return dsha(msg);
}

Bytes32 ref_bip143_sighash(const btc::Transaction& tx, size_t index, ByteView script_code, btc::Amount amount,
                           int32_t hash_type) {
  const int mode = hash_type & 0x1f;
  const bool acp = hash_type & btc::SIGHASH_ANYONECANPAY;
  Bytes prevouts, sequences, outputs;
  for (const auto& in : tx.vin) {
    outpoint(prevouts, in.prevout);
    le(sequences, in.sequence, 4);
  }
  if (mode != btc::SIGHASH_SINGLE && mode != btc::SIGHASH_NONE) {
    for (const auto& o : tx.vout) txout(outputs, o);
  } else if (mode == btc::SIGHASH_SINGLE && index < tx.vout.size()) {
    txout(outputs, tx.vout[index]);
  }
  Bytes msg;
  le(msg, tx.version, 4);
  raw(msg, acp ? Bytes32{} : dsha(prevouts));
  raw(msg, acp || mode == btc::SIGHASH_SINGLE || mode == btc::SIGHASH_NONE ? Bytes32{} : dsha(sequences));
  outpoint(msg, tx.vin[index].prevout);
  with_len(msg, script_code);
  le(msg, static_cast<uint64_t>(amount), 8);
  le(msg, tx.vin[index].sequence, 4);
  raw(msg, outputs.empty() ? Bytes32{} : dsha(outputs));
  le(msg, tx.locktime, 4);
  le(msg, static_cast<uint32_t>(hash_type), 4);
  return dsha(msg);
}

Bytes ref_bip341_preimage(const btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent,
                          uint8_t hash_type, const std::optional<Bytes>& annex,
                          const std::optional<Bytes32>& leaf_hash, uint32_t codesep_pos) {
  const int out_mode = hash_type == 0 ? btc::SIGHASH_ALL : hash_type & 3;
  const bool acp = hash_type & btc::SIGHASH_ANYONECANPAY;
  Bytes m;
  m.push_back(0x00);  // epoch
  m.push_back(hash_type);
  le(m, tx.version, 4);
  le(m, tx.locktime, 4);
  if (!acp) {
    Bytes prevouts, amounts, scripts, sequences;
    for (size_t i = 0; i < tx.vin.size(); ++i) {
      outpoint(prevouts, tx.vin[i].prevout);
      le(amounts, static_cast<uint64_t>(spent[i].value), 8);
      with_len(scripts, spent[i].script_pubkey);
      le(sequences, tx.vin[i].sequence, 4);
    }
    raw(m, crypto::sha256(prevouts));
    raw(m, crypto::sha256(amounts));
    raw(m, crypto::sha256(scripts));
    raw(m, crypto::sha256(sequences));
  }
  if (out_mode == btc::SIGHASH_ALL) {
    Bytes outputs;
    for (const auto& o : tx.vout) txout(outputs, o);
    raw(m, crypto::sha256(outputs));
  }
  m.push_back(static_cast<uint8_t>((leaf_hash ? 2 : 0) | (annex ? 1 : 0)));
  if (acp) {
    outpoint(m, tx.vin[index].prevout);
    txout(m, spent[index]);
    le(m, tx.vin[index].sequence, 4);
  } else {
    le(m, index, 4);
  }
  if (annex) {
    Bytes a;
    with_len(a, *annex);
    raw(m, crypto::sha256(a));
  }
  if (out_mode == btc::SIGHASH_SINGLE) {
    Bytes o;
    txout(o, tx.vout[index]);
    raw(m, crypto::sha256(o));
  }
  if (leaf_hash) {
    raw(m, *leaf_hash);
    m.push_back(0x00);  // key_version
    le(m, codesep_pos, 4);
  }
  return m;
}

Bytes32 ref_tagged_hash(std::string_view tag, ByteView msg) {
  const Bytes32 t = crypto::sha256(ByteView(reinterpret_cast<const uint8_t*>(tag.data()), tag.size()));
  Bytes b;
  raw(b, t);
  raw(b, t);
  raw(b, msg);
  return crypto::sha256(b);
}

}  // namespace ladder::test
