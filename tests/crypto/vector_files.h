// Locating and reading the shared test-vector files.
//
// The directory comes from the LADDER_VECTORS environment variable (set by
// CTest), falling back to the LADDER_VECTORS_DIR compile definition. A missing
// directory or file throws std::runtime_error, so the test fails loudly
// instead of passing with zero cases.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "util/bytes.h"

namespace ladder::test {

inline std::filesystem::path vectors_dir() {
  const char* env = std::getenv("LADDER_VECTORS");
  std::filesystem::path dir = env && *env ? env : LADDER_VECTORS_DIR;
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error("test-vector directory not found: " + dir.string() +
                             " (set LADDER_VECTORS to ../shared/vectors)");
  return dir;
}

inline std::string read_vector_file(const std::string& relative) {
  auto path = vectors_dir() / relative;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("test-vector file not found: " + path.string());
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline nlohmann::json read_vector_json(const std::string& relative) {
  return nlohmann::json::parse(read_vector_file(relative));
}

// Hex field of a vector (either case). Throws on malformed vector data.
inline Bytes hex_field(const nlohmann::json& j) { return hex_or_throw(j.get<std::string>()); }

}  // namespace ladder::test
