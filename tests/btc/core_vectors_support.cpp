#include "core_vectors_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <map>

#include "btc/opcodes.h"
#include "btc/script.h"

namespace ladder::test {
namespace {

using namespace ladder::btc;

// Core's name table: OP_RESERVED and OP_NOP .. OP_CHECKSIGADD, each with and
// without the OP_ prefix (numbers and pushes are written as numbers or hex).
const std::map<std::string, uint8_t, std::less<>>& opcode_names() {
  static const auto names = [] {
    std::map<std::string, uint8_t, std::less<>> m;
    for (int op = OP_RESERVED; op <= OP_CHECKSIGADD; ++op) {
      if (op > OP_RESERVED && op < OP_NOP) continue;
      const std::string name = opcode_name(static_cast<uint8_t>(op));
      m[name] = static_cast<uint8_t>(op);
      m["OP_" + name] = static_cast<uint8_t>(op);
    }
    return m;
  }();
  return names;
}

bool is_decimal(std::string_view w) {
  if (!w.empty() && w.front() == '-') w.remove_prefix(1);
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status append_word(Bytes& out, std::string_view w) {
  if (is_decimal(w)) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
    if (ec != std::errc() || end != w.data() + w.size() || n > 0xffffffffLL || n < -0xffffffffLL)
      return make_error("asm.parse", "number out of range: " + std::string(w));
    if (n == 0) out.push_back(OP_0);
    else if (n == -1 || (n >= 1 && n <= 16)) out.push_back(n == -1 ? uint8_t{OP_1NEGATE} : static_cast<uint8_t>(OP_1 + n - 1));
    else push_data(out, script_num_encode(n));
    return ok();
  }
  if (w.size() > 2 && w.starts_with("0x")) {
    auto raw = from_hex(w.substr(2));
    if (!raw) return make_error("asm.parse", "bad hex: " + std::string(w));
    append(out, *raw);
    return ok();
  }
  if (w.size() >= 2 && w.front() == '\'' && w.back() == '\'') {
    std::string_view s = w.substr(1, w.size() - 2);
    push_data(out, ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    return ok();
  }
  const auto& names = opcode_names();
  auto it = names.find(w);
  if (it == names.end()) return make_error("asm.parse", "unknown opcode " + std::string(w));
  out.push_back(it->second);
  return ok();
}

}  // namespace

void push_data(Bytes& script, ByteView data) {
  // ScriptBuilder pushes minimally; only one-byte values would differ (OP_N).
  if (data.size() == 1) {
    script.insert(script.end(), {0x01, data[0]});
    return;
  }
  ScriptBuilder b;
  b.push(data);
  append(script, b.bytes());
}

Expected<Bytes> parse_script_asm(std::string_view text) {
  Bytes out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of(" \t\n", pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos) LADDER_TRY(append_word(out, text.substr(pos, end - pos)));
    pos = end + 1;
  }
  return out;
}

Transaction crediting_tx(ByteView script_pubkey, Amount value) {
  Transaction tx;
  tx.version = 1;
  tx.locktime = 0;
  TxIn in;
  in.prevout.n = 0xffffffff;  // null prevout
  in.script_sig = {OP_0, OP_0};
  in.sequence = SEQUENCE_FINAL;
  tx.vin.push_back(std::move(in));
  tx.vout.push_back(TxOut{value, to_bytes(script_pubkey)});
  return tx;
}

Transaction spending_tx(ByteView script_sig, const Witness& witness, const Transaction& credit) {
  Transaction tx;
  tx.version = 1;
  tx.locktime = 0;
  TxIn in;
  in.prevout.txid = credit.txid();
  in.prevout.n = 0;
  in.script_sig = to_bytes(script_sig);
  in.witness = witness;
  in.sequence = SEQUENCE_FINAL;
  tx.vin.push_back(std::move(in));
  tx.vout.push_back(TxOut{credit.vout[0].value, {}});
  return tx;
}

uint32_t trim_flags(uint32_t flags) {
  if (!(flags & SCRIPT_VERIFY_P2SH)) flags &= ~uint32_t{SCRIPT_VERIFY_WITNESS};
  if (!(flags & SCRIPT_VERIFY_WITNESS)) flags &= ~uint32_t{SCRIPT_VERIFY_CLEANSTACK};
  return flags;
}

uint32_t fill_flags(uint32_t flags) {
  if (flags & SCRIPT_VERIFY_CLEANSTACK) flags |= SCRIPT_VERIFY_WITNESS;
  if (flags & SCRIPT_VERIFY_WITNESS) flags |= SCRIPT_VERIFY_P2SH;
  return flags;
}

void VectorTally::skip(const std::string& reason, const std::string& entry) {
  ++skipped_;
  std::cout << file_ << ": skipped (" << reason << "): " << entry << "\n";
}

void VectorTally::record(const std::string& diff, const std::string& entry) {
  ++run_;
  if (diff.empty()) ++passed_;
  else ADD_FAILURE() << file_ << ": " << diff << ": " << entry;
}

void VectorTally::finish() const {
  std::cout << file_ << ": run " << run_ << ", skipped " << skipped_ << ", passed " << passed_ << "\n";
  EXPECT_EQ(passed_, run_);
  EXPECT_GE(run_ * 100, total() * 95) << file_ << ": fewer than 95% of the entries ran";
}

}  // namespace ladder::test
