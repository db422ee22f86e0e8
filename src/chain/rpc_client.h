// RpcClient: a bitcoind JSON-RPC client over HTTP (cpp-httplib), with
// user/password or cookie-file authentication, timeouts, and retries when
// the connection cannot be established (a restarting node).
//
// Only failures to connect are retried — a request that may have reached
// the node is never re-sent, so a retry cannot mine or broadcast twice.
// With cookie authentication the cookie file is re-read on every attempt,
// as bitcoind writes a new one each time it starts.
//
// Errors: "chain.rpc-connect" (no connection after the retries),
// "chain.rpc-transport" (the connection failed mid-request),
// "chain.rpc-auth" (HTTP 401/403, or no readable cookie),
// "chain.rpc-reply" (a reply that is not bitcoind's JSON shape), and
// "chain.rpc-error" for an error the node returned: Error::index holds the
// JSON-RPC error code (-26, -5, ...) and the message the node's text.
// Not thread-safe.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "util/expected.h"

namespace httplib {
class Client;
}

namespace ladder::chain {

struct RpcClientOptions {
  std::string host = "127.0.0.1";
  int port = 18443;
  std::string user;         // with password: Basic auth
  std::string password;
  std::string cookie_file;  // used when user is empty (e.g. ~/.bitcoin/regtest/.cookie)
  int connect_timeout_ms = 2000;
  int read_timeout_ms = 60'000;
  int retries = 5;          // extra connection attempts
  int retry_delay_ms = 200; // doubled after each attempt
};

class RpcClient {
 public:
  explicit RpcClient(RpcClientOptions options);
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  Expected<nlohmann::json> call(const std::string& method, nlohmann::json params = nlohmann::json::array());

 private:
  Status authenticate();

  RpcClientOptions options_;
  std::unique_ptr<httplib::Client> http_;
  uint64_t next_id_ = 1;
};

}  // namespace ladder::chain
