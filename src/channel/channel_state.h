// Internal to src/channel: the Channel's state and the helpers its .cpp
// files share. Not a public header.
//
// Fixed is set once at open. State is everything a message may change; a
// handler copies it, changes the copy and assigns it back only on success,
// so a failed call leaves the channel on its last good state. Nonces holds
// the secret verification nonces (move-only, memory only) outside State so
// that copying State never copies a secret nonce.
#pragma once

#include "channel/channel.h"

namespace ladder::channel {

struct Channel::Fixed {
  Role role = Role::client;
  ChannelId id{};
  ChannelParams params;
  Deadlines deadlines;
  std::shared_ptr<const FundingKey> funding;
  ChannelSecrets secrets;
  crypto::SecretKey funding_secret;
  size_t own_index = 0;   // position of our key in the funding aggregation
  size_t peer_index = 1;
};

struct Channel::State {
  enum class Phase : uint8_t { opened, accepted, funded, open };
  Phase phase = Phase::opened;
  std::optional<Basepoints> peer_basepoints;
  uint64_t obscuring = 0;
  std::optional<OutputScript> to_remote_on_local;   // the peer's payment output on our commitments
  std::optional<OutputScript> to_remote_on_remote;  // our payment output on the peer's commitments
  Bytes ptlc_payout_to_us, ptlc_payout_to_peer;     // what PTLC success txs pay us / the peer
  Binding binding;
  std::vector<Binding> bindings;

  std::optional<CommitmentRecord> local;        // our latest, fully signed
  std::optional<CommitmentRecord> local_pending;  // received without psig, awaiting CommitmentPsig
  std::optional<CommitmentRecord> remote;       // the peer's current (not yet revoked)
  std::optional<CommitmentRecord> remote_next;  // signed by us, awaiting its revocation of `remote`
  bool awaiting_holder_presigs = false;         // our commitment_signed went without psig

  Changes local_changes, remote_changes;
  CommitmentSpec latest;  // every known update applied, our view
  uint64_t next_local_id = 0, next_remote_id = 0;

  std::optional<crypto::PubKey> remote_point, remote_next_point;  // the peer's current / next commitment
  // Our per-commitment points announced for commitments after our latest
  // (own_point), so the one a new commitment needs is not derived again.
  std::vector<std::pair<uint64_t, crypto::PubKey>> own_points;
  std::optional<crypto::musig::PubNonce> remote_nonce;            // the peer's verification nonce
  std::optional<crypto::musig::PubNonce> remote_nonce_after_rebind;

  bool sent_stfu = false, recv_stfu = false;

  struct Rebind {
    Binding binding;
    bool proposer = false;
    std::optional<HeldCommitment> local;   // ours, once fully signed
    HeldCommitment local_unsigned;         // ours, built (presigs filled as received)
    HeldCommitment remote;                 // the peer's, built, with presigs
    bool remote_signed = false;            // we released our psig on the peer's commitment
  };
  std::optional<Rebind> rebind;
};

struct Channel::Nonces {
  std::optional<crypto::musig::NoncePair> verification;       // for our next commitment
  std::optional<crypto::musig::NoncePair> next_verification;  // announced during a rebind
};

// ---- helpers (channel_core.cpp) ----------------------------------------------------
using Fixed = Channel::Fixed;
using State = Channel::State;

// Our per-commitment point `number`: remembered in st.own_points when first
// derived (announced to the peer); forget_own_points drops those of
// commitments up to our latest.
Expected<crypto::PubKey> own_point(const Fixed& fx, State& st, uint64_t number);
void forget_own_points(State& st);
// The keys of our commitment `number` / of the peer's commitment with
// point `point`, for a commitment holding `spec` (lock keys when it has locks).
Expected<CommitmentKeys> local_keys(const Fixed& fx, State& st, uint64_t number, const CommitmentSpec& spec);
Expected<CommitmentKeys> remote_keys(const Fixed& fx, const State& st, const crypto::PubKey& point,
                                     const CommitmentSpec& spec);
Expected<BuiltCommitment> build_for(const Fixed& fx, const State& st, bool local_holder, const Binding& binding,
                                    uint64_t number, const CommitmentSpec& spec, const CommitmentKeys& keys);

// Spec lock indices of the untrimmed PTLCs offered by us (ours = true) or by
// the peer on a commitment held locally (local_holder) or by the peer, in
// output order.
std::vector<size_t> ptlc_order(const CommitmentSpec& spec, const BuiltCommitment& built, bool local_holder, bool ours);

// Our adaptor signatures for the PTLCs we offered on that commitment; stored
// into `held.presigs` too (we need them to extract the scalar).
Expected<std::vector<PreSignature>> make_presigs(const Fixed& fx, const State& st, const CommitmentSpec& spec,
                                                 const CommitmentKeys& keys, bool local_holder, HeldCommitment& held);
// Verifies the peer's adaptor signatures for the PTLCs it offered on that
// commitment and stores them into `held.presigs`. "channel.bad-adaptor-signature".
Status accept_presigs(const Fixed& fx, const State& st, const CommitmentSpec& spec, const CommitmentKeys& keys,
                      bool local_holder, const std::vector<PreSignature>& presigs, HeldCommitment& held);

// Our partial signature on the peer's commitment, with a fresh nonce.
Expected<NonceAndPsig> sign_for_peer(const Fixed& fx, const BuiltCommitment& built,
                                     const crypto::musig::PubNonce& peer_nonce);
// Checks the peer's partial signature on our commitment against our
// verification nonce ("channel.bad-signature"); consumes nothing. Returns
// the signing session, for complete_own.
Expected<crypto::musig::Session> check_peer_psig(const Fixed& fx, const BuiltCommitment& built,
                                                 const NonceAndPsig& peer, const crypto::musig::PubNonce& our_nonce);
// Completes our commitment in `session` (check_peer_psig's) with our
// verification nonce (consumed) and verifies the aggregate. Our partial
// signature skips BIP-327's self-check: the aggregate's verification covers it.
Expected<crypto::SchnorrSig> complete_own(const Fixed& fx, const crypto::musig::Session& session,
                                          const BuiltCommitment& built, const NonceAndPsig& peer,
                                          crypto::musig::NoncePair&& our_nonce);
Expected<crypto::musig::NoncePair> fresh_nonce(const Fixed& fx);

Error protocol_error(const std::string& code, const std::string& message);

}  // namespace ladder::channel
