#include "store/support/faulty_store.h"

#include <string>

namespace ladder::store::testing {

class FaultyStore::Writer final : public StepWriter {
 public:
  Writer(FaultyStore& s, StepWriter& inner) : StepWriter(inner), s_(s), inner_(inner) {}

 protected:
  Expected<uint64_t> do_put(std::string_view kind, ByteView id, ByteView value) override {
    if (s_.write_fault()) return s_.injected_error("put");
    return inner_.put(kind, id, value);
  }
  Expected<bool> do_erase(std::string_view kind, ByteView id) override {
    if (s_.write_fault()) return s_.injected_error("erase");
    return inner_.erase(kind, id);
  }
  Status do_put_secret(std::string_view kind, ByteView id, ByteView secret) override {
    if (s_.write_fault()) return s_.injected_error("put_secret");
    return inner_.put_secret(kind, id, secret);
  }
  Expected<bool> do_erase_secret(std::string_view kind, ByteView id) override {
    if (s_.write_fault()) return s_.injected_error("erase_secret");
    return inner_.erase_secret(kind, id);
  }
  Expected<uint64_t> do_append(std::string_view log, ByteView value) override {
    if (s_.write_fault()) return s_.injected_error("append");
    return inner_.append(log, value);
  }

 private:
  FaultyStore& s_;
  StepWriter& inner_;
};

bool FaultyStore::write_fault() {
  ++writes_;
  if (dead_) return true;
  if (write_countdown_ == 0) return false;
  return --write_countdown_ == 0;
}

Error FaultyStore::injected_error(const std::string& what) {
  ++injected_;
  return make_error("store.injected", "injected failure of " + what + " (write " + std::to_string(writes_) + ")");
}

Status FaultyStore::step(const StepFn& fn) {
  ++steps_;
  bool fail_at_end = commit_countdown_ > 0 && --commit_countdown_ == 0;
  return inner_.step([&](StepWriter& inner) -> Status {
    Writer w(*this, inner);
    LADDER_TRY(run_step_fn(fn, w));
    if (fail_at_end) return injected_error("commit of step " + std::to_string(steps_));
    return ok();
  });
}

}  // namespace ladder::store::testing
