#include "chain/rpc_params.h"

#include "chain/block.h"

namespace ladder::chain::rpc {

namespace {
const nlohmann::json kNull;
}

const char* json_type_name(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

Params::Params(const nlohmann::json& params, std::vector<std::string> names) : names_(std::move(names)) {
  if (params.is_null()) return;
  if (params.is_array()) {
    if (params.size() > names_.size()) fail(RPC_MISC_ERROR, "too many parameters (" + std::to_string(params.size()) + " > " + std::to_string(names_.size()) + ")");
    for (const auto& v : params) values_.push_back(v);
    return;
  }
  if (!params.is_object()) fail(RPC_INVALID_REQUEST, "Params must be an array or object");
  values_.resize(names_.size());
  for (const auto& [k, v] : params.items()) {
    auto it = std::find(names_.begin(), names_.end(), k);
    if (it == names_.end()) fail(RPC_INVALID_PARAMETER, "Unknown named parameter " + k);
    values_[static_cast<size_t>(it - names_.begin())] = v;
  }
}

const nlohmann::json& Params::at(size_t i) const { return i < values_.size() ? values_[i] : kNull; }

int64_t Params::integer(size_t i, int64_t min, int64_t max) const {
  const auto& v = at(i);
  const std::string name = i < names_.size() ? names_[i] : "?";
  if (v.is_null()) fail(RPC_INVALID_PARAMETER, "Missing required argument " + name);
  if (!v.is_number()) fail(RPC_TYPE_ERROR, std::string("JSON value of type ") + json_type_name(v) + " is not of expected type number");
  if (!v.is_number_integer()) fail(RPC_TYPE_ERROR, "JSON number is not an integer (" + name + ")");
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) fail(RPC_INVALID_PARAMETER, name + " out of range");
  int64_t x = v.get<int64_t>();
  if (x < min || x > max) fail(RPC_INVALID_PARAMETER, name + " out of range");
  return x;
}

int64_t Params::integer_or(size_t i, int64_t fallback, int64_t min, int64_t max) const {
  return has(i) ? integer(i, min, max) : fallback;
}

std::string Params::string(size_t i) const {
  const auto& v = at(i);
  const std::string name = i < names_.size() ? names_[i] : "?";
  if (v.is_null()) fail(RPC_INVALID_PARAMETER, "Missing required argument " + name);
  if (!v.is_string()) fail(RPC_TYPE_ERROR, std::string("JSON value of type ") + json_type_name(v) + " is not of expected type string");
  return v.get<std::string>();
}

bool Params::boolean_or(size_t i, bool fallback) const {
  const auto& v = at(i);
  if (v.is_null()) return fallback;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>() != 0;  // bitcoind accepts 0/1 for verbose flags
  fail(RPC_TYPE_ERROR, std::string("JSON value of type ") + json_type_name(v) + " is not of expected type bool");
}

Bytes Params::hex(size_t i) const {
  auto b = from_hex(string(i));
  if (!b) fail(RPC_DESERIALIZATION_ERROR, names_[i] + " must be hexadecimal string");
  return std::move(*b);
}

Bytes32 Params::hash(size_t i) const {
  std::string s = string(i);
  auto h = parse_block_hash_hex(s);
  if (!h) fail(RPC_INVALID_PARAMETER, names_[i] + " must be of length 64 (not " + std::to_string(s.size()) + ", for '" + s.substr(0, 80) + "')");
  return *h;
}

}  // namespace ladder::chain::rpc
