#include "chain/rpc_client.h"

#include <httplib.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace ladder::chain {

RpcClient::RpcClient(RpcClientOptions options) : options_(std::move(options)) {
  http_ = std::make_unique<httplib::Client>(options_.host, options_.port);
  http_->set_connection_timeout(std::chrono::milliseconds(options_.connect_timeout_ms));
  http_->set_read_timeout(std::chrono::milliseconds(options_.read_timeout_ms));
  http_->set_write_timeout(std::chrono::milliseconds(options_.read_timeout_ms));
  // One connection per call: nothing to go stale while the node restarts.
  http_->set_keep_alive(false);
  http_->set_tcp_nodelay(true);
}

RpcClient::~RpcClient() = default;

Status RpcClient::authenticate() {
  if (!options_.user.empty()) {
    http_->set_basic_auth(options_.user, options_.password);
    return ok();
  }
  std::ifstream f(options_.cookie_file);
  std::string cookie;
  if (!f || !std::getline(f, cookie)) return make_error("chain.rpc-auth", "cannot read cookie file " + options_.cookie_file);
  auto colon = cookie.find(':');
  if (colon == std::string::npos) return make_error("chain.rpc-auth", "malformed cookie file " + options_.cookie_file);
  http_->set_basic_auth(cookie.substr(0, colon), cookie.substr(colon + 1));
  return ok();
}

Expected<nlohmann::json> RpcClient::call(const std::string& method, nlohmann::json params) {
  nlohmann::json request{{"jsonrpc", "1.0"}, {"id", next_id_++}, {"method", method}, {"params", std::move(params)}};
  const std::string body = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  int delay = options_.retry_delay_ms;
  httplib::Result res{nullptr, httplib::Error::Unknown};
  for (int attempt = 0;; ++attempt) {
    Status auth = authenticate();
    if (auth) {
      res = http_->Post("/", body, "application/json");
      if (res) break;
      // Only a connection never made is safe to retry.
      bool not_sent = res.error() == httplib::Error::Connection || res.error() == httplib::Error::ConnectionTimeout;
      if (!not_sent)
        return make_error("chain.rpc-transport", method + ": " + httplib::to_string(res.error()));
    }
    if (attempt >= options_.retries) {
      if (!auth) return auth.error();
      return make_error("chain.rpc-connect", "cannot reach " + options_.host + ":" + std::to_string(options_.port) + " (" +
                                                 httplib::to_string(res.error()) + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    delay *= 2;
  }
  if (res->status == 401 || res->status == 403) return make_error("chain.rpc-auth", "the node refused the credentials");
  nlohmann::json reply = nlohmann::json::parse(res->body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object())
    return make_error("chain.rpc-reply", method + ": HTTP " + std::to_string(res->status) + " without a JSON-RPC reply");
  if (reply.contains("error") && !reply["error"].is_null()) {
    const auto& e = reply["error"];
    int code = e.contains("code") && e["code"].is_number_integer() ? e["code"].get<int>() : 0;
    std::string message = e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : e.dump();
    return make_culprit_error("chain.rpc-error", code, "rpc", message);
  }
  if (!reply.contains("result")) return make_error("chain.rpc-reply", method + ": reply has no result");
  return std::move(reply["result"]);
}

}  // namespace ladder::chain
