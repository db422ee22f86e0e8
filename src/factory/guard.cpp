#include "factory/guard.h"

namespace ladder::factory {

Status MemoryGuardStore::append(const std::vector<GuardRecord>& records) {
  records_.insert(records_.end(), records.begin(), records.end());
  return ok();
}

Status GuardTable::check(const GuardRecord& r) const {
  auto it = entries_.find(r.outpoint);
  if (it == entries_.end()) return ok();
  const Entry& e = it->second;
  auto refuse = [&](const std::string& why) {
    return make_error("factory.double-sign", "refusing to sign for " + r.outpoint.to_string() + ": " + why);
  };
  switch (r.kind) {
    case GuardKind::spend:
      if (e.spend && *e.spend != r.sighash) return refuse("another kickoff/static tx was already signed");
      return ok();
    case GuardKind::distribution:
      if (e.distribution && *e.distribution != r.sighash) return refuse("another distribution tx was already signed");
      return ok();
    case GuardKind::state:
      if (e.state_sighashes.count(r.sighash)) return ok();  // byte-identical retry
      if (e.min_sequence && r.sequence >= *e.min_sequence)
        return refuse("state nSequence " + std::to_string(r.sequence) + " is not below the " +
                      std::to_string(*e.min_sequence) + " already signed");
      return ok();
  }
  return refuse("unknown kind");
}

void GuardTable::add(const GuardRecord& r) {
  Entry& e = entries_[r.outpoint];
  switch (r.kind) {
    case GuardKind::spend: e.spend = r.sighash; break;
    case GuardKind::distribution: e.distribution = r.sighash; break;
    case GuardKind::state:
      e.min_sequence = e.min_sequence ? std::min(*e.min_sequence, r.sequence) : r.sequence;
      e.state_sighashes.insert(r.sighash);
      break;
  }
}

Status GuardTable::check_and_persist(const std::vector<GuardRecord>& records, GuardStore& store) {
  GuardTable batch;  // the records of this round, checked against each other too
  std::vector<GuardRecord> fresh;
  for (const auto& r : records) {
    LADDER_TRY(check(r));
    LADDER_TRY(batch.check(r));
    if (!contains(r) && !batch.contains(r)) fresh.push_back(r);
    batch.add(r);
  }
  if (!fresh.empty()) LADDER_TRY(store.append(fresh));
  for (const auto& r : fresh) add(r);
  return ok();
}

bool GuardTable::contains(const GuardRecord& r) const {
  auto it = entries_.find(r.outpoint);
  if (it == entries_.end()) return false;
  const Entry& e = it->second;
  switch (r.kind) {
    case GuardKind::spend: return e.spend == r.sighash;
    case GuardKind::distribution: return e.distribution == r.sighash;
    case GuardKind::state: return e.state_sighashes.count(r.sighash) > 0;
  }
  return false;
}

Expected<GuardTable> GuardTable::load(GuardStore& store) {
  LADDER_ASSIGN(auto records, store.load());
  GuardTable t;
  for (const auto& r : records) t.add(r);
  return t;
}

}  // namespace ladder::factory
