#include "store/memory_store.h"

#include <stdexcept>

namespace ladder::store {

template <class V>
std::optional<V> MemoryStore::exchange(Tables<V>& tables, std::string_view kind, ByteView id,
                                       std::optional<V> value) {
  auto t = tables.find(kind);
  if (t == tables.end()) {
    if (!value) return std::nullopt;
    t = tables.emplace(std::string(kind), std::map<Bytes, V, ByteLess>{}).first;
  }
  auto& table = t->second;
  auto it = table.find(id);
  if (it == table.end()) {
    if (value) table.emplace(to_bytes(id), std::move(*value));
    return std::nullopt;
  }
  std::optional<V> old(std::move(it->second));
  if (value) it->second = std::move(*value);
  else table.erase(it);
  return old;
}

template <class V>
const V* MemoryStore::find(const Tables<V>& tables, std::string_view kind, ByteView id) {
  auto t = tables.find(kind);
  if (t == tables.end()) return nullptr;
  auto it = t->second.find(id);
  return it == t->second.end() ? nullptr : &it->second;
}

class MemoryStore::Writer final : public StepWriter {
 public:
  explicit Writer(MemoryStore& s) : StepWriter(s), s_(s) {}

 protected:
  Expected<uint64_t> do_put(std::string_view kind, ByteView id, ByteView value) override {
    const Record* current = find(s_.records_, kind, id);
    uint64_t revision = current ? current->revision + 1 : 1;
    set<Record>(s_.records_, kind, id, Record{revision, to_bytes(value)});
    return revision;
  }
  Expected<bool> do_erase(std::string_view kind, ByteView id) override {
    return set<Record>(s_.records_, kind, id, std::nullopt);
  }
  Status do_put_secret(std::string_view kind, ByteView id, ByteView secret) override {
    set<SecretBytes>(s_.secrets_, kind, id, SecretBytes(secret));
    return ok();
  }
  Expected<bool> do_erase_secret(std::string_view kind, ByteView id) override {
    return set<SecretBytes>(s_.secrets_, kind, id, std::nullopt);
  }
  Expected<uint64_t> do_append(std::string_view log, ByteView value) override {
    auto& entries = s_.logs_[std::string(log)];
    s_.undo_.push_back(UndoAppend{std::string(log)});
    entries.push_back(to_bytes(value));
    return uint64_t{entries.size()};
  }

 private:
  // Writes the cell and remembers its old value; true if there was one.
  template <class V>
  bool set(Tables<V>& tables, std::string_view kind, ByteView id, std::optional<V> value) {
    std::optional<V> old = exchange(tables, kind, id, std::move(value));
    bool existed = old.has_value();
    s_.undo_.push_back(UndoCell<V>{std::string(kind), to_bytes(id), std::move(old)});
    return existed;
  }
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
    if (auto* r = std::get_if<UndoCell<Record>>(&*u)) {
      exchange(records_, r->kind, r->id, std::move(r->old));
    } else if (auto* s = std::get_if<UndoCell<SecretBytes>>(&*u)) {
      exchange(secrets_, s->kind, s->id, std::move(s->old));
    } else {
      logs_[std::get<UndoAppend>(*u).log].pop_back();
    }
  }
}

Expected<std::optional<Record>> MemoryStore::get(std::string_view kind, ByteView id) {
  const Record* r = find(records_, kind, id);
  return r ? std::optional<Record>{*r} : std::nullopt;
}

Expected<std::optional<SecretBytes>> MemoryStore::get_secret(std::string_view kind, ByteView id) {
  const SecretBytes* s = find(secrets_, kind, id);
  return s ? std::optional<SecretBytes>{s->clone()} : std::nullopt;
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
