// The update log: which changes each side proposed and how far each got
// through the commit/revoke dance, and how a set of changes turns one
// commitment spec into the next.
//
// Changes (per proposing side) move through three stages, as in Eclair's
// model of BOLT #2's update protocol:
//   ours:   proposed → signed (in a commitment_signed we sent)
//           → acked (the peer revoked; they go into our next commitment)
//   theirs: proposed → acked (we received a commitment_signed holding them
//           and revoked) → signed (we signed their next commitment with them;
//           irrevocable on both sides once they revoke)
// reduce() applies the holder's and the counterparty's changes to a spec:
// adds first, then settles and fails. Either side's view of a commitment is
// built by the same reduce(), which is what keeps both views identical.
//
// Thread-safety: plain values. Failure: "channel.unknown-lock" when a settle
// or fail names a lock the spec lacks; "channel.negative-balance".
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "channel/commitment.h"
#include "channel/messages.h"

namespace ladder::channel {

struct AddUpdate {
  Lock lock;
  std::optional<ForwardRequest> forward;
};
struct SettleUpdate {
  uint64_t id = 0;
  Bytes32 secret{};
};
struct FailUpdate {
  uint64_t id = 0;
  std::string reason;
};
using Update = std::variant<AddUpdate, SettleUpdate, FailUpdate>;

struct Changes {
  std::vector<Update> proposed, signed_, acked;
  bool empty() const { return proposed.empty() && signed_.empty() && acked.empty(); }
};

// `holder_changes` are updates sent by the spec's holder, `other_changes` by
// its counterparty.
Expected<CommitmentSpec> reduce(const CommitmentSpec& spec, const std::vector<Update>& holder_changes,
                                const std::vector<Update>& other_changes);

// One update by the holder (by_holder) or its counterparty, applied in place.
Status apply(CommitmentSpec& spec, const Update& u, bool by_holder);

// The lock id a settle or fail refers to (nullopt for an add).
std::optional<uint64_t> removed_id(const Update& u);

}  // namespace ladder::channel
