#include "btc/script.h"

namespace ladder::btc {

Bytes script_num_encode(int64_t v) {
  Bytes out;
  if (v == 0) return out;
  bool neg = v < 0;
  uint64_t abs = neg ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  while (abs) {
    out.push_back(static_cast<uint8_t>(abs & 0xff));
    abs >>= 8;
  }
  // If the top bit is set, add a byte for the sign; otherwise set it.
  if (out.back() & 0x80) out.push_back(neg ? 0x80 : 0x00);
  else if (neg) out.back() |= 0x80;
  return out;
}

Expected<int64_t> script_num_decode(ByteView v, size_t max_size, bool require_minimal) {
  if (v.size() > max_size) return make_error("script.num-overflow", "script number longer than " + std::to_string(max_size) + " bytes");
  if (require_minimal && !v.empty()) {
    // The top byte may be 0x00/0x80 only if the next byte's sign bit is set.
    if ((v.back() & 0x7f) == 0 && (v.size() <= 1 || (v[v.size() - 2] & 0x80) == 0))
      return make_error("script.num-minimal", "non-minimally encoded script number");
  }
  if (v.empty()) return int64_t{0};
  uint64_t r = 0;
  for (size_t i = 0; i < v.size(); ++i) r |= static_cast<uint64_t>(v[i]) << (8 * i);
  if (v.back() & 0x80) {
    uint64_t mag = r & ~(0x80ULL << (8 * (v.size() - 1)));
    return -static_cast<int64_t>(mag);
  }
  return static_cast<int64_t>(r);
}

ScriptBuilder& ScriptBuilder::push(ByteView data) {
  size_t n = data.size();
  if (n == 0) return op(OP_0);
  if (n == 1 && data[0] >= 1 && data[0] <= 16) return op(static_cast<Opcode>(OP_1 + data[0] - 1));
  if (n == 1 && data[0] == 0x81) return op(OP_1NEGATE);
  if (n < OP_PUSHDATA1) {
    s_.push_back(static_cast<uint8_t>(n));
  } else if (n <= 0xff) {
    s_.push_back(OP_PUSHDATA1);
    s_.push_back(static_cast<uint8_t>(n));
  } else if (n <= 0xffff) {
    s_.push_back(OP_PUSHDATA2);
    s_.push_back(static_cast<uint8_t>(n));
    s_.push_back(static_cast<uint8_t>(n >> 8));
  } else {
    s_.push_back(OP_PUSHDATA4);
    for (int i = 0; i < 4; ++i) s_.push_back(static_cast<uint8_t>(n >> (8 * i)));
  }
  return raw(data);
}

ScriptBuilder& ScriptBuilder::push_int(int64_t v) {
  if (v == 0) return op(OP_0);
  if (v == -1) return op(OP_1NEGATE);
  if (v >= 1 && v <= 16) return op(static_cast<Opcode>(OP_1 + v - 1));
  Bytes n = script_num_encode(v);
  return push(n);
}

Expected<ScriptOp> ScriptReader::next() {
  if (done()) return make_error("script.bad-push", "read past end of script");
  ScriptOp op;
  op.offset = pos_;
  op.opcode = s_[pos_++];
  if (op.opcode > OP_PUSHDATA4) return op;
  size_t len = 0;
  auto need = [&](size_t k) { return s_.size() - pos_ >= k; };
  if (op.opcode < OP_PUSHDATA1) {
    len = op.opcode;
  } else if (op.opcode == OP_PUSHDATA1) {
    if (!need(1)) return make_error("script.bad-push", "truncated PUSHDATA1 length");
    len = s_[pos_];
    pos_ += 1;
  } else if (op.opcode == OP_PUSHDATA2) {
    if (!need(2)) return make_error("script.bad-push", "truncated PUSHDATA2 length");
    len = s_[pos_] | size_t{s_[pos_ + 1]} << 8;
    pos_ += 2;
  } else {
    if (!need(4)) return make_error("script.bad-push", "truncated PUSHDATA4 length");
    len = s_[pos_] | size_t{s_[pos_ + 1]} << 8 | size_t{s_[pos_ + 2]} << 16 | size_t{s_[pos_ + 3]} << 24;
    pos_ += 4;
  }
  if (!need(len)) return make_error("script.bad-push", "push of " + std::to_string(len) + " bytes runs past the end");
  op.data = s_.subspan(pos_, len);
  pos_ += len;
  return op;
}

bool is_minimal_push(uint8_t opcode, ByteView data) {
  size_t n = data.size();
  if (n == 0) return opcode == OP_0;
  if (n == 1 && data[0] >= 1 && data[0] <= 16) return false;
  if (n == 1 && data[0] == 0x81) return false;
  if (n <= 75) return opcode == n;
  if (n <= 255) return opcode == OP_PUSHDATA1;
  if (n <= 65535) return opcode == OP_PUSHDATA2;
  return true;
}

}  // namespace ladder::btc
