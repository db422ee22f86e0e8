// Keys, signatures and transactions for the interpreter's signature tests.
// Tests only.
#pragma once

#include <secp256k1.h>

#include "btc/interpreter.h"
#include "btc/sighash.h"
#include "crypto/schnorr.h"
#include "crypto/secp.h"

namespace ladder::test {

// A deterministic secret key (1 ≤ n < 2^64).
inline crypto::SecretKey key(uint64_t n) { return crypto::SecretKey::from_scalar(crypto::Scalar::from_u64(n)).value(); }

inline Bytes pubkey33(const crypto::SecretKey& k) { return to_bytes(k.pubkey().bytes()); }

inline Bytes pubkey65(const crypto::SecretKey& k) {
  Bytes out(65);
  size_t len = out.size();
  secp256k1_ec_pubkey_serialize(crypto::secp_context(), out.data(), &len, &k.pubkey().raw(), SECP256K1_EC_UNCOMPRESSED);
  return out;
}

// DER ECDSA signature of `hash` with the hash-type byte appended; with
// `high_s` the (equally valid) S > n/2 twin.
inline Bytes ecdsa_sign(const crypto::SecretKey& k, const Bytes32& hash, uint8_t hash_type, bool high_s = false) {
  const secp256k1_context* ctx = crypto::secp_context();
  secp256k1_ecdsa_signature sig;
  const Bytes32 secret = k.reveal();
  if (!secp256k1_ecdsa_sign(ctx, &sig, hash.data(), secret.data(), nullptr, nullptr))
    throw std::runtime_error("ecdsa sign failed");
  if (high_s) {
    uint8_t compact[64];
    secp256k1_ecdsa_signature_serialize_compact(ctx, compact, &sig);
    if (!secp256k1_ec_seckey_negate(ctx, compact + 32)) throw std::runtime_error("negate failed");
    if (!secp256k1_ecdsa_signature_parse_compact(ctx, &sig, compact)) throw std::runtime_error("parse failed");
  }
  Bytes der(72);
  size_t len = der.size();
  secp256k1_ecdsa_signature_serialize_der(ctx, der.data(), &len, &sig);
  der.resize(len);
  der.push_back(hash_type);
  return der;
}

inline Bytes schnorr_sign(const crypto::SecretKey& k, const Bytes32& hash, std::optional<uint8_t> hash_type = {}) {
  Bytes sig = to_bytes(crypto::schnorr_sign(k, hash, Bytes32{}).bytes());
  if (hash_type) sig.push_back(*hash_type);
  return sig;
}

// A version-2 transaction spending one output per entry of `spent` (distinct
// outpoints, sequence 0) to a single 1,000-sat output.
inline btc::Transaction spending(size_t inputs) {
  btc::Transaction tx;
  for (size_t i = 0; i < inputs; ++i) {
    btc::TxIn in;
    in.prevout.txid.bytes[0] = 0xab;
    in.prevout.n = static_cast<uint32_t>(i);
    in.sequence = 0;
    tx.vin.push_back(in);
  }
  tx.vout.push_back(btc::TxOut{1000, {btc::OP_1}});
  return tx;
}

// verify_input's verdict as a ScriptError (OK on success).
inline btc::ScriptError verdict(const btc::Transaction& tx, const std::vector<btc::TxOut>& spent, size_t input,
                                uint32_t flags) {
  const btc::PrecomputedTxData txdata = btc::precompute_tx_data(tx, spent);
  Status s = btc::verify_input(tx, input, txdata, flags);
  if (s) return btc::ScriptError::OK;
  return btc::parse_script_error_test_name(btc::core_script_error_name(s.error())).value();
}

}  // namespace ladder::test
