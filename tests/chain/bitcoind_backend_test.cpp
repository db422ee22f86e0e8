// BitcoindBackend against a real `ladder chaind` server over real HTTP:
// the same verdicts and events as the embedded backend, reorgs seen through
// invalidateblock, and retries across a server restart.
#include <gtest/gtest.h>

#include <thread>

#include "chain/bitcoind_backend.h"
#include "chain/embedded_backend.h"
#include "event_kinds.h"
#include "rpc_fixture.h"

namespace ladder::chain {
namespace {

using nlohmann::json;
using testing::kinds;
using testing::Spend;
using testing::TestWallet;

struct BitcoindTest : ::testing::Test {
  testing::ServedChain served;
  std::unique_ptr<BitcoindBackend> backend;
  TestWallet w{9};
  void SetUp() override {
    served.start();
    backend = std::make_unique<BitcoindBackend>(BitcoindOptions{served.client_options(), 2000});
    ASSERT_TRUE(backend->mine(101, w.script()));
    ASSERT_TRUE(backend->poll());
  }
  Spend coinbase(int height) {
    auto hash = backend->rpc().call("getblockhash", {height}).value();
    auto block = parse_block(from_hex(backend->rpc().call("getblock", {hash, 0})->get<std::string>()).value()).value();
    return Spend{btc::OutPoint{block.txs[0].txid(), 0}, block.txs[0].vout[0]};
  }
  btc::TxOut to_me(btc::Amount v) { return btc::TxOut{v, w.script()}; }
};

TEST_F(BitcoindTest, BroadcastVerdictsMatchTheEmbeddedBackend) {
  auto tx = w.spend({coinbase(1)}, {to_me(49 * btc::COIN)});
  auto r = backend->broadcast(tx);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(*r, tx.txid());
  EXPECT_TRUE(backend->broadcast(tx)) << "idempotent";
  auto bad_sig = w.spend({coinbase(2)}, {to_me(49 * btc::COIN)});
  bad_sig.vin[0].witness[0][3] ^= 1;
  auto e = backend->broadcast(bad_sig);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "mandatory-script-verify-flag-failed");
  EXPECT_FALSE(e.error().message.empty());
  auto immature = w.spend({coinbase(60)}, {to_me(49 * btc::COIN)});
  EXPECT_EQ(backend->broadcast(immature).error().code, "bad-txns-premature-spend-of-coinbase");
  auto conflict = w.spend({coinbase(1)}, {to_me(49 * btc::COIN - 100)});
  auto c = backend->broadcast(conflict);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "insufficient fee");
  EXPECT_NE(c.error().message.find("rejecting replacement"), std::string::npos);
  auto dust = w.spend({coinbase(3)}, {to_me(49 * btc::COIN), btc::TxOut{1, w.script()}});
  EXPECT_EQ(backend->broadcast(dust).error().code, "dust");
  ASSERT_TRUE(backend->mine(1, w.script()));
  EXPECT_EQ(backend->broadcast(tx).error().code, "txn-already-known");
  auto spent = w.spend({coinbase(1)}, {to_me(48 * btc::COIN)});
  EXPECT_EQ(backend->broadcast(spent).error().code, "bad-txns-inputs-missingorspent");
}

