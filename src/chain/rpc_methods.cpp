// ChainRpc dispatch and the blockchain, mining and control methods.
#include "chain/rpc_methods.h"

#include <map>

#include "btc/address.h"
#include "chain/rpc_json.h"
#include "chain/rpc_methods_internal.h"

namespace ladder::chain {

using nlohmann::json;
using rpc::fail;
using rpc::Params;

std::string reject_message(const Error& e) {
  if (e.code == "mandatory-script-verify-flag-failed" || e.code == "non-mandatory-script-verify-flag")
    return e.code + " (" + e.message + ")";
  return e.message.empty() ? e.code : e.code + ", " + e.message;
}

namespace rpc {

void Context::persist() const {
  if (!store) return;
  auto s = store->sync(chain);
  if (!s) fail(RPC_MISC_ERROR, "failed to write chain state: " + s.error().to_string());
}

Bytes script_from_target(const std::string& s, bool bare_address) {
  // A descriptor may carry a checksum suffix ("#abcdefgh"); it is not checked.
  std::string d = s.substr(0, s.find('#'));
  auto strip = [&](const std::string& prefix) -> std::optional<std::string> {
    if (d.size() > prefix.size() + 1 && d.rfind(prefix + "(", 0) == 0 && d.back() == ')')
      return d.substr(prefix.size() + 1, d.size() - prefix.size() - 2);
    return std::nullopt;
  };
  if (auto hex = strip("raw")) {
    auto b = from_hex(*hex);
    if (!b) fail(RPC_INVALID_ADDRESS_OR_KEY, "Invalid raw() script hex");
    return std::move(*b);
  }
  std::optional<std::string> addr = strip("addr");
  if (!addr && bare_address) addr = s;
  if (!addr) fail(RPC_INVALID_PARAMETER, "Unsupported descriptor (raw() and addr() are supported): " + s.substr(0, 100));
  auto script = btc::script_from_address(btc::Network::regtest, *addr);
  if (!script) fail(RPC_INVALID_ADDRESS_OR_KEY, "Error: Invalid address");
  return std::move(*script);
}

namespace {

std::string chainwork_hex(int height) {
  // Regtest work per block is 2; chainwork = 2 * (height + 1).
  char buf[65];
  std::snprintf(buf, sizeof(buf), "%064llx", static_cast<unsigned long long>(2) * static_cast<unsigned long long>(height + 1));
  return buf;
}

constexpr double kRegtestDifficulty = 4.656542373906925e-10;

json block_json(Context& c, const BlockRecord& rec, int verbosity) {
  json j = block_header_json(rec.block->header);
  bool active = c.chain.is_active(rec.hash);
  j["confirmations"] = active ? c.chain.height() - rec.height + 1 : -1;
  j["height"] = rec.height;
  j["mediantime"] = rec.mtp;
  j["difficulty"] = kRegtestDifficulty;
  j["chainwork"] = chainwork_hex(rec.height);
  j["nTx"] = rec.block->txs.size();
  if (rec.height == 0) j.erase("previousblockhash");
  if (active && rec.height < c.chain.height()) j["nextblockhash"] = block_hash_hex(c.chain.at_height(rec.height + 1)->hash);
  j["strippedsize"] = rec.block->serialize(false).size();
  j["size"] = rec.block->serialize(true).size();
  j["weight"] = rec.block->weight();
  json txs = json::array();
  for (size_t i = 0; i < rec.block->txs.size(); ++i) {
    if (verbosity == 1) {
      txs.push_back(rec.facts[i].txid.hex());
    } else {
      json t = tx_json(rec.block->txs[i]);
      t["hex"] = to_hex(rec.block->txs[i].serialize());
      if (i > 0) t["fee"] = btc_value(rec.fees[i]);
      txs.push_back(std::move(t));
    }
  }
  j["tx"] = std::move(txs);
  return j;
}

const BlockRecord& find_block(Context& c, const Bytes32& hash) {
  const BlockRecord* rec = c.chain.find_block(hash);
  if (!rec) fail(RPC_INVALID_ADDRESS_OR_KEY, "Block not found");
  return *rec;
}

json getblockcount(Context& c, const json& p) {
  Params(p, {});
  return c.chain.height();
}

json getbestblockhash(Context& c, const json& p) {
  Params(p, {});
  return block_hash_hex(c.chain.tip().hash);
}

json getblockhash(Context& c, const json& p) {
  Params a(p, {"height"});
  int64_t h = a.integer(0, INT64_MIN, INT64_MAX);
  if (h < 0 || h > c.chain.height()) fail(RPC_INVALID_PARAMETER, "Block height out of range");
  return block_hash_hex(c.chain.at_height(static_cast<int>(h))->hash);
}

json getblock(Context& c, const json& p) {
  Params a(p, {"blockhash", "verbosity"});
  const BlockRecord& rec = find_block(c, a.hash(0));
  int64_t verbosity = 1;
  if (a.at(1).is_boolean()) verbosity = a.at(1).get<bool>() ? 1 : 0;
  else verbosity = a.integer_or(1, 1, INT64_MIN, INT64_MAX);
  if (verbosity <= 0) return to_hex(rec.block->serialize());
  return block_json(c, rec, verbosity == 1 ? 1 : 2);
}

json getblockheader(Context& c, const json& p) {
  Params a(p, {"blockhash", "verbose"});
  const BlockRecord& rec = find_block(c, a.hash(0));
  if (!a.boolean_or(1, true)) return to_hex(rec.block->header.serialize());
  json j = block_json(c, rec, 1);
  for (const char* k : {"tx", "strippedsize", "size", "weight"}) j.erase(k);
  return j;
}

json mine_to(Context& c, int64_t n, const Bytes& script) {
  auto r = c.chain.mine(static_cast<int>(n), script);
  c.persist();
  if (!r) fail(RPC_MISC_ERROR, r.error().to_string());
  json out = json::array();
  for (const auto& h : *r) out.push_back(block_hash_hex(h));
  return out;
}

// Extension: besides regtest addresses, "raw(HEX)" / "addr(ADDR)" are accepted.
json generatetoaddress(Context& c, const json& p) {
  Params a(p, {"nblocks", "address", "maxtries"});
  int64_t n = a.integer(0, 0, 10'000);
  Bytes script = script_from_target(a.string(1), true);
  a.integer_or(2, 1'000'000, 0, INT64_MAX);
  return mine_to(c, n, script);
}

json generatetodescriptor(Context& c, const json& p) {
  Params a(p, {"num_blocks", "descriptor", "maxtries"});
  int64_t n = a.integer(0, 0, 10'000);
  Bytes script = script_from_target(a.string(1), false);
  a.integer_or(2, 1'000'000, 0, INT64_MAX);
  return mine_to(c, n, script);
}

json invalidateblock(Context& c, const json& p) {
  Params a(p, {"blockhash"});
  const BlockRecord& rec = find_block(c, a.hash(0));
  if (!c.chain.is_active(rec.hash)) return nullptr;  // already not in the active chain
  if (rec.height == 0) fail(RPC_MISC_ERROR, "cannot invalidate the genesis block");
  auto s = c.chain.invalidate(c.chain.height() - rec.height + 1);
  c.persist();
  if (!s) fail(RPC_MISC_ERROR, s.error().to_string());
  return nullptr;
}

json setmocktime(Context& c, const json& p) {
  Params a(p, {"timestamp"});
  int64_t t = a.integer(0, 0, UINT32_MAX);
  if (t == 0) t = static_cast<int64_t>(std::time(nullptr));  // bitcoind: 0 returns to the system clock
  c.chain.set_time(t);
  c.persist();
  return nullptr;
}

json estimatesmartfee(Context& c, const json& p) {
  Params a(p, {"conf_target", "estimate_mode"});
  int64_t target = a.integer(0, 1, 1008);
  if (a.has(1)) {
    std::string mode = a.string(1);
    if (mode != "unset" && mode != "economical" && mode != "conservative" && mode != "UNSET" && mode != "ECONOMICAL" &&
        mode != "CONSERVATIVE")
      fail(RPC_INVALID_PARAMETER, "Invalid estimate_mode parameter, must be one of: \"unset\", \"economical\", \"conservative\"");
  }
  return json{{"feerate", btc_value(c.chain.estimate_fee_per_kvb())}, {"blocks", std::max<int64_t>(target, 2)}};
}

json getnetworkinfo(Context&, const json& p) {
  Params(p, {});
  return json{{"version", 280000}, {"subversion", "/ladder-chaind:0.1.0/"}, {"protocolversion", 70016},
              {"connections", 0}, {"networkactive", false}, {"relayfee", btc_value(1000)},
              {"incrementalfee", btc_value(1000)}, {"warnings", ""}};
}

json stop(Context& c, const json& p) {
  Params(p, {});
  c.stop = true;
  return "Bitcoin server stopping";
}

}  // namespace

json getblockchaininfo(Context& c, const json& p) {
  Params(p, {});
  const BlockRecord& t = c.chain.tip();
  return json{{"chain", c.chain.params().name}, {"blocks", t.height}, {"headers", t.height},
              {"bestblockhash", block_hash_hex(t.hash)}, {"difficulty", kRegtestDifficulty},
              {"time", t.block->header.time}, {"mediantime", t.mtp}, {"verificationprogress", 1},
              {"initialblockdownload", false}, {"chainwork", chainwork_hex(t.height)},
              {"size_on_disk", 0}, {"pruned", false}, {"warnings", ""}};
}

}  // namespace rpc

RpcOutcome ChainRpc::call(const std::string& method, const nlohmann::json& params) {
  static const std::map<std::string, rpc::Handler> handlers = {
      {"getblockchaininfo", rpc::getblockchaininfo}, {"getblockcount", rpc::getblockcount},
      {"getbestblockhash", rpc::getbestblockhash},   {"getblockhash", rpc::getblockhash},
      {"getblock", rpc::getblock},                   {"getblockheader", rpc::getblockheader},
      {"getrawtransaction", rpc::getrawtransaction}, {"sendrawtransaction", rpc::sendrawtransaction},
      {"testmempoolaccept", rpc::testmempoolaccept}, {"gettxout", rpc::gettxout},
      {"gettxspendingprevout", rpc::gettxspendingprevout}, {"scantxoutset", rpc::scantxoutset},
      {"estimatesmartfee", rpc::estimatesmartfee},   {"generatetoaddress", rpc::generatetoaddress},
      {"generatetodescriptor", rpc::generatetodescriptor},
      {"getmempoolinfo", rpc::getmempoolinfo},       {"getrawmempool", rpc::getrawmempool},
      {"invalidateblock", rpc::invalidateblock},     {"setmocktime", rpc::setmocktime},
      {"getnetworkinfo", rpc::getnetworkinfo},       {"stop", rpc::stop},
  };
  auto it = handlers.find(method);
  if (it == handlers.end()) return RpcOutcome{nullptr, RpcError{RPC_METHOD_NOT_FOUND, "Method not found"}};
  rpc::Context ctx{chain_, store_, stop_};
  try {
    return RpcOutcome{it->second(ctx, params), std::nullopt};
  } catch (const rpc::Fail& f) {
    return RpcOutcome{nullptr, f.error};
  } catch (const nlohmann::json::exception& e) {
    return RpcOutcome{nullptr, RpcError{RPC_TYPE_ERROR, e.what()}};
  }
}

}  // namespace ladder::chain
