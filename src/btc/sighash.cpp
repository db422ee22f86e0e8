#include "btc/sighash.h"

#include <stdexcept>

#include "btc/opcodes.h"
#include "btc/script.h"
#include "crypto/hash.h"
#include "util/serialize.h"

namespace ladder::btc {

namespace {

void write_outpoint(Writer& w, const OutPoint& p) {
  w.bytes(p.txid.bytes);
  w.u32le(p.n);
}

void write_txout(Writer& w, const TxOut& o) {
  w.i64le(o.value);
  w.var_bytes(o.script_pubkey);
}

Bytes32 sha256_of(const Writer& w) { return crypto::sha256(w.data()); }

// Writes `script` with every OP_CODESEPARATOR removed, exactly as Core's
// CTransactionSignatureSerializer::SerializeScriptCode: the length prefix is
// size minus the separators found, and the bytes stop where op parsing stops
// (so a truncated final push is cut after its opcode and length bytes).
void write_script_code(Writer& w, ByteView script) {
  size_t separators = 0;
  {
    ScriptReader r(script);
    while (!r.done()) {
      auto op = r.next();
      if (!op) break;
      if (op->opcode == OP_CODESEPARATOR) ++separators;
    }
  }
  w.compact_size(script.size() - separators);
  ScriptReader r(script);
  size_t begin = 0;
  while (!r.done()) {
    auto op = r.next();
    if (!op) break;
    if (op->opcode == OP_CODESEPARATOR) {
      w.bytes(script.subspan(begin, op->offset - begin));
      begin = r.position();
    }
  }
  if (begin != script.size()) w.bytes(script.subspan(begin, r.position() - begin));
}

Bytes32 one_hash() {
  Bytes32 one{};
  one[0] = 1;
  return one;
}

}  // namespace

PrecomputedTxData precompute_tx_data(const Transaction& tx, std::vector<TxOut> spent_outputs) {
  PrecomputedTxData d;
  Writer prevouts, sequences, outputs;
  prevouts.reserve(36 * tx.vin.size());
  sequences.reserve(4 * tx.vin.size());
  size_t output_bytes = 0;
  for (const auto& out : tx.vout) output_bytes += 8 + 9 + out.script_pubkey.size();
  outputs.reserve(output_bytes);
  for (const auto& in : tx.vin) {
    write_outpoint(prevouts, in.prevout);
    sequences.u32le(in.sequence);
  }
  for (const auto& out : tx.vout) write_txout(outputs, out);
  d.sha_prevouts = sha256_of(prevouts);
  d.sha_sequences = sha256_of(sequences);
  d.sha_outputs = sha256_of(outputs);
  d.hash_prevouts = crypto::sha256(d.sha_prevouts);
  d.hash_sequence = crypto::sha256(d.sha_sequences);
  d.hash_outputs = crypto::sha256(d.sha_outputs);
  d.bip143_ready = true;
  if (spent_outputs.size() == tx.vin.size()) {
    Writer amounts, scripts;
    amounts.reserve(8 * spent_outputs.size());
    size_t script_bytes = 0;
    for (const auto& o : spent_outputs) script_bytes += 9 + o.script_pubkey.size();
    scripts.reserve(script_bytes);
    for (const auto& o : spent_outputs) {
      amounts.i64le(o.value);
      scripts.var_bytes(o.script_pubkey);
    }
    d.sha_amounts = sha256_of(amounts);
    d.sha_scriptpubkeys = sha256_of(scripts);
    d.bip341_ready = true;
  }
  d.spent_outputs = std::move(spent_outputs);
  return d;
}

Bytes32 legacy_sighash(const Transaction& tx, size_t input_index, ByteView script_code, int32_t hash_type) {
  if (input_index >= tx.vin.size()) return one_hash();
  const int base = hash_type & 0x1f;
  const bool single = base == SIGHASH_SINGLE;
  const bool none = base == SIGHASH_NONE;
  const bool anyone_can_pay = (hash_type & SIGHASH_ANYONECANPAY) != 0;
  if (single && input_index >= tx.vout.size()) return one_hash();

  Writer w;
  w.u32le(tx.version);
  const size_t n_inputs = anyone_can_pay ? 1 : tx.vin.size();
  w.compact_size(n_inputs);
  for (size_t i = 0; i < n_inputs; ++i) {
    const size_t k = anyone_can_pay ? input_index : i;
    const TxIn& in = tx.vin[k];
    write_outpoint(w, in.prevout);
    if (k == input_index) write_script_code(w, script_code);
    else w.compact_size(0);
    w.u32le(k != input_index && (single || none) ? 0 : in.sequence);
  }
  const size_t n_outputs = none ? 0 : single ? input_index + 1 : tx.vout.size();
  w.compact_size(n_outputs);
  for (size_t i = 0; i < n_outputs; ++i) {
    if (single && i != input_index) write_txout(w, TxOut{-1, {}});
    else write_txout(w, tx.vout[i]);
  }
  w.u32le(tx.locktime);
  w.u32le(static_cast<uint32_t>(hash_type));
  return crypto::sha256d(w.data());
}

Bytes32 segwit_v0_sighash(const Transaction& tx, size_t input_index, ByteView script_code, Amount amount,
                          int32_t hash_type, const PrecomputedTxData& txdata) {
  if (input_index >= tx.vin.size()) throw std::out_of_range("segwit_v0_sighash: input index past the inputs");
  PrecomputedTxData computed;
  const PrecomputedTxData& d = txdata.bip143_ready ? txdata : (computed = precompute_tx_data(tx, {}));
  const int base = hash_type & 0x1f;
  const bool anyone_can_pay = (hash_type & SIGHASH_ANYONECANPAY) != 0;
  const bool single = base == SIGHASH_SINGLE, none = base == SIGHASH_NONE;

  Bytes32 hash_outputs{};
  if (!single && !none) {
    hash_outputs = d.hash_outputs;
  } else if (single && input_index < tx.vout.size()) {
    Writer o;
    write_txout(o, tx.vout[input_index]);
    hash_outputs = crypto::sha256d(o.data());
  }
  const TxIn& in = tx.vin[input_index];
  Writer w;
  w.u32le(tx.version);
  w.bytes(anyone_can_pay ? Bytes32{} : d.hash_prevouts);
  w.bytes(anyone_can_pay || single || none ? Bytes32{} : d.hash_sequence);
  write_outpoint(w, in.prevout);
  w.var_bytes(script_code);
  w.i64le(amount);
  w.u32le(in.sequence);
  w.bytes(hash_outputs);
  w.u32le(tx.locktime);
  w.u32le(static_cast<uint32_t>(hash_type));
  return crypto::sha256d(w.data());
}

Expected<Bytes> taproot_sighash_preimage(const Transaction& tx, size_t input_index, uint8_t hash_type,
                                         const PrecomputedTxData& txdata, const std::optional<Bytes>& annex,
                                         const TapScriptExt* ext) {
  if (input_index >= tx.vin.size())
    return make_error("sighash.input-out-of-range", "input " + std::to_string(input_index) + " of " +
                                                        std::to_string(tx.vin.size()));
  if (!txdata.bip341_ready || txdata.spent_outputs.size() != tx.vin.size())
    return make_error("sighash.missing-spent-outputs", "taproot sighash needs every spent output");
  if (!(hash_type <= 0x03 || (hash_type >= 0x81 && hash_type <= 0x83)))
    return make_error("sighash.invalid-hash-type", "hash type " + std::to_string(hash_type));
  const uint8_t output_type = hash_type == SIGHASH_DEFAULT ? SIGHASH_ALL : (hash_type & 0x03);
  const bool anyone_can_pay = (hash_type & SIGHASH_ANYONECANPAY) != 0;
  if (output_type == SIGHASH_SINGLE && input_index >= tx.vout.size())
    return make_error("sighash.single-without-output", "SIGHASH_SINGLE for input " + std::to_string(input_index) +
                                                           " without a matching output");

  Writer w;
  // Fixed fields, five hashes, the input's own data and the extensions.
  w.reserve(276 + (anyone_can_pay ? 57 + txdata.spent_outputs[input_index].script_pubkey.size() : 0));
  w.u8(0);  // epoch
  w.u8(hash_type);
  w.u32le(tx.version);
  w.u32le(tx.locktime);
  if (!anyone_can_pay) {
    w.bytes(txdata.sha_prevouts);
    w.bytes(txdata.sha_amounts);
    w.bytes(txdata.sha_scriptpubkeys);
    w.bytes(txdata.sha_sequences);
  }
  if (output_type == SIGHASH_ALL) w.bytes(txdata.sha_outputs);
  const uint8_t ext_flag = ext ? 1 : 0;
  w.u8(static_cast<uint8_t>(ext_flag * 2 + (annex ? 1 : 0)));
  const TxIn& in = tx.vin[input_index];
  if (anyone_can_pay) {
    write_outpoint(w, in.prevout);
    write_txout(w, txdata.spent_outputs[input_index]);
    w.u32le(in.sequence);
  } else {
    w.u32le(static_cast<uint32_t>(input_index));
  }
  if (annex) {
    Writer a;
    a.var_bytes(*annex);
    w.bytes(sha256_of(a));
  }
  if (output_type == SIGHASH_SINGLE) {
    Writer o;
    write_txout(o, tx.vout[input_index]);
    w.bytes(sha256_of(o));
  }
  if (ext) {
    w.bytes(ext->tapleaf_hash);
    w.u8(0);  // key_version
    w.u32le(ext->codesep_pos);
  }
  return w.take();
}

Expected<Bytes32> taproot_sighash(const Transaction& tx, size_t input_index, uint8_t hash_type,
                                  const PrecomputedTxData& txdata, const std::optional<Bytes>& annex,
                                  const TapScriptExt* ext) {
  LADDER_ASSIGN(Bytes msg, taproot_sighash_preimage(tx, input_index, hash_type, txdata, annex, ext));
  return crypto::tagged_hash("TapSighash", msg);
}

}  // namespace ladder::btc
