// Positional-or-named JSON-RPC parameters with bitcoind's type errors.
// Internal to the chaind server (rpc_methods*.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/rpc_methods.h"

namespace ladder::chain::rpc {

// Thrown inside a method handler to end it with a JSON-RPC error; caught by
// ChainRpc::call and turned into the error reply (never escapes it).
struct Fail {
  RpcError error;
};

[[noreturn]] inline void fail(int code, std::string message) { throw Fail{RpcError{code, std::move(message)}}; }

class Params {
 public:
  Params(const nlohmann::json& params, std::vector<std::string> names);
  // The i-th parameter, or null when absent.
  const nlohmann::json& at(size_t i) const;
  bool has(size_t i) const { return !at(i).is_null(); }
  int64_t integer(size_t i, int64_t min, int64_t max) const;  // required
  int64_t integer_or(size_t i, int64_t fallback, int64_t min, int64_t max) const;
  std::string string(size_t i) const;  // required
  bool boolean_or(size_t i, bool fallback) const;
  Bytes hex(size_t i) const;
  Bytes32 hash(size_t i) const;  // 64 hex digits, display order

 private:
  std::vector<nlohmann::json> values_;
  std::vector<std::string> names_;
};

const char* json_type_name(const nlohmann::json& v);

}  // namespace ladder::chain::rpc
