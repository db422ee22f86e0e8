#include "store/memory_store.h"

#include <stdexcept>

namespace ladder::store {

class MemoryStore::Writer final : public StepWriter {
 public:
  explicit Writer(MemoryStore& s) : s_(s) {}

  Expected<std::optional<Record>> get(std::string_view kind, ByteView id) override { return s_.get(kind, id); }
  Expected<std::optional<SecretBytes>> get_secret(std::string_view kind, ByteView id) override {
    return s_.get_secret(kind, id);
  }

 protected:
  Expected<uint64_t> do_put(std::string_view kind, ByteView id, ByteView value) override {
    auto& table = s_.records_[std::string(kind)];
    auto it = table.find(id);
    if (it == table.end()) {
      s_.undo_.push_back(UndoRecord{std::string(kind), to_bytes(id), std::nullopt});
      table.emplace(to_bytes(id), Record{1, to_bytes(value)});
      return uint64_t{1};
    }
    s_.undo_.push_back(UndoRecord{std::string(kind), to_bytes(id), it->second});
    it->second = Record{it->second.revision + 1, to_bytes(value)};
    return it->second.revision;
  }

  Expected<bool> do_erase(std::string_view kind, ByteView id) override {
    auto t = s_.records_.find(kind);
    if (t == s_.records_.end()) return false;
    auto it = t->second.find(id);
    if (it == t->second.end()) return false;
    s_.undo_.push_back(UndoRecord{std::string(kind), to_bytes(id), std::move(it->second)});
    t->second.erase(it);
    return true;
  }

  Status do_put_secret(std::string_view kind, ByteView id, ByteView secret) override {
    auto& table = s_.secrets_[std::string(kind)];
    auto it = table.find(id);
    if (it == table.end()) {
      s_.undo_.push_back(UndoSecret{std::string(kind), to_bytes(id), std::nullopt});
      table.emplace(to_bytes(id), SecretBytes(secret));
    } else {
      s_.undo_.push_back(UndoSecret{std::string(kind), to_bytes(id), std::move(it->second)});
      it->second = SecretBytes(secret);
    }
    return ok();
  }

  Expected<bool> do_erase_secret(std::string_view kind, ByteView id) override {
    auto t = s_.secrets_.find(kind);
    if (t == s_.secrets_.end()) return false;
    auto it = t->second.find(id);
    if (it == t->second.end()) return false;
    s_.undo_.push_back(UndoSecret{std::string(kind), to_bytes(id), std::move(it->second)});
    t->second.erase(it);
    return true;
  }

  Expected<uint64_t> do_append(std::string_view log, ByteView value) override {
    auto& entries = s_.logs_[std::string(log)];
    s_.undo_.push_back(UndoAppend{std::string(log)});
    entries.push_back(to_bytes(value));
    return uint64_t{entries.size()};
  }

 private:
  MemoryStore& s_;
};

Status MemoryStore::step(const StepFn& fn) {
  if (in_step_) throw std::logic_error("store: step() called inside a step");
  in_step_ = true;
  // Undo on any way out but success, including an exception from fn.
  struct Finish {
    MemoryStore& s;
    bool committed = false;
    ~Finish() {
      if (!committed) s.roll_back();
      s.undo_.clear();
      s.in_step_ = false;
    }
  } finish{*this};
  Writer w(*this);
  Status result = run_step_fn(fn, w);
  finish.committed = result.has_value();
  return result;
}

void MemoryStore::roll_back() {
  for (auto u = undo_.rbegin(); u != undo_.rend(); ++u) {
    if (auto* r = std::get_if<UndoRecord>(&*u)) {
      auto& table = records_[r->kind];
      if (r->old) table.insert_or_assign(r->id, std::move(*r->old));
      else table.erase(r->id);
    } else if (auto* s = std::get_if<UndoSecret>(&*u)) {
      auto& table = secrets_[s->kind];
      if (s->old) table.insert_or_assign(s->id, std::move(*s->old));
      else table.erase(s->id);
    } else {
      logs_[std::get<UndoAppend>(*u).log].pop_back();
    }
  }
}

Expected<std::optional<Record>> MemoryStore::get(std::string_view kind, ByteView id) {
  auto t = records_.find(kind);
  if (t == records_.end()) return std::optional<Record>{};
  auto it = t->second.find(id);
  if (it == t->second.end()) return std::optional<Record>{};
  return std::optional<Record>{it->second};
}

Expected<std::optional<SecretBytes>> MemoryStore::get_secret(std::string_view kind, ByteView id) {
  auto t = secrets_.find(kind);
  if (t == secrets_.end()) return std::optional<SecretBytes>{};
  auto it = t->second.find(id);
  if (it == t->second.end()) return std::optional<SecretBytes>{};
  return std::optional<SecretBytes>{it->second.clone()};
}

Expected<std::vector<RecordEntry>> MemoryStore::list(std::string_view kind) {
  std::vector<RecordEntry> out;
  auto t = records_.find(kind);
  if (t != records_.end())
    for (const auto& [id, rec] : t->second) out.push_back({id, rec});
  return out;
}

Expected<std::vector<SecretEntry>> MemoryStore::list_secrets(std::string_view kind) {
  std::vector<SecretEntry> out;
  auto t = secrets_.find(kind);
  if (t != secrets_.end())
    for (const auto& [id, secret] : t->second) out.push_back({id, secret.clone()});
  return out;
}

Expected<std::vector<LogEntry>> MemoryStore::read_log(std::string_view log, uint64_t after) {
  std::vector<LogEntry> out;
  auto l = logs_.find(log);
  if (l == logs_.end()) return out;
  for (uint64_t seq = after + 1; seq <= l->second.size(); ++seq) out.push_back({seq, l->second[seq - 1]});
  return out;
}

Expected<uint64_t> MemoryStore::last_seq(std::string_view log) {
  auto l = logs_.find(log);
  return l == logs_.end() ? uint64_t{0} : uint64_t{l->second.size()};
}

}  // namespace ladder::store
