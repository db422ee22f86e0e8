// TLV streams: the raw splitter and two stream definitions covering every
// kind of record value (truncated integers, fixed integers, points, nested
// structs, arrays of hashes, byte strings). Properties: a stream the codec
// accepts is one the splitter accepts, and it re-encodes to exactly itself.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "wire/codec.h"
#include "wire/messages_base.h"

namespace {

struct PointRecord {
  ladder::Bytes33 node_id{};
  uint64_t amount = 0;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io.point(m.node_id);
    io(m.amount);
  }
  bool operator==(const PointRecord&) const = default;
};

struct AllKinds {
  std::optional<ladder::wire::Tu64> amount;         // 1
  std::optional<uint16_t> delta;                    // 2
  std::optional<PointRecord> node;                  // 4
  std::optional<std::vector<ladder::Bytes32>> ids;  // 6
  std::optional<ladder::Bytes> blob;                // 7
  std::optional<ladder::wire::Tu32> expiry;         // 65536
  std::vector<ladder::wire::TlvRecord> unknown;
  template <class Io, class Self>
  static void records(Io& io, Self& m) {
    io.record(1, m.amount);
    io.record(2, m.delta);
    io.record(4, m.node);
    io.record(6, m.ids);
    io.record(7, m.blob);
    io.record(65536, m.expiry);
  }
  bool operator==(const AllKinds&) const = default;
};

template <class Stream>
void check(ladder::ByteView in, bool split_ok) {
  auto s = ladder::wire::decode<Stream>(in);
  if (!s) return;
  FUZZ_CHECK(split_ok);
  auto again = ladder::wire::encode(*s);
  FUZZ_CHECK(again && *again == ladder::Bytes(in.begin(), in.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ladder::ByteView in(data, size);
  const bool split_ok = ladder::wire::split_tlv_stream(in).has_value();
  check<AllKinds>(in, split_ok);
  check<ladder::wire::InitTlvs>(in, split_ok);
  return 0;
}
