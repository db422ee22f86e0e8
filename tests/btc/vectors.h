// Locating and loading the shared test vectors (tests only).
//
// The directory comes from the LADDER_VECTORS environment variable (set by
// CTest), else from the LADDER_VECTORS_DIR compile definition. A missing
// directory or file is a test failure with a clear message, never a skip.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace ladder::test {

inline std::filesystem::path vectors_dir() {
  const char* env = std::getenv("LADDER_VECTORS");
  std::filesystem::path dir = env && *env ? env : LADDER_VECTORS_DIR;
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error("vector directory missing: " + dir.string() +
                             " (set LADDER_VECTORS or check out ../shared/vectors)");
  return dir;
}

inline nlohmann::json load_json_vectors(const std::string& relative) {
  auto path = vectors_dir() / relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("vector file missing: " + path.string());
  return nlohmann::json::parse(in);
}

}  // namespace ladder::test
