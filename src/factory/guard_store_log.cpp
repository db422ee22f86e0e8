#include "factory/guard_store_log.h"

#include "util/serialize.h"

namespace ladder::factory {
namespace {
constexpr uint8_t kFormat = 0x01;
}

Bytes encode_guard_record(const GuardRecord& r) {
  Writer w;
  w.u8(kFormat);
  w.bytes(r.outpoint.txid.bytes);
  w.u32le(r.outpoint.n);
  w.u8(static_cast<uint8_t>(r.kind));
  w.u32le(r.sequence);
  w.bytes(r.sighash);
  return w.take();
}

Expected<GuardRecord> decode_guard_record(ByteView data) {
  auto corrupt = [](const std::string& why) { return make_error("store.corrupt", "guard record: " + why); };
  Reader rd(data);
  auto format = rd.u8();
  if (!format) return corrupt("empty");
  if (*format != kFormat) return corrupt("unknown format " + std::to_string(*format));
  auto txid = rd.array<32>();
  auto vout = rd.u32le();
  auto kind = rd.u8();
  auto sequence = rd.u32le();
  auto sighash = rd.array<32>();
  if (!txid || !vout || !kind || !sequence || !sighash) return corrupt("truncated");
  if (!rd.expect_end()) return corrupt("trailing bytes");
  if (*kind > static_cast<uint8_t>(GuardKind::state)) return corrupt("unknown kind " + std::to_string(*kind));
  GuardRecord r;
  r.outpoint.txid.bytes = *txid;
  r.outpoint.n = *vout;
  r.kind = static_cast<GuardKind>(*kind);
  r.sequence = *sequence;
  r.sighash = *sighash;
  return r;
}

Status LogGuardStore::write(store::StepWriter& w, std::string_view log, const std::vector<GuardRecord>& records) {
  for (const auto& r : records) LADDER_TRY(w.append(log, encode_guard_record(r)));
  return ok();
}

Status LogGuardStore::append(const std::vector<GuardRecord>& records) {
  return store_.step([&](store::StepWriter& w) { return write(w, log_, records); });
}

Expected<std::vector<GuardRecord>> LogGuardStore::load() {
  LADDER_ASSIGN(auto entries, store_.read_log(log_));
  std::vector<GuardRecord> out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    auto r = decode_guard_record(e.value);
    if (!r) {
      Error err = r.error();
      err.message = log_ + " entry " + std::to_string(e.seq) + ": " + err.message;
      return err;
    }
    out.push_back(*r);
  }
  return out;
}

}  // namespace ladder::factory
