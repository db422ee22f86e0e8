#include "chain/rpc_json.h"

#include <cmath>

#include "btc/address.h"
#include "chain/consensus.h"
#include "chain/script_type.h"

namespace ladder::chain {

nlohmann::json btc_value(btc::Amount sat) {
  // Through the decimal text, so the double nlohmann prints back is the
  // shortest one that reads as exactly these 8 decimals.
  bool neg = sat < 0;
  uint64_t a = neg ? static_cast<uint64_t>(-(sat + 1)) + 1 : static_cast<uint64_t>(sat);
  std::string frac = std::to_string(a % btc::COIN);
  std::string text = (neg ? "-" : "") + std::to_string(a / btc::COIN) + "." + std::string(8 - frac.size(), '0') + frac;
  return std::stod(text);
}

Expected<btc::Amount> amount_from_json(const nlohmann::json& v) {
  double d = 0;
  if (v.is_number()) d = v.get<double>();
  else if (v.is_string()) {
    try {
      size_t used = 0;
      d = std::stod(v.get<std::string>(), &used);
      if (used != v.get<std::string>().size()) return make_error("rpc.bad-amount", "Invalid amount");
    } catch (const std::exception&) {
      return make_error("rpc.bad-amount", "Invalid amount");
    }
  } else {
    return make_error("rpc.bad-amount", "Amount is not a number or string");
  }
  if (!std::isfinite(d) || d < 0) return make_error("rpc.bad-amount", "Amount out of range");
  double sat = d * 1e8;
  if (sat > static_cast<double>(btc::MAX_MONEY)) return make_error("rpc.bad-amount", "Amount out of range");
  double rounded = std::round(sat);
  if (std::fabs(sat - rounded) > 1e-3) return make_error("rpc.bad-amount", "Invalid amount");
  return static_cast<btc::Amount>(rounded);
}

nlohmann::json script_pubkey_json(ByteView script) {
  nlohmann::json j;
  j["hex"] = to_hex(script);
  j["type"] = output_type_name(classify(script));
  if (auto addr = btc::address_from_script(btc::Network::regtest, script)) j["address"] = *addr;
  return j;
}

nlohmann::json tx_json(const btc::Transaction& tx) {
  TxFacts f = tx_facts(tx);
  nlohmann::json j;
  j["txid"] = f.txid.hex();
  j["hash"] = to_hex(reversed(f.wtxid));
  j["version"] = tx.version;
  j["size"] = f.total_size;
  j["vsize"] = f.vsize;
  j["weight"] = f.weight;
  j["locktime"] = tx.locktime;
  nlohmann::json vin = nlohmann::json::array();
  for (const auto& in : tx.vin) {
    nlohmann::json i;
    if (tx.is_coinbase()) {
      i["coinbase"] = to_hex(in.script_sig);
    } else {
      i["txid"] = in.prevout.txid.hex();
      i["vout"] = in.prevout.n;
      i["scriptSig"] = {{"hex", to_hex(in.script_sig)}};
    }
    if (!in.witness.empty()) {
      nlohmann::json w = nlohmann::json::array();
      for (const auto& item : in.witness) w.push_back(to_hex(item));
      i["txinwitness"] = std::move(w);
    }
    i["sequence"] = in.sequence;
    vin.push_back(std::move(i));
  }
  j["vin"] = std::move(vin);
  nlohmann::json vout = nlohmann::json::array();
  for (uint32_t n = 0; n < tx.vout.size(); ++n) {
    vout.push_back({{"value", btc_value(tx.vout[n].value)}, {"n", n}, {"scriptPubKey", script_pubkey_json(tx.vout[n].script_pubkey)}});
  }
  j["vout"] = std::move(vout);
  return j;
}

nlohmann::json block_header_json(const BlockHeader& h) {
  char bits[9], version_hex[9];
  std::snprintf(bits, sizeof(bits), "%08x", h.bits);
  std::snprintf(version_hex, sizeof(version_hex), "%08x", static_cast<uint32_t>(h.version));
  nlohmann::json j;
  j["hash"] = block_hash_hex(h.hash());
  j["version"] = h.version;
  j["versionHex"] = version_hex;
  j["merkleroot"] = block_hash_hex(h.merkle_root);
  j["time"] = h.time;
  j["nonce"] = h.nonce;
  j["bits"] = bits;
  j["previousblockhash"] = block_hash_hex(h.prev_hash);
  return j;
}

}  // namespace ladder::chain
