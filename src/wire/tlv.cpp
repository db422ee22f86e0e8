#include "wire/tlv.h"

#include "wire/bigsize.h"

namespace ladder::wire {
namespace {

// BigSize errors become TLV errors naming the field and its offset.
Error stream_error(const Error& e, const char* field, size_t offset) {
  const char* code = e.code == "bigsize.non-canonical" ? "tlv.non-minimal" : "tlv.truncated";
  return make_error(code, std::string(field) + " at offset " + std::to_string(offset) + ": " + e.message);
}

}  // namespace

Expected<std::vector<TlvRecordView>> split_tlv_stream(ByteView stream) {
  std::vector<TlvRecordView> out;
  Reader r(stream);
  while (!r.empty()) {
    const size_t start = r.position();
    auto type = read_bigsize(r);
    if (!type) return stream_error(type.error(), "record type", start);
    if (!out.empty() && *type <= out.back().type)
      return make_error("tlv.out-of-order", "type " + std::to_string(*type) + " at offset " + std::to_string(start) +
                                                " follows type " + std::to_string(out.back().type));
    const size_t len_at = r.position();
    auto len = read_bigsize(r);
    if (!len) return stream_error(len.error(), "record length", len_at);
    if (*len > r.remaining())
      return make_error("tlv.truncated", "type " + std::to_string(*type) + " declares " + std::to_string(*len) +
                                             " bytes, " + std::to_string(r.remaining()) + " left");
    out.push_back(TlvRecordView{*type, r.bytes(static_cast<size_t>(*len)).value()});
  }
  return out;
}

void write_tlv_record(Writer& w, uint64_t type, ByteView value) {
  write_bigsize(w, type);
  write_bigsize(w, value.size());
  w.bytes(value);
}

}  // namespace ladder::wire
