#include "chain/bitcoind_backend.h"

#include "chain/rpc_json.h"
#include "chain/rpc_methods.h"

namespace ladder::chain {

using nlohmann::json;

namespace {

// Reads a field of an RPC reply with the expected type, or "chain.rpc-reply".
template <class T>
Expected<T> field(const json& j, const char* name) {
  if (!j.is_object() || !j.contains(name)) return make_error("chain.rpc-reply", std::string("reply lacks ") + name);
  try {
    return j[name].get<T>();
  } catch (const json::exception&) {
    return make_error("chain.rpc-reply", std::string("reply field ") + name + " has the wrong type");
  }
}

Expected<Bytes32> hash_field(const json& j, const char* name) {
  LADDER_ASSIGN(std::string s, field<std::string>(j, name));
  auto h = parse_block_hash_hex(s);
  if (!h) return make_error("chain.rpc-reply", std::string("bad hash in ") + name);
  return *h;
}

bool is_rpc_error(const Error& e, int code) { return e.code == "chain.rpc-error" && e.index == code; }

}  // namespace

Error parse_reject(int rpc_code, const std::string& message) {
  if (rpc_code == RPC_VERIFY_ALREADY_IN_CHAIN) return make_error("txn-already-known", message);
  if (message.rfind("Fee exceeds maximum", 0) == 0) return make_error("max-fee-exceeded", message);
  for (const char* script : {"mandatory-script-verify-flag-failed (", "non-mandatory-script-verify-flag ("}) {
    std::string prefix = script;
    if (message.rfind(prefix, 0) == 0 && message.back() == ')')
      return make_error(prefix.substr(0, prefix.size() - 2), message.substr(prefix.size(), message.size() - prefix.size() - 1));
  }
  auto comma = message.find(", ");
  if (comma == std::string::npos) return make_error(message);
  return make_error(message.substr(0, comma), message.substr(comma + 2));
}

Expected<btc::Txid> BitcoindBackend::broadcast(const btc::Transaction& tx) {
  auto r = rpc_.call("sendrawtransaction", json::array({to_hex(tx.serialize()), 0}));
  if (!r) {
    const Error& e = r.error();
    if (e.code != "chain.rpc-error" || (e.index != RPC_VERIFY_ERROR && e.index != RPC_VERIFY_REJECTED &&
                                        e.index != RPC_VERIFY_ALREADY_IN_CHAIN))
      return e;
    return parse_reject(e.index, e.message);
  }
  if (!r->is_string()) return make_error("chain.rpc-reply", "sendrawtransaction did not return a txid");
  auto txid = btc::Txid::from_hex(r->get<std::string>());
  if (!txid) return make_error("chain.rpc-reply", "sendrawtransaction returned a malformed txid");
  return *txid;
}

Expected<TipInfo> BitcoindBackend::tip() {
  LADDER_ASSIGN(json info, rpc_.call("getblockchaininfo"));
  TipInfo t;
  LADDER_ASSIGN(t.height, field<int>(info, "blocks"));
  LADDER_ASSIGN(t.hash, hash_field(info, "bestblockhash"));
  LADDER_ASSIGN(t.time, field<int64_t>(info, "time"));
  LADDER_ASSIGN(t.median_time_past, field<int64_t>(info, "mediantime"));
  return t;
}

Expected<std::optional<TxStatus>> BitcoindBackend::get_tx(const btc::Txid& txid) {
  auto r = rpc_.call("getrawtransaction", json::array({txid.hex(), true}));
  if (!r) {
    if (is_rpc_error(r.error(), RPC_INVALID_ADDRESS_OR_KEY)) return std::optional<TxStatus>{};
    return r.error();
  }
  LADDER_ASSIGN(std::string hex, field<std::string>(*r, "hex"));
  auto tx = btc::parse_transaction_hex(hex);
  if (!tx) return make_error("chain.rpc-reply", "getrawtransaction returned an unparsable tx");
  TxStatus st{std::move(*tx), 0, -1, Bytes32{}};
  if (r->contains("blockhash") && r->contains("confirmations")) {
    LADDER_ASSIGN(st.block_hash, hash_field(*r, "blockhash"));
    LADDER_ASSIGN(st.confirmations, field<int>(*r, "confirmations"));
    LADDER_ASSIGN(json header, rpc_.call("getblockheader", json::array({block_hash_hex(st.block_hash), true})));
    LADDER_ASSIGN(st.height, field<int>(header, "height"));
    if (st.confirmations <= 0) return std::optional<TxStatus>{};  // in a stale block only
  }
  return std::optional<TxStatus>(std::move(st));
}

Expected<std::vector<Utxo>> BitcoindBackend::unspent_outputs(ByteView script_pubkey) {
  const std::string desc = "raw(" + to_hex(script_pubkey) + ")";
  LADDER_ASSIGN(json scan, rpc_.call("scantxoutset", json::array({"start", json::array({desc})})));
  LADDER_ASSIGN(int height, field<int>(scan, "height"));
  if (!scan.contains("unspents") || !scan["unspents"].is_array()) return make_error("chain.rpc-reply", "scantxoutset without unspents");
  std::vector<Utxo> out;
  json outpoints = json::array();
  for (const auto& u : scan["unspents"]) {
    Utxo x;
    LADDER_ASSIGN(std::string txid, field<std::string>(u, "txid"));
    auto t = btc::Txid::from_hex(txid);
    if (!t) return make_error("chain.rpc-reply", "scantxoutset returned a malformed txid");
    x.outpoint.txid = *t;
    LADDER_ASSIGN(x.outpoint.n, field<uint32_t>(u, "vout"));
    if (!u.contains("amount")) return make_error("chain.rpc-reply", "scantxoutset entry without amount");
    LADDER_ASSIGN(x.out.value, amount_from_json(u["amount"]));
    x.out.script_pubkey = to_bytes(script_pubkey);
    LADDER_ASSIGN(x.height, field<int>(u, "height"));
    x.confirmations = height - x.height + 1;
    if (u.contains("coinbase") && u["coinbase"].is_boolean()) x.coinbase = u["coinbase"].get<bool>();
    outpoints.push_back(json{{"txid", txid}, {"vout", x.outpoint.n}});
    out.push_back(std::move(x));
  }
  if (out.empty()) return out;
  LADDER_ASSIGN(json spends, rpc_.call("gettxspendingprevout", json::array({outpoints})));
  if (!spends.is_array() || spends.size() != out.size()) return make_error("chain.rpc-reply", "gettxspendingprevout mismatch");
  std::vector<Utxo> unspent;
  for (size_t i = 0; i < out.size(); ++i)
    if (!spends[i].contains("spendingtxid")) unspent.push_back(std::move(out[i]));
  return unspent;
}

Expected<int64_t> BitcoindBackend::estimate_fee_per_kvb(int target_blocks) {
  if (target_blocks < 1) return make_error("chain.invalid-argument", "target must be at least 1 block");
  LADDER_ASSIGN(json r, rpc_.call("estimatesmartfee", json::array({target_blocks})));
  if (!r.is_object() || !r.contains("feerate")) return options_.fallback_fee_per_kvb;
  LADDER_ASSIGN(btc::Amount rate, amount_from_json(r["feerate"]));
  return rate;
}

Expected<std::vector<Bytes32>> BitcoindBackend::mine(int n, ByteView script_pubkey) {
  auto r = rpc_.call("generatetodescriptor", json::array({n, "raw(" + to_hex(script_pubkey) + ")"}));
  if (!r) {
    if (is_rpc_error(r.error(), RPC_METHOD_NOT_FOUND)) return make_error("chain.unsupported", "the node cannot mine");
    return r.error();
  }
  if (!r->is_array()) return make_error("chain.rpc-reply", "generatetodescriptor did not return hashes");
  std::vector<Bytes32> hashes;
  for (const auto& h : *r) {
    auto b = h.is_string() ? parse_block_hash_hex(h.get<std::string>()) : Expected<Bytes32>(make_error("x"));
    if (!b) return make_error("chain.rpc-reply", "generatetodescriptor returned a malformed hash");
    hashes.push_back(*b);
  }
  return hashes;
}

Status BitcoindBackend::set_mock_time(int64_t unix_time) {
  auto r = rpc_.call("setmocktime", json::array({unix_time}));
  if (!r) {
    if (is_rpc_error(r.error(), RPC_METHOD_NOT_FOUND)) return make_error("chain.unsupported", "the node has no mock time");
    return r.error();
  }
  return ok();
}

Expected<int> BitcoindBackend::source_height() {
  LADDER_ASSIGN(json r, rpc_.call("getblockcount"));
  if (!r.is_number_integer()) return make_error("chain.rpc-reply", "getblockcount did not return a number");
  return r.get<int>();
}

Expected<Bytes32> BitcoindBackend::source_block_hash(int height) {
  LADDER_ASSIGN(json r, rpc_.call("getblockhash", json::array({height})));
  auto h = r.is_string() ? parse_block_hash_hex(r.get<std::string>()) : Expected<Bytes32>(make_error("x"));
  if (!h) return make_error("chain.rpc-reply", "getblockhash returned a malformed hash");
  return *h;
}

Expected<std::shared_ptr<const Block>> BitcoindBackend::source_block(const Bytes32& hash) {
  LADDER_ASSIGN(json r, rpc_.call("getblock", json::array({block_hash_hex(hash), 0})));
  if (!r.is_string()) return make_error("chain.rpc-reply", "getblock did not return hex");
  auto bytes = from_hex(r.get<std::string>());
  if (!bytes) return make_error("chain.rpc-reply", "getblock returned bad hex");
  auto block = parse_block(*bytes);
  if (!block) return make_error("chain.rpc-reply", "getblock returned an unparsable block: " + block.error().to_string());
  if (block->header.hash() != hash) return make_error("chain.rpc-reply", "getblock returned a different block");
  return std::shared_ptr<const Block>(std::make_shared<Block>(std::move(*block)));
}

Expected<std::optional<btc::Transaction>> BitcoindBackend::source_mempool_spender(const btc::OutPoint& op) {
  LADDER_ASSIGN(json r, rpc_.call("gettxspendingprevout", json::array({json::array({json{{"txid", op.txid.hex()}, {"vout", op.n}}})})));
  if (!r.is_array() || r.size() != 1) return make_error("chain.rpc-reply", "gettxspendingprevout mismatch");
  if (!r[0].contains("spendingtxid")) return std::optional<btc::Transaction>{};
  LADDER_ASSIGN(std::string spender, field<std::string>(r[0], "spendingtxid"));
  auto txid = btc::Txid::from_hex(spender);
  if (!txid) return make_error("chain.rpc-reply", "malformed spendingtxid");
  LADDER_ASSIGN(std::optional<TxStatus> st, get_tx(*txid));
  if (!st) return std::optional<btc::Transaction>{};  // mined or evicted in between
  return std::optional<btc::Transaction>(std::move(st->tx));
}

}  // namespace ladder::chain
