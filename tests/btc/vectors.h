// Shared test vectors for the btc tests: the loader is tests/crypto's
// (LADDER_VECTORS, else LADDER_VECTORS_DIR; a missing directory or file
// throws, failing the test loudly).
#pragma once

#include <string>

#include "../crypto/vector_files.h"

namespace ladder::test {

inline nlohmann::json load_json_vectors(const std::string& relative) { return read_vector_json(relative); }

}  // namespace ladder::test
