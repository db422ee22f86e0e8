// `ladder chaind`'s JSON-RPC over real HTTP: results in bitcoind's shapes,
// bitcoind's error codes, and garbage that must not crash the server.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <random>
#include <thread>

#include "btc/address.h"
#include "chain/rpc_json.h"
#include "rpc_fixture.h"

namespace ladder::chain {
namespace {

using nlohmann::json;
using testing::Spend;
using testing::TestWallet;

struct RpcTest : ::testing::Test {
  testing::ServedChain served;
  std::unique_ptr<RpcClient> rpc;
  TestWallet w{8};
  void SetUp() override {
    served.start();
    rpc = std::make_unique<RpcClient>(served.client_options());
    ASSERT_TRUE(rpc->call("generatetoaddress", {101, "raw(" + to_hex(w.script()) + ")"}));
  }
  json ok_call(const std::string& m, json params = json::array()) {
    auto r = rpc->call(m, std::move(params));
    EXPECT_TRUE(r) << m << ": " << r.error().to_string();
    return r ? *r : json();
  }
  int error_code(const std::string& m, json params = json::array()) {
    auto r = rpc->call(m, std::move(params));
    if (r) return 0;
    EXPECT_EQ(r.error().code, "chain.rpc-error") << r.error().to_string();
    return r.error().index;
  }
  Spend coinbase(int height) {
    auto block = parse_block(from_hex(ok_call("getblock", {ok_call("getblockhash", {height}), 0}).get<std::string>()).value()).value();
    return Spend{btc::OutPoint{block.txs[0].txid(), 0}, block.txs[0].vout[0]};
  }
  btc::TxOut to_me(btc::Amount v) { return btc::TxOut{v, w.script()}; }
};

TEST_F(RpcTest, BlockchainQueries) {
  EXPECT_EQ(ok_call("getblockcount"), 101);
  json info = ok_call("getblockchaininfo");
  EXPECT_EQ(info["chain"], "regtest");
  EXPECT_EQ(info["blocks"], 101);
  std::string best = info["bestblockhash"];
  EXPECT_EQ(ok_call("getbestblockhash"), best);
  EXPECT_EQ(ok_call("getblockhash", {101}), best);
  auto block = parse_block(from_hex(ok_call("getblock", {best, 0}).get<std::string>()).value());
  ASSERT_TRUE(block);
  EXPECT_EQ(block_hash_hex(block->header.hash()), best);
  json v1 = ok_call("getblock", {best, 1});
  EXPECT_EQ(v1["height"], 101);
  EXPECT_EQ(v1["confirmations"], 1);
  EXPECT_EQ(v1["tx"][0], block->txs[0].txid().hex());
  json v2 = ok_call("getblock", {best, 2});
  EXPECT_EQ(v2["tx"][0]["vout"][0]["value"], 50.0);
  EXPECT_EQ(v2["tx"][0]["vout"][0]["scriptPubKey"]["type"], "witness_v1_taproot");
  EXPECT_EQ(v2["tx"][0]["vout"][0]["scriptPubKey"]["address"],
            btc::address_from_script(btc::Network::regtest, w.script()).value());
  json header = ok_call("getblockheader", {best});
  EXPECT_EQ(header["height"], 101);
  EXPECT_EQ(ok_call("getblock", {ok_call("getblockhash", {100}), 1})["nextblockhash"], best);
}

TEST_F(RpcTest, TransactionsAndMempool) {
  Spend c = coinbase(1);
  auto tx = w.spend({c}, {to_me(49 * btc::COIN)});
  std::string hex = to_hex(tx.serialize());
  EXPECT_EQ(ok_call("testmempoolaccept", {json::array({hex})})[0]["reject-reason"], "max-fee-exceeded");
  json accept = ok_call("testmempoolaccept", {json::array({hex}), 0});
  EXPECT_EQ(accept[0]["allowed"], true);
  EXPECT_EQ(accept[0]["fees"]["base"], 1.0);
  EXPECT_EQ(error_code("sendrawtransaction", {hex}), RPC_VERIFY_ERROR) << "1 BTC fee exceeds the default maxfeerate";
  EXPECT_EQ(ok_call("sendrawtransaction", {hex, 0}), tx.txid().hex());
  EXPECT_EQ(ok_call("sendrawtransaction", {hex, 0}), tx.txid().hex()) << "already in the mempool: same txid";
  EXPECT_EQ(ok_call("getrawmempool"), json::array({tx.txid().hex()}));
  EXPECT_EQ(ok_call("getmempoolinfo")["size"], 1);
  json spending = ok_call("gettxspendingprevout", {json::array({json{{"txid", c.outpoint.txid.hex()}, {"vout", 0}}})});
  EXPECT_EQ(spending[0]["spendingtxid"], tx.txid().hex());
  EXPECT_EQ(ok_call("gettxout", {c.outpoint.txid.hex(), 0}), json(nullptr)) << "spent in the mempool";
  EXPECT_EQ(ok_call("gettxout", {tx.txid().hex(), 0})["confirmations"], 0);
  ok_call("generatetoaddress", {1, btc::address_from_script(btc::Network::regtest, w.script()).value()});
  json raw = ok_call("getrawtransaction", {tx.txid().hex(), true});
  EXPECT_EQ(raw["confirmations"], 1);
  EXPECT_EQ(raw["hex"], hex);
  EXPECT_EQ(ok_call("gettxout", {tx.txid().hex(), 0})["value"], 49.0);
  EXPECT_EQ(error_code("sendrawtransaction", {hex, 0}), RPC_VERIFY_ALREADY_IN_CHAIN);
  // Spending a spent coin, an immature coinbase, a relative lock.
  auto again = w.spend({c}, {to_me(48 * btc::COIN)});
  EXPECT_EQ(error_code("sendrawtransaction", {to_hex(again.serialize()), 0}), RPC_VERIFY_ERROR);
  json reject = ok_call("testmempoolaccept", {json::array({to_hex(again.serialize())})});
  EXPECT_EQ(reject[0]["allowed"], false);
  EXPECT_EQ(reject[0]["reject-reason"], "missing-inputs");
  auto immature = w.spend({coinbase(50)}, {to_me(49 * btc::COIN)});
  auto r = rpc->call("sendrawtransaction", {to_hex(immature.serialize()), 0});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().index, RPC_VERIFY_REJECTED);
  EXPECT_EQ(r.error().message.rfind("bad-txns-premature-spend-of-coinbase, ", 0), 0u) << r.error().message;
}

TEST_F(RpcTest, ScanEstimateAndMockTime) {
  json scan = ok_call("scantxoutset", {"start", json::array({"raw(" + to_hex(w.script()) + ")"})});
  EXPECT_EQ(scan["success"], true);
  EXPECT_EQ(scan["unspents"].size(), 101u);
  EXPECT_EQ(scan["total_amount"], 5050.0);
  std::string addr = btc::address_from_script(btc::Network::regtest, w.script()).value();
  json by_addr = ok_call("scantxoutset", {"start", json::array({json{{"desc", "addr(" + addr + ")"}}})});
  EXPECT_EQ(by_addr["unspents"].size(), 101u);
  EXPECT_EQ(error_code("scantxoutset", {"start", json::array({"pkh(02aa)"})}), RPC_INVALID_PARAMETER);
  json fee = ok_call("estimatesmartfee", {6});
  EXPECT_GT(fee["feerate"].get<double>(), 0);
  ok_call("setmocktime", {2'000'000'000});
  ok_call("generatetodescriptor", {1, "raw(" + to_hex(w.script()) + ")"});
  EXPECT_EQ(ok_call("getblockchaininfo")["time"], 2'000'000'000);
  std::string tip = ok_call("getbestblockhash");
  ok_call("invalidateblock", {tip});
  EXPECT_EQ(ok_call("getblockcount"), 101);
  EXPECT_EQ(ok_call("getblock", {tip, 1})["confirmations"], -1);
}

TEST_F(RpcTest, ErrorCodes) {
  EXPECT_EQ(error_code("getblockhash", {102}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("getblockhash", {-1}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("getblockhash", {"1"}), RPC_TYPE_ERROR);
  EXPECT_EQ(error_code("getblockhash", {1.5}), RPC_TYPE_ERROR);
  EXPECT_EQ(error_code("getblockhash", {json::parse("123456789012345678901234567890")}), RPC_TYPE_ERROR);
  EXPECT_EQ(error_code("getblockhash", {json::parse("18446744073709551615")}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("getblockhash"), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("getblock", {std::string(64, '0')}), RPC_INVALID_ADDRESS_OR_KEY);
  EXPECT_EQ(error_code("getblock", {"zz"}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("getrawtransaction", {std::string(64, '1')}), RPC_INVALID_ADDRESS_OR_KEY);
  EXPECT_EQ(error_code("sendrawtransaction", {"0200000001"}), RPC_DESERIALIZATION_ERROR);
  EXPECT_EQ(error_code("sendrawtransaction", {"abc"}), RPC_DESERIALIZATION_ERROR);
  EXPECT_EQ(error_code("sendrawtransaction", {json::object()}), RPC_TYPE_ERROR);
  EXPECT_EQ(error_code("generatetoaddress", {1, "bc1qnotregtest"}), RPC_INVALID_ADDRESS_OR_KEY);
  EXPECT_EQ(error_code("generatetoaddress", {100000, "raw(51)"}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("testmempoolaccept", {json::array()}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("estimatesmartfee", {0}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(error_code("getblockcount", {1, 2, 3}), RPC_MISC_ERROR);
  EXPECT_EQ(error_code("nosuchmethod"), RPC_METHOD_NOT_FOUND);
  EXPECT_EQ(error_code("getblock", json{{"blockhash", std::string(64, 'f')}, {"bogus", 1}}), RPC_INVALID_PARAMETER);
  EXPECT_EQ(ok_call("getblockhash", json{{"height", 0}}).get<std::string>().size(), 64u) << "named parameters";
}

TEST_F(RpcTest, GarbageNeverCrashesTheServer) {
  httplib::Client http("127.0.0.1", served.port);
  http.set_basic_auth("u", "p");
  auto post = [&](const std::string& body) {
    auto res = http.Post("/", body, "application/json");
    EXPECT_TRUE(res) << "server stopped answering after: " << body.substr(0, 80);
    return res ? std::make_pair(res->status, res->body) : std::make_pair(0, std::string());
  };
  EXPECT_EQ(post("garbage").first, 500);
  EXPECT_NE(post("garbage").second.find("-32700"), std::string::npos);
  EXPECT_NE(post("42").second.find("-32600"), std::string::npos);
  EXPECT_NE(post("{\"method\": 5}").second.find("-32600"), std::string::npos);
  EXPECT_NE(post("{\"method\": \"getblockcount\", \"params\": 7}").second.find("-32600"), std::string::npos);
  auto batch = post("[{\"method\":\"getblockcount\",\"id\":1}, 5, {\"method\":\"nope\",\"id\":2}]");
  EXPECT_EQ(batch.first, 200);
  json replies = json::parse(batch.second);
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0]["result"], 101);
  EXPECT_EQ(replies[2]["error"]["code"], RPC_METHOD_NOT_FOUND);
  std::string deep(100'000, '[');
  EXPECT_EQ(post(deep).first, 500);
  std::string deep_valid = std::string(20'000, '[') + std::string(20'000, ']');
  auto nested = post(deep_valid);
  EXPECT_EQ(nested.first, 200) << "a batch of one invalid request";
  EXPECT_NE(nested.second.find("-32600"), std::string::npos);
  EXPECT_EQ(post("{\"method\":\"getblockhash\",\"params\":[1e999]}").first, 500);
  // Error messages quoting input cut inside a UTF-8 sequence still serialize.
  std::string accents;
  for (int i = 0; i < 60; ++i) accents += "\xc3\xa9";
  auto cut = post("{\"method\":\"getblock\",\"params\":[\"a" + accents + "\"]}");  // quoted up to byte 80
  EXPECT_EQ(cut.first, 500);
  EXPECT_NE(cut.second.find("\"code\":-8"), std::string::npos) << cut.second;
  // Random bodies and random mutations of valid requests, bounded.
  std::mt19937 rng(1234);
  const std::string valid = R"({"method":"getblock","params":["0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",2],"id":1})";
  for (int i = 0; i < 300; ++i) {
    std::string body = valid;
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) body[rng() % body.size()] = static_cast<char>(rng() % 256);
    if (i % 3 == 0) body.resize(rng() % body.size());
    post(body);
  }
  for (const char* m : {"getblock", "getrawtransaction", "sendrawtransaction", "testmempoolaccept", "gettxout",
                        "scantxoutset", "generatetoaddress", "gettxspendingprevout", "setmocktime", "invalidateblock"}) {
    for (const char* params : {"[]", "[null]", "[true, false]", "[{}]", "[[]]", "[\"\"]", "[-1, -1, -1]", "[1e308]",
                               "[\"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\", 99999999999]"}) {
      post(std::string("{\"method\":\"") + m + "\",\"params\":" + params + "}");
    }
  }
  EXPECT_EQ(ok_call("getblockcount"), 101) << "still serving, chain unchanged";
  httplib::Client anon("127.0.0.1", served.port);
  auto res = anon.Post("/", "{\"method\":\"getblockcount\"}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(RpcTest, ConcurrentClientsAreSerialized) {
  constexpr int kThreads = 4, kCalls = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      RpcClient c(served.client_options());
      for (int i = 0; i < kCalls; ++i) {
        if (!c.call("generatetoaddress", {1, "raw(51)"})) ++failures;
        if (!c.call("getblockchaininfo")) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ok_call("getblockcount"), 101 + kThreads * kCalls);
}

TEST_F(RpcTest, UserPasswordAndCookieBothWork) {
  RpcClient by_password(served.client_options(false));
  EXPECT_TRUE(by_password.call("getblockcount"));
  auto bad = served.client_options(false);
  bad.password = "wrong";
  RpcClient wrong(bad);
  EXPECT_EQ(wrong.call("getblockcount").error().code, "chain.rpc-auth");
}

TEST(RpcJson, AmountsRoundTripExactly) {
  for (btc::Amount sat : {btc::Amount{0}, btc::Amount{1}, btc::Amount{10'000'000}, btc::Amount{2'099'999'997'690'000},
                          btc::MAX_MONEY, btc::Amount{123'456'789}}) {
    auto back = amount_from_json(json::parse(btc_value(sat).dump()));
    ASSERT_TRUE(back) << sat;
    EXPECT_EQ(*back, sat);
  }
  EXPECT_EQ(amount_from_json(json(0.1)).value(), 10'000'000);
  EXPECT_EQ(amount_from_json(json("0.00000001")).value(), 1);
  EXPECT_FALSE(amount_from_json(json(0.000000001)));
  EXPECT_FALSE(amount_from_json(json(-1)));
  EXPECT_FALSE(amount_from_json(json(21'000'001)));
  EXPECT_FALSE(amount_from_json(json("1x")));
  EXPECT_FALSE(amount_from_json(json::array()));
}

}  // namespace
}  // namespace ladder::chain
