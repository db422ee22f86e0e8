// TLV streams (BOLT #1 "Type-Length-Value Format"): the raw layer.
//
// A stream is a concatenation of records `bigsize type || bigsize length ||
// value`. This header splits a stream into records and checks what every
// stream must satisfy regardless of which types it knows: minimal BigSize
// type and length, strictly increasing types (so no duplicates), and lengths
// that fit in the stream. Whether a type is known, how its value decodes, and
// the "it's ok to be odd" rule for unknown types live in codec.h, where each
// message's TLV extension is defined.
//
// Errors: "tlv.truncated", "tlv.non-minimal", "tlv.out-of-order". Views
// returned point into the caller's buffer, which must outlive them. Pure
// functions, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "util/bytes.h"
#include "util/expected.h"
#include "util/serialize.h"

namespace ladder::wire {

// An owned record; TLV extensions keep the unknown odd ones in this form so
// that re-encoding a decoded message reproduces its bytes.
struct TlvRecord {
  uint64_t type = 0;
  Bytes value;
  bool operator==(const TlvRecord&) const = default;
};

struct TlvRecordView {
  uint64_t type = 0;
  ByteView value;
};

// Splits `stream` (all of it) into records, in order.
Expected<std::vector<TlvRecordView>> split_tlv_stream(ByteView stream);

// Appends one record. The caller writes records in increasing type order.
void write_tlv_record(Writer& w, uint64_t type, ByteView value);

}  // namespace ladder::wire
