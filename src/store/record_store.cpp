#include "store/record_store.h"

namespace ladder::store {

// Records the first failure; the public writes check it first, so once a
// write failed the rest of the step is refused with the same error.
template <class T>
Expected<T> StepWriter::guard(Expected<T> r) {
  if (!r && !failure_) failure_ = r.error();
  return r;
}

Expected<uint64_t> StepWriter::put(std::string_view kind, ByteView id, ByteView value) {
  if (failure_) return *failure_;
  return guard(do_put(kind, id, value));
}

Expected<bool> StepWriter::erase(std::string_view kind, ByteView id) {
  if (failure_) return *failure_;
  return guard(do_erase(kind, id));
}

Status StepWriter::put_secret(std::string_view kind, ByteView id, ByteView secret) {
  if (failure_) return *failure_;
  return guard(do_put_secret(kind, id, secret));
}

Expected<bool> StepWriter::erase_secret(std::string_view kind, ByteView id) {
  if (failure_) return *failure_;
  return guard(do_erase_secret(kind, id));
}

Expected<uint64_t> StepWriter::append(std::string_view log, ByteView value) {
  if (failure_) return *failure_;
  return guard(do_append(log, value));
}

Status run_step_fn(const StepFn& fn, StepWriter& writer) {
  Status s = fn(writer);
  if (writer.failure()) return *writer.failure();
  return s;
}

}  // namespace ladder::store
