// `ladder chaind`'s state survives kill -9: a child process serves the
// chain (or mines in a loop) and is killed; the chain reopened from its data
// directory has the same tip, clock and UTXOs, and a torn tail is cut off.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "chain/block_store.h"
#include "chain/rpc_client.h"
#include "chain/rpc_server.h"
#include "rpc_fixture.h"

namespace ladder::chain {
namespace {

using nlohmann::json;
using testing::TempDir;
using testing::TestWallet;

// Forks a child that serves `dir` on a free port; returns (pid, port).
std::pair<pid_t, int> spawn_server(const std::string& dir) {
  int fds[2];
  if (pipe(fds) != 0) return {-1, 0};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    EmbeddedChain chain;
    auto store = BlockStore::open(dir, chain);
    if (!store) _exit(2);
    RpcServerOptions opts;
    opts.port = 0;
    opts.data_dir = dir;
    RpcServer server(chain, store->get(), opts);
    auto port = server.start();
    int p = port ? *port : -1;
    if (write(fds[1], &p, sizeof(p)) != sizeof(p)) _exit(3);
    server.wait();
    _exit(0);
  }
  close(fds[1]);
  int port = -1;
  if (read(fds[0], &port, sizeof(port)) != sizeof(port)) port = -1;
  close(fds[0]);
  return {pid, port};
}

void kill9(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

RpcClient client(const std::string& dir, int port) {
  RpcClientOptions o;
  o.port = port;
  o.cookie_file = dir + "/.cookie";
  o.retries = 2;
  o.retry_delay_ms = 20;
  return RpcClient(o);
}

TEST(ChaindCrash, KillNineKeepsTipClockAndUtxos) {
  TempDir dir;
  TestWallet w(10);
  const std::string script = "raw(" + to_hex(w.script()) + ")";
  auto [pid, port] = spawn_server(dir.path.string());
  ASSERT_GT(port, 0);
  json before, scan;
  {
    RpcClient rpc = client(dir.path.string(), port);
    ASSERT_TRUE(rpc.call("generatetoaddress", {120, script}));
    ASSERT_TRUE(rpc.call("setmocktime", {1'700'000'000}));
    ASSERT_TRUE(rpc.call("generatetoaddress", {3, script}));
    std::string tip = rpc.call("getbestblockhash")->get<std::string>();
    ASSERT_TRUE(rpc.call("invalidateblock", {tip}));
    ASSERT_TRUE(rpc.call("generatetoaddress", {2, script}));
    before = rpc.call("getblockchaininfo").value();
    scan = rpc.call("scantxoutset", {"start", json::array({script})}).value();
  }
  kill9(pid);

  EmbeddedChain reopened;
  auto store = BlockStore::open(dir.path.string(), reopened);
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ(reopened.height(), before["blocks"]);
  EXPECT_EQ(block_hash_hex(reopened.tip().hash), before["bestblockhash"]);
  EXPECT_EQ(reopened.median_time_past(), before["mediantime"]);
  EXPECT_EQ(reopened.unspent_outputs(w.script()).size(), scan["unspents"].size());
  EXPECT_EQ((*store)->bytes_truncated(), 0u);
  store->reset();

  // A restarted daemon serves the same chain and keeps extending it.
  auto [pid2, port2] = spawn_server(dir.path.string());
  ASSERT_GT(port2, 0);
  {
    RpcClient rpc = client(dir.path.string(), port2);
    EXPECT_EQ(rpc.call("getbestblockhash").value(), before["bestblockhash"]);
    EXPECT_EQ(rpc.call("scantxoutset", {"start", json::array({script})}).value()["total_amount"], scan["total_amount"]);
    ASSERT_TRUE(rpc.call("generatetoaddress", {1, script}));
    EXPECT_EQ(rpc.call("getblockcount").value(), before["blocks"].get<int>() + 1);
    EXPECT_EQ(rpc.call("stop").value(), "Bitcoin server stopping");
  }
  int status = 0;
  waitpid(pid2, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(ChaindCrash, KilledWhileMiningLeavesAReplayablePrefix) {
  TempDir dir;
  TestWallet w(11);
  pid_t pid = fork();
  if (pid == 0) {
    EmbeddedChain chain;
    auto store = BlockStore::open(dir.path.string(), chain);
    if (!store) _exit(2);
    for (int i = 0; i < 100'000; ++i) {
      if (!chain.mine(1, w.script()) || !(*store)->sync(chain)) _exit(3);
    }
    _exit(0);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  kill9(pid);
  EmbeddedChain reopened;
  auto store = BlockStore::open(dir.path.string(), reopened);
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_GT(reopened.height(), 0);
  // Whatever was replayed is a valid chain that can be extended and stored.
  ASSERT_TRUE(reopened.mine(1, w.script()));
  ASSERT_TRUE((*store)->sync(reopened));
}

TEST(BlockStore, TornTailIsCutOff) {
  TempDir dir;
  TestWallet w(12);
  Bytes32 tip5;
  {
    EmbeddedChain chain;
    auto store = BlockStore::open(dir.path.string(), chain).value();
    w.mine(chain, 5);
    ASSERT_TRUE(store->sync(chain));
    tip5 = chain.tip().hash;
    w.mine(chain, 1);
    ASSERT_TRUE(store->sync(chain));
  }
  auto path = dir.path / "chain.dat";
  auto size = std::filesystem::file_size(path);
  // Cut the last record (a time record after block 6) and part of block 6.
  std::filesystem::resize_file(path, size - 30);
  EmbeddedChain chain;
  auto store = BlockStore::open(dir.path.string(), chain);
  ASSERT_TRUE(store);
  EXPECT_EQ(chain.tip().hash, tip5);
  EXPECT_GT((*store)->bytes_truncated(), 0u);
  EXPECT_EQ(std::filesystem::file_size(path), size - 30 - (*store)->bytes_truncated());
  // Garbage appended after valid records is also dropped.
  {
    std::FILE* f = std::fopen(path.c_str(), "ab");
    std::fputs("not a record", f);
    std::fclose(f);
  }
  store->reset();
  EmbeddedChain again;
  auto store2 = BlockStore::open(dir.path.string(), again);
  ASSERT_TRUE(store2);
  EXPECT_EQ(again.tip().hash, tip5);
}

TEST(BlockStore, ForeignFileIsAnError) {
  TempDir dir;
  TestWallet w(13);
  {
    EmbeddedChain chain;
    auto store = BlockStore::open(dir.path.string(), chain).value();
    w.mine(chain, 2);
    ASSERT_TRUE(store->sync(chain));
  }
  ChainParams other;
  other.genesis_time += 1;  // a different genesis: the stored blocks do not connect
  EmbeddedChain chain(other);
  auto store = BlockStore::open(dir.path.string(), chain);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, "store.replay");
}

}  // namespace
}  // namespace ladder::chain