TEST_F(BitcoindTest, QueriesAgreeWithTheChain) {
  auto tx = w.spend({coinbase(1)}, {to_me(49 * btc::COIN)});
  ASSERT_TRUE(backend->broadcast(tx));
  auto st = backend->get_tx(tx.txid());
  ASSERT_TRUE(st && st->has_value());
  EXPECT_EQ((*st)->confirmations, 0);
  EXPECT_EQ((*st)->tx, tx);
  ASSERT_TRUE(backend->mine(2, w.script()));
  st = backend->get_tx(tx.txid());
  EXPECT_EQ((*st)->confirmations, 2);
  EXPECT_EQ((*st)->height, 102);
  EXPECT_FALSE(backend->get_tx(btc::Txid{Bytes32{1}})->has_value());
  auto tip = backend->tip();
  ASSERT_TRUE(tip);
  EXPECT_EQ(tip->height, 103);
  EXPECT_LT(tip->median_time_past, tip->time);
  auto utxos = backend->unspent_outputs(w.script());
  ASSERT_TRUE(utxos) << utxos.error().to_string();
  EXPECT_EQ(utxos->size(), 103u) << "103 coinbases - the one spent + the tx's output";
  auto fee = backend->estimate_fee_per_kvb(3);
  ASSERT_TRUE(fee);
  EXPECT_GE(*fee, 1000);
  ASSERT_TRUE(backend->set_mock_time(1'900'000'000));
  ASSERT_TRUE(backend->mine(1, w.script()));
  EXPECT_EQ(backend->tip()->time, 1'900'000'000);
}

TEST_F(BitcoindTest, WatchEventsAcrossInvalidateBlock) {
  Spend c = coinbase(1);
  auto tx = w.spend({c}, {to_me(49 * btc::COIN)});
  backend->watch_txid(tx.txid());
  backend->watch_outpoint(c.outpoint);
  ASSERT_TRUE(backend->broadcast(tx));
  auto ev = backend->poll();
  ASSERT_TRUE(ev) << ev.error().to_string();
  EXPECT_EQ(kinds(*ev), std::vector<std::string>{"outpoint_spent_in_mempool"});
  auto mined = backend->mine(1, w.script());
  ASSERT_TRUE(mined);
  ev = backend->poll();
  EXPECT_EQ(kinds(*ev), (std::vector<std::string>{"block_connected", "tx_confirmed", "outpoint_spent"}));
  ASSERT_TRUE(backend->rpc().call("invalidateblock", {block_hash_hex((*mined)[0])}));
  ASSERT_TRUE(backend->mine(2, w.script()));
  ev = backend->poll();
  ASSERT_TRUE(ev);
  EXPECT_EQ(kinds(*ev), (std::vector<std::string>{"tx_reorged_out", "outpoint_spend_reorged_out", "block_disconnected",
                                                  "block_connected", "tx_confirmed", "outpoint_spent", "block_connected"}))
      << "the tx returned to the mempool and was mined again in the new branch";
  EXPECT_EQ((*ev)[4].height, 102);
  EXPECT_NE((*ev)[4].block_hash, (*mined)[0]);
}

TEST_F(BitcoindTest, RetriesAcrossAServerRestartAndReportsAnAbsentNode) {
  served.stop();
  int port = served.port;
  std::thread restart([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    RpcServerOptions opts;
    opts.port = port;
    opts.data_dir = served.dir.path.string();
    served.server = std::make_unique<RpcServer>(served.chain, served.store.get(), opts);
    ASSERT_TRUE(served.server->start());
  });
  auto o = served.client_options();
  o.retries = 6;
  o.retry_delay_ms = 20;
  BitcoindBackend patient(BitcoindOptions{o, 2000});
  auto tip = patient.tip();
  restart.join();
  ASSERT_TRUE(tip) << tip.error().to_string();
  EXPECT_EQ(tip->height, 101);
  served.stop();
  // bitcoind removes its cookie when it stops: cookie auth reports that,
  // password auth the refused connection.
  EXPECT_EQ(backend->tip().error().code, "chain.rpc-auth");
  BitcoindBackend by_password(BitcoindOptions{served.client_options(false), 2000});
  auto gone = by_password.tip();
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "chain.rpc-connect");
}

TEST(ParseReject, BitcoindMessages) {
  EXPECT_EQ(parse_reject(-26, "non-BIP68-final"), make_error("non-BIP68-final"));
  EXPECT_EQ(parse_reject(-26, "TRUC-violation, version=3 tx x is too big"), make_error("TRUC-violation", "version=3 tx x is too big"));
  EXPECT_EQ(parse_reject(-26, "mandatory-script-verify-flag-failed (Invalid Schnorr signature)"),
            make_error("mandatory-script-verify-flag-failed", "Invalid Schnorr signature"));
  EXPECT_EQ(parse_reject(-27, "Transaction outputs already in utxo set").code, "txn-already-known");
  EXPECT_EQ(parse_reject(-25, "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)").code, "max-fee-exceeded");
}

}  // namespace
}  // namespace ladder::chain
