#include "chain/rpc_server.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "crypto/secp.h"

namespace ladder::chain {

namespace {

using nlohmann::json;

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// Replies never fail to serialize: messages may quote client input cut in the
// middle of a UTF-8 sequence, which is replaced rather than thrown on.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"; }

json error_reply(int code, const std::string& message, const json& id) {
  return json{{"result", nullptr}, {"error", {{"code", code}, {"message", message}}}, {"id", id}};
}

}  // namespace

RpcServer::RpcServer(EmbeddedChain& chain, BlockStore* store, RpcServerOptions options)
    : chain_(chain), options_(std::move(options)), rpc_(chain, store) {}

RpcServer::~RpcServer() {
  stop();
  if (thread_.joinable()) thread_.join();
}

bool RpcServer::authorized(const std::string& header) const {
  auto matches = [&](const std::string& user, const std::string& pass) {
    std::string want = "Basic " + base64(user + ":" + pass);
    return header.size() == want.size() && CRYPTO_memcmp(header.data(), want.data(), want.size()) == 0;
  };
  if (!options_.user.empty() && matches(options_.user, options_.password)) return true;
  return !cookie_password_.empty() && matches("__cookie__", cookie_password_);
}

Expected<int> RpcServer::start() {
  if (!is_loopback(options_.bind)) return make_error("chain.rpc-bind", "chaind binds only loopback addresses, not " + options_.bind);
  if (options_.user.empty() && options_.data_dir.empty())
    return make_error("chain.rpc-auth", "configure a user/password or a data directory for the cookie");
  if (!options_.data_dir.empty()) {
    cookie_password_ = to_hex(crypto::random_bytes32());
    cookie_path_ = options_.data_dir + "/.cookie";
    std::filesystem::create_directories(options_.data_dir);
    std::string tmp = cookie_path_ + ".tmp";
    {
      std::ofstream f(tmp, std::ios::trunc);
      f << "__cookie__:" << cookie_password_;
      if (!f) return make_error("store.io", "cannot write " + tmp);
    }
    ::chmod(tmp.c_str(), 0600);
    if (std::rename(tmp.c_str(), cookie_path_.c_str()) != 0) return make_error("store.io", "cannot write " + cookie_path_);
  }
  server_ = std::make_unique<httplib::Server>();
  server_->set_payload_max_length(64 << 20);
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_timeout(1);  // bounds how long stop() waits for idle clients
  server_->Post("/", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req.get_header_value("Authorization"))) {
      res.status = 401;
      res.set_header("WWW-Authenticate", "Basic realm=\"jsonrpc\"");
      return;
    }
    auto [status, body] = handle(req.body);
    res.status = status;
    res.set_content(body, "application/json");
    if (rpc_.stop_requested()) server_->stop();
  });
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.bind);
    if (port <= 0) return make_error("chain.rpc-bind", "cannot bind " + options_.bind);
  } else if (!server_->bind_to_port(options_.bind, port)) {
    return make_error("chain.rpc-bind", "cannot bind " + options_.bind + ":" + std::to_string(port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return port;
}

void RpcServer::stop() {
  // May be called from a signal-waiting thread while wait() returns.
  std::lock_guard<std::mutex> lock(stop_mutex_);
  if (server_) server_->stop();
  if (!cookie_path_.empty()) {
    std::remove(cookie_path_.c_str());
    cookie_path_.clear();
  }
}

void RpcServer::wait() {
  if (thread_.joinable()) thread_.join();
  stop();
}

std::pair<int, std::string> RpcServer::handle(const std::string& body) {
  json request = json::parse(body, nullptr, false);
  if (request.is_discarded()) return {500, dump(error_reply(RPC_PARSE_ERROR, "Parse error", nullptr))};
  std::lock_guard<std::mutex> lock(mutex_);
  int status = 200;
  if (request.is_array()) {
    json replies = json::array();
    for (const auto& r : request) {
      int ignored = 200;
      replies.push_back(handle_one(r, ignored));
    }
    return {200, dump(replies)};
  }
  json reply = handle_one(request, status);
  return {status, dump(reply)};
}

json RpcServer::handle_one(const json& request, int& status) {
  if (!request.is_object()) {
    status = 500;
    return error_reply(RPC_INVALID_REQUEST, "Invalid Request object", nullptr);
  }
  json id = request.contains("id") ? request["id"] : json(nullptr);
  if (!request.contains("method") || !request["method"].is_string()) {
    status = 500;
    return error_reply(RPC_INVALID_REQUEST, "Method must be a string", id);
  }
  json params = request.contains("params") ? request["params"] : json(nullptr);
  if (!params.is_null() && !params.is_array() && !params.is_object()) {
    status = 500;
    return error_reply(RPC_INVALID_REQUEST, "Params must be an array or object", id);
  }
  RpcOutcome out = rpc_.call(request["method"].get<std::string>(), params);
  if (out.error) {
    status = out.error->code == RPC_METHOD_NOT_FOUND ? 404 : 500;
    return error_reply(out.error->code, out.error->message, id);
  }
  return json{{"result", std::move(out.result)}, {"error", nullptr}, {"id", id}};
}

}  // namespace ladder::chain
