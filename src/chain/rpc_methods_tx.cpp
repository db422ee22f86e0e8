// ChainRpc: transaction, UTXO and mempool methods.
#include "chain/policy.h"
#include "chain/rpc_json.h"
#include "chain/rpc_methods_internal.h"
#include "chain/script_type.h"

namespace ladder::chain::rpc {

using nlohmann::json;

namespace {

// bitcoind's default maxfeerate for sendrawtransaction/testmempoolaccept.
constexpr btc::Amount kDefaultMaxFeePerKvb = btc::COIN / 10;

btc::Transaction decode_tx(const Params& a, size_t i) {
  auto bytes = from_hex(a.string(i));
  if (!bytes) fail(RPC_DESERIALIZATION_ERROR, "TX decode failed. Make sure the tx has at least one input.");
  auto tx = btc::parse_transaction(*bytes);
  if (!tx) tx = btc::parse_transaction(*bytes, false);
  if (!tx) fail(RPC_DESERIALIZATION_ERROR, "TX decode failed. Make sure the tx has at least one input.");
  return std::move(*tx);
}

btc::Amount max_fee_per_kvb(const Params& a, size_t i) {
  if (!a.has(i)) return kDefaultMaxFeePerKvb;
  auto v = amount_from_json(a.at(i));
  if (!v) fail(RPC_TYPE_ERROR, v.error().message);
  return *v;
}

bool exceeds(btc::Amount fee, int64_t vsize, btc::Amount max_per_kvb) {
  return max_per_kvb > 0 && fee > fee_for(max_per_kvb, vsize);
}

// testmempoolaccept's short reason (Core maps missing inputs to "missing-inputs").
std::string short_reason(const Error& e) {
  if (e.code == "bad-txns-inputs-missingorspent") return "missing-inputs";
  if (e.code == "mandatory-script-verify-flag-failed" || e.code == "non-mandatory-script-verify-flag")
    return e.code + " (" + e.message + ")";
  return e.code;
}

}  // namespace

json getrawtransaction(Context& c, const json& p) {
  Params a(p, {"txid", "verbose", "blockhash"});
  auto txid = btc::Txid{a.hash(0)};
  bool verbose = false;
  if (a.at(1).is_number_integer()) verbose = a.at(1).get<int64_t>() != 0;
  else verbose = a.boolean_or(1, false);
  auto loc = c.chain.find_tx(txid);
  if (a.has(2)) {
    Bytes32 want = a.hash(2);
    if (!c.chain.find_block(want)) fail(RPC_INVALID_ADDRESS_OR_KEY, "Block hash not found");
    if (!loc || loc->block_hash != want) fail(RPC_INVALID_ADDRESS_OR_KEY, "No such transaction found in the provided block.");
  }
  if (!loc) fail(RPC_INVALID_ADDRESS_OR_KEY, "No such mempool or blockchain transaction. Use gettransaction for wallet transactions.");
  std::string hex = to_hex(loc->tx->serialize());
  if (!verbose) return hex;
  json j = tx_json(*loc->tx);
  j["hex"] = hex;
  if (loc->height >= 0) {
    j["blockhash"] = block_hash_hex(loc->block_hash);
    j["confirmations"] = loc->confirmations;
    uint32_t t = c.chain.at_height(loc->height)->block->header.time;
    j["time"] = t;
    j["blocktime"] = t;
  }
  return j;
}

json sendrawtransaction(Context& c, const json& p) {
  Params a(p, {"hexstring", "maxfeerate", "maxburnamount"});
  btc::Transaction tx = decode_tx(a, 0);
  btc::Amount max_fee = max_fee_per_kvb(a, 1);
  TxFacts f = tx_facts(tx);
  if (c.chain.mempool().find(f.txid)) return f.txid.hex();
  for (uint32_t n = 0; n < tx.vout.size(); ++n)
    if (c.chain.coin(btc::OutPoint{f.txid, n})) fail(RPC_VERIFY_ALREADY_IN_CHAIN, "Transaction outputs already in utxo set");
  auto check = c.chain.test_accept(tx);
  if (check && exceeds(check->fee, check->vsize, max_fee))
    fail(RPC_VERIFY_ERROR, "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
  auto r = check ? c.chain.submit(tx) : check;
  if (!r) {
    const Error& e = r.error();
    if (e.code == "bad-txns-inputs-missingorspent") fail(RPC_VERIFY_ERROR, e.code);
    if (e.code == "txn-already-known") fail(RPC_VERIFY_ALREADY_IN_CHAIN, "Transaction outputs already in utxo set");
    fail(RPC_VERIFY_REJECTED, reject_message(e));
  }
  return r->txid.hex();
}

json testmempoolaccept(Context& c, const json& p) {
  Params a(p, {"rawtxs", "maxfeerate"});
  const json& raw = a.at(0);
  if (!raw.is_array()) fail(RPC_TYPE_ERROR, std::string("JSON value of type ") + json_type_name(raw) + " is not of expected type array");
  if (raw.empty() || raw.size() > 25) fail(RPC_INVALID_PARAMETER, "Array must contain between 1 and 25 transactions.");
  btc::Amount max_fee = max_fee_per_kvb(a, 1);
  json out = json::array();
  for (size_t i = 0; i < raw.size(); ++i) {
    Params one(json::array({raw[i]}), {"rawtx"});
    btc::Transaction tx = decode_tx(one, 0);
    TxFacts f = tx_facts(tx);
    json r{{"txid", f.txid.hex()}, {"wtxid", to_hex(reversed(f.wtxid))}};
    auto v = c.chain.test_accept(tx);
    if (v && exceeds(v->fee, v->vsize, max_fee)) {
      r["allowed"] = false;
      r["reject-reason"] = "max-fee-exceeded";
    } else if (v) {
      r["allowed"] = true;
      r["vsize"] = v->vsize;
      r["fees"] = json{{"base", btc_value(v->fee)}};
    } else {
      r["allowed"] = false;
      r["reject-reason"] = short_reason(v.error());
      r["reject-details"] = reject_message(v.error());
    }
    out.push_back(std::move(r));
  }
  return out;
}

json gettxout(Context& c, const json& p) {
  Params a(p, {"txid", "n", "include_mempool"});
  btc::OutPoint op{btc::Txid{a.hash(0)}, static_cast<uint32_t>(a.integer(1, 0, UINT32_MAX))};
  bool mempool = a.boolean_or(2, true);
  json j{{"bestblock", block_hash_hex(c.chain.tip().hash)}};
  if (const Coin* coin = c.chain.coin(op)) {
    if (mempool && c.chain.mempool().spender(op)) return nullptr;
    j["confirmations"] = c.chain.height() - coin->height + 1;
    j["value"] = btc_value(coin->out.value);
    j["scriptPubKey"] = script_pubkey_json(coin->out.script_pubkey);
    j["coinbase"] = coin->coinbase;
    return j;
  }
  if (!mempool) return nullptr;
  const btc::TxOut* o = c.chain.mempool().output(op);
  if (!o || c.chain.mempool().spender(op) || is_unspendable(o->script_pubkey)) return nullptr;
  j["confirmations"] = 0;
  j["value"] = btc_value(o->value);
  j["scriptPubKey"] = script_pubkey_json(o->script_pubkey);
  j["coinbase"] = false;
  return j;
}

json gettxspendingprevout(Context& c, const json& p) {
  Params a(p, {"outputs"});
  const json& outs = a.at(0);
  if (!outs.is_array()) fail(RPC_TYPE_ERROR, std::string("JSON value of type ") + json_type_name(outs) + " is not of expected type array");
  if (outs.empty()) fail(RPC_INVALID_PARAMETER, "Invalid parameter, outputs are missing");
  json result = json::array();
  for (const auto& o : outs) {
    if (!o.is_object()) fail(RPC_TYPE_ERROR, "Invalid parameter, expected an object with txid and vout");
    Params op_params(o, {"txid", "vout"});
    btc::OutPoint op{btc::Txid{op_params.hash(0)}, 0};
    int64_t vout = op_params.integer(1, INT64_MIN, INT64_MAX);
    if (vout < 0 || vout > UINT32_MAX) fail(RPC_INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
    op.n = static_cast<uint32_t>(vout);
    json r{{"txid", op.txid.hex()}, {"vout", op.n}};
    if (const btc::Txid* s = c.chain.mempool().spender(op)) r["spendingtxid"] = s->hex();
    result.push_back(std::move(r));
  }
  return result;
}

json scantxoutset(Context& c, const json& p) {
  Params a(p, {"action", "scanobjects"});
  std::string action = a.string(0);
  if (action == "abort") return false;
  if (action == "status") return nullptr;
  if (action != "start") fail(RPC_INVALID_PARAMETER, "Invalid action '" + action.substr(0, 40) + "'");
  const json& objs = a.at(1);
  if (!objs.is_array()) fail(RPC_INVALID_PARAMETER, "scanobjects argument is required for the start action");
  std::vector<std::pair<Bytes, std::string>> scripts;
  for (const auto& o : objs) {
    std::string desc;
    if (o.is_string()) desc = o.get<std::string>();
    else if (o.is_object() && o.contains("desc") && o["desc"].is_string()) desc = o["desc"].get<std::string>();
    else fail(RPC_INVALID_PARAMETER, "Scan object needs to be either a string or an object");
    scripts.emplace_back(script_from_target(desc, false), desc);
  }
  json unspents = json::array();
  btc::Amount total = 0;
  size_t scanned = 0;
  for (const auto& [op, coin] : c.chain.utxos().all()) {
    ++scanned;
    for (const auto& [script, desc] : scripts) {
      if (coin.out.script_pubkey != script) continue;
      total += coin.out.value;
      unspents.push_back(json{{"txid", op.txid.hex()}, {"vout", op.n}, {"scriptPubKey", to_hex(script)},
                              {"desc", desc}, {"amount", btc_value(coin.out.value)}, {"coinbase", coin.coinbase},
                              {"height", coin.height},
                              {"blockhash", block_hash_hex(c.chain.at_height(coin.height)->hash)},
                              {"confirmations", c.chain.height() - coin.height + 1}});
    }
  }
  return json{{"success", true}, {"txouts", scanned}, {"height", c.chain.height()},
              {"bestblock", block_hash_hex(c.chain.tip().hash)}, {"unspents", std::move(unspents)},
              {"total_amount", btc_value(total)}};
}

json getmempoolinfo(Context& c, const json& p) {
  Params(p, {});
  const auto& m = c.chain.mempool();
  const auto& params = c.chain.params();
  return json{{"loaded", true}, {"size", m.size()}, {"bytes", m.total_vsize()}, {"usage", m.total_vsize() * 4},
              {"total_fee", btc_value(m.total_fee())}, {"maxmempool", 300'000'000},
              {"mempoolminfee", btc_value(params.min_relay_fee_per_kvb)},
              {"minrelaytxfee", btc_value(params.min_relay_fee_per_kvb)},
              {"incrementalrelayfee", btc_value(params.incremental_relay_fee_per_kvb)}, {"unbroadcastcount", 0},
              {"fullrbf", params.full_rbf}};
}

json getrawmempool(Context& c, const json& p) {
  Params a(p, {"verbose", "mempool_sequence"});
  bool verbose = a.boolean_or(0, false);
  const auto& m = c.chain.mempool();
  if (!verbose) {
    json out = json::array();
    for (const MempoolEntry* e : m.in_arrival_order()) out.push_back(e->facts.txid.hex());
    return out;
  }
  json out = json::object();
  for (const MempoolEntry* e : m.in_arrival_order()) {
    json depends = json::array(), spentby = json::array();
    for (const auto& t : e->parents) depends.push_back(t.hex());
    for (const auto& t : e->children) spentby.push_back(t.hex());
    out[e->facts.txid.hex()] = json{{"vsize", e->facts.vsize}, {"weight", e->facts.weight},
                                    {"height", c.chain.height()}, {"wtxid", to_hex(reversed(e->facts.wtxid))},
                                    {"ancestorcount", m.ancestors_of(e->parents).size() + 1},
                                    {"descendantcount", m.descendants(e->facts.txid).size() + 1},
                                    {"fees", json{{"base", btc_value(e->fee)}, {"modified", btc_value(e->fee)}}},
                                    {"depends", std::move(depends)}, {"spentby", std::move(spentby)},
                                    {"bip125-replaceable", true}, {"unbroadcast", false}};
  }
  return out;
}

}  // namespace ladder::chain::rpc
