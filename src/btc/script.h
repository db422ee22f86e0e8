// Scripts: a builder that emits minimal pushes, a bounds-checked reader of
// opcodes, and the script-number encoding (CScriptNum).
//
// A script is just bytes (`Bytes`); these helpers build and walk them. The
// reader never reads past the end: a truncated push yields an error
// ("script.bad-push").
#pragma once

#include <cstdint>
#include <optional>

#include "btc/opcodes.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::btc {

// Minimal encoding of an integer as a script number (little-endian,
// sign-magnitude, no superfluous bytes). 0 encodes as the empty vector.
Bytes script_num_encode(int64_t v);
// Decodes a script number of at most `max_size` bytes; with `require_minimal`
// rejects non-minimal encodings ("script.num-overflow", "script.num-minimal").
Expected<int64_t> script_num_decode(ByteView v, size_t max_size = 4, bool require_minimal = false);

class ScriptBuilder {
 public:
  ScriptBuilder& op(Opcode o) {
    s_.push_back(o);
    return *this;
  }
  // Pushes data with the smallest push opcode (OP_0 / OP_1..16 / 1NEGATE for
  // the matching single values, direct push, PUSHDATA1/2/4).
  ScriptBuilder& push(ByteView data);
  // Pushes an integer: OP_0, OP_1NEGATE, OP_1..OP_16, or a minimal script number.
  ScriptBuilder& push_int(int64_t v);
  ScriptBuilder& raw(ByteView bytes) {
    s_.insert(s_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  const Bytes& bytes() const { return s_; }
  Bytes take() { return std::move(s_); }

 private:
  Bytes s_;
};

struct ScriptOp {
  uint8_t opcode = 0;
  ByteView data;   // the pushed bytes (empty for non-push opcodes)
  size_t offset = 0;  // offset of the opcode byte
};

class ScriptReader {
 public:
  explicit ScriptReader(ByteView script) : s_(script) {}
  bool done() const { return pos_ >= s_.size(); }
  // Reads the next op. Error "script.bad-push" if a push runs past the end.
  Expected<ScriptOp> next();
  size_t position() const { return pos_; }

 private:
  ByteView s_;
  size_t pos_ = 0;
};

// True if `data` pushed by `opcode` uses the minimal push encoding.
bool is_minimal_push(uint8_t opcode, ByteView data);

}  // namespace ladder::btc
