#include "channel/updates.h"

namespace ladder::channel {

namespace {

// Removes the lock offered by (offered_by_holder, id); returns its amount.
Expected<btc::Amount> take(CommitmentSpec& spec, bool offered_by_holder, uint64_t id) {
  for (auto it = spec.locks.begin(); it != spec.locks.end(); ++it) {
    if (it->offered_by_holder == offered_by_holder && it->lock.id == id) {
      btc::Amount a = it->lock.amount;
      spec.locks.erase(it);
      return a;
    }
  }
  return make_error("channel.unknown-lock", "no lock " + std::to_string(id) + " offered by the " +
                                                (offered_by_holder ? "holder" : "counterparty"));
}

}  // namespace

Status apply(CommitmentSpec& spec, const Update& u, bool by_holder) {
  if (const auto* add = std::get_if<AddUpdate>(&u)) {
    btc::Amount& from = by_holder ? spec.to_holder : spec.to_counterparty;
    if (from < add->lock.amount)
      return make_error("channel.negative-balance", "lock " + std::to_string(add->lock.id) + " exceeds the balance");
    from -= add->lock.amount;
    spec.locks.push_back({add->lock, by_holder});
    return ok();
  }
  // A settle pays the receiver (the side sending it); a fail refunds the offerer.
  const bool settle = std::holds_alternative<SettleUpdate>(u);
  const uint64_t id = settle ? std::get<SettleUpdate>(u).id : std::get<FailUpdate>(u).id;
  // The lock was offered by the other side of the one removing it.
  LADDER_ASSIGN(btc::Amount amount, take(spec, !by_holder, id));
  const bool to_holder = settle ? by_holder : !by_holder;
  (to_holder ? spec.to_holder : spec.to_counterparty) += amount;
  return ok();
}

Expected<CommitmentSpec> reduce(const CommitmentSpec& spec, const std::vector<Update>& holder_changes,
                                const std::vector<Update>& other_changes) {
  CommitmentSpec out = spec;
  for (const auto& u : holder_changes)
    if (std::holds_alternative<AddUpdate>(u)) LADDER_TRY(apply(out, u, true));
  for (const auto& u : other_changes)
    if (std::holds_alternative<AddUpdate>(u)) LADDER_TRY(apply(out, u, false));
  for (const auto& u : holder_changes)
    if (!std::holds_alternative<AddUpdate>(u)) LADDER_TRY(apply(out, u, true));
  for (const auto& u : other_changes)
    if (!std::holds_alternative<AddUpdate>(u)) LADDER_TRY(apply(out, u, false));
  return out;
}

std::optional<uint64_t> removed_id(const Update& u) {
  if (const auto* s = std::get_if<SettleUpdate>(&u)) return s->id;
  if (const auto* f = std::get_if<FailUpdate>(&u)) return f->id;
  return std::nullopt;
}

}  // namespace ladder::channel
