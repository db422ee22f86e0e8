#include "wire/codec.h"

#include "crypto/secp.h"

namespace ladder::wire {

void Decoder::point(Bytes33& p) {
  if (!ok()) return;
  const size_t at = r_.position();
  get(p);
  if (ok() && !crypto::PubKey::parse(p)) {
    err_ = make_error("wire.invalid-point", "33 bytes at offset " + std::to_string(at) + " are not a secp256k1 point");
  }
}

void TlvRecordReader::declare(uint64_t type) {
  if (last_ && type <= *last_) throw std::logic_error("wire: TLV records must be declared in increasing type order");
  last_ = type;
}

void TlvRecordReader::skip_unknown_below(std::optional<uint64_t> type) {
  while (!err_ && next_ < received_.size() && (!type || received_[next_].type < *type)) {
    const TlvRecordView& rec = received_[next_++];
    if (rec.type % 2 == 0) {
      err_ = make_error("tlv.unknown-even", "unknown even TLV type " + std::to_string(rec.type));
      return;
    }
    unknown_.push_back(TlvRecord{rec.type, to_bytes(rec.value)});
  }
}

}  // namespace ladder::wire
