#include "rpc_fixture.h"

#include <random>

namespace ladder::chain::testing {

TempDir::TempDir() {
  std::random_device rd;
  path = std::filesystem::temp_directory_path() / ("ladder-chain-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

void ServedChain::start() {
  if (!store) {
    auto s = BlockStore::open(dir.path.string(), chain);
    ASSERT_TRUE(s) << s.error().to_string();
    store = std::move(*s);
  }
  RpcServerOptions opts;
  opts.port = 0;
  opts.data_dir = dir.path.string();
  opts.user = "u";
  opts.password = "p";
  server = std::make_unique<RpcServer>(chain, store.get(), opts);
  auto p = server->start();
  ASSERT_TRUE(p) << p.error().to_string();
  port = *p;
}

RpcClientOptions ServedChain::client_options(bool cookie) const {
  RpcClientOptions o;
  o.port = port;
  if (cookie) {
    o.cookie_file = (dir.path / ".cookie").string();
  } else {
    o.user = "u";
    o.password = "p";
  }
  o.retries = 2;
  o.retry_delay_ms = 20;
  return o;
}

}  // namespace ladder::chain::testing
