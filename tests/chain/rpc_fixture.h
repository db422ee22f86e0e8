// Test fixture: an EmbeddedChain with its BlockStore served by an in-process
// RpcServer on an ephemeral loopback port, and a TestWallet.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "chain/block_store.h"
#include "chain/rpc_client.h"
#include "chain/rpc_server.h"
#include "test_wallet.h"

namespace ladder::chain::testing {

// A fresh temporary directory, removed at destruction.
struct TempDir {
  std::filesystem::path path;
  TempDir();
  ~TempDir();
};

struct ServedChain {
  TempDir dir;
  EmbeddedChain chain;
  std::unique_ptr<BlockStore> store;
  std::unique_ptr<RpcServer> server;
  int port = 0;

  // Opens the store in dir and serves on a free port (user "u", password "p"
  // and the cookie). Fails the current test on error.
  void start();
  void stop() { server.reset(); }
  RpcClientOptions client_options(bool cookie = true) const;
};

}  // namespace ladder::chain::testing
