// BigSize (BOLT #1): the variable-length unsigned integer of TLV streams —
// Bitcoin's CompactSize layout with big-endian payloads, 1, 3, 5 or 9 bytes.
//
// Decoding insists on the minimal encoding. Errors: "bigsize.truncated",
// "bigsize.non-canonical"; on error the reader's position is unspecified and
// the caller abandons the parse. Pure functions, thread-safe.
#pragma once

#include <cstdint>

#include "util/expected.h"
#include "util/serialize.h"

namespace ladder::wire {

// Number of bytes write_bigsize(v) produces.
size_t bigsize_len(uint64_t v);

void write_bigsize(Writer& w, uint64_t v);

Expected<uint64_t> read_bigsize(Reader& r);

}  // namespace ladder::wire
