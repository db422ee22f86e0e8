// RpcServer: `ladder chaind`'s HTTP JSON-RPC endpoint on loopback, carrying
// ChainRpc (bitcoind's method subset) over cpp-httplib.
//
// Authentication as bitcoind: HTTP Basic with the configured user/password,
// or with "__cookie__" and the random password written to `<data_dir>/.cookie`
// (mode 0600) at start and removed at stop. Requests are JSON-RPC 1.0/2.0
// objects or batches (arrays); replies use bitcoind's shape
// {"result", "error": {"code", "message"}, "id"} with HTTP 200, 500 on an
// error, 404 for an unknown method, 401 without valid credentials.
// Malformed bodies get -32700/-32600 replies; nothing a client sends can
// crash the server.
//
// Only loopback addresses may be bound ("chain.rpc-bind" otherwise). The
// server serves on its own thread pool; calls into the chain are serialized
// by a mutex, so the EmbeddedChain must not be used by anyone else while
// the server runs.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "chain/block_store.h"
#include "chain/embedded_chain.h"
#include "chain/rpc_methods.h"

namespace httplib {
class Server;
}

namespace ladder::chain {

struct RpcServerOptions {
  std::string bind = "127.0.0.1";
  int port = 18443;          // 0: any free port
  std::string data_dir;      // where .cookie is written; empty: no cookie
  std::string user;          // with password: Basic auth credentials
  std::string password;
};

class RpcServer {
 public:
  RpcServer(EmbeddedChain& chain, BlockStore* store, RpcServerOptions options);
  ~RpcServer();
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // Binds, writes the cookie and starts serving. Returns the bound port.
  // Errors: "chain.rpc-bind", "chain.rpc-auth" (no credentials configured),
  // "store.io" (cookie).
  Expected<int> start();
  // Stops serving and removes the cookie; idempotent and callable from any
  // thread.
  void stop();
  // Blocks until the server stops (stop() or the "stop" method).
  void wait();

  // One HTTP POST body, already authenticated: (status, reply body).
  std::pair<int, std::string> handle(const std::string& body);

 private:
  nlohmann::json handle_one(const nlohmann::json& request, int& status);
  bool authorized(const std::string& header) const;

  EmbeddedChain& chain_;
  RpcServerOptions options_;
  ChainRpc rpc_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::mutex mutex_;       // serializes calls into the chain
  std::mutex stop_mutex_;  // stop() may race with wait()
  std::string cookie_path_;
  std::string cookie_password_;
};

}  // namespace ladder::chain
