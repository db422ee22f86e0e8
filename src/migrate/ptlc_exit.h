// Option 3, the PTLC assisted exit (DESIGN §6): the client's whole old
// balance goes into a PTLC A→L whose payment point P_A is the client's OLD
// FACTORY PUBLIC KEY; L funds an on-chain output O the client claims with a
// MuSig2 signature whose adaptor point is P_A, so the claim itself reveals
// the client's old factory key to L — atomically with the client's payout.
//
// Sequence (A = PtlcExitClient, L = PtlcExitLsp, host = the cores):
//   1. A: start() → MigrateRequest. L: accept() → MigrateTerms (legs.h,
//      terms.h; both sides check). A: on_terms() adds the PTLC (amount = its
//      whole balance, point P_A, expiry T_in) on the old channel.
//   2. L: on_old_channel_event(incoming_locked) — the channel reports it only
//      when irrevocably committed with A's adaptor signatures for the success
//      txs of both commitments verified, and A's revocation of the pre-PTLC
//      commitment in hand. From then on freezes_leaf() (no tree update on
//      A's leaf until the PTLC is gone or the key learned) and
//      batch_output() is O, for the day's batch.
//   3. Once the batch is frozen (its txid fixed), per claim version v:
//      L start_claim() / on_claim_resign() → ClaimOffer (O, fee rate, point,
//      L's nonce); A on_claim_offer() builds the claim tx itself, checks the
//      point is its own key and the amounts, and answers ClaimPartial (its
//      nonce and partial signature in the adaptor session); L
//      on_claim_partial() VERIFIES A's partial, signs its own, aggregates the
//      pre-signature s', stores the version (txid, sighash, aggregate nonce,
//      s') durably and only then answers ClaimAdaptorPartial; A
//      on_adaptor_partial() PRE-VERIFIES L's partial and the aggregate.
//   4. L funds O only once may_fund() (a version completed); the host
//      broadcasts the batch. A waits for its depth d, checks the reveal
//      cutoff (tip + c ≤ T_on) and its reveal conditions on the quiescent old
//      channel (legs.h), records its key as handed over (ClientKeyLedger),
//      completes s' with its old factory secret and broadcasts the claim,
//      re-broadcasting it on every tip until it is c deep.
//   5. L sees the claim in the mempool or a block (on_tx), extracts a,
//      checks a·G = P_A, stores a in the KeyVault (scoped to the old
//      factory) and settles the old PTLC with it.
// Failure paths: A past the cutoff abandons (event) and gets its balance
// back when L fails the PTLC, or on chain at T_in (must_enforce). L refunds
// O after T_on if it was never claimed, then fails the PTLC back; L that
// never funds O may abandon() before any version completed. A claim that
// L saw but could not settle off-chain by T_in − X_old − c raises
// must_enforce: L forces A's factory path and sweeps A's channel output by
// key path (it holds both keys), or takes the PTLC's success path.
//
// Secret nonces live only in these objects' memory (one per version and
// side); a restart means a new claim version. Channels, batch, store and
// vault are borrowed and must outlive the flow. Not thread-safe.
//
// Failure codes (besides terms.h / legs.h): "migrate.out-of-order",
// "migrate.wrong-migration", "migrate.claim-version", "migrate.wrong-adaptor-point",
// "migrate.claim-mismatch", "migrate.bad-adaptor-partial", "migrate.bad-partial",
// "migrate.not-locked", "migrate.claim-session-completed", channel, batch and
// MuSig2 errors.
#pragma once

#include <map>
#include <optional>
#include <utility>

#include "crypto/musig.h"
#include "migrate/batch.h"
#include "migrate/claim_output.h"
#include "migrate/flow.h"
#include "migrate/handover.h"
#include "migrate/key_vault.h"
#include "migrate/terms.h"

namespace ladder::migrate {

struct PtlcExitClientConfig {
  MigrationId id{};
  uint64_t old_factory = 0;
  channel::Channel* old_channel = nullptr;  // the client's side of its old channel
  crypto::SecretKey factory_key;            // the old factory key: the scalar its claim reveals
  crypto::SecretKey fresh_key;              // A_fresh, its key in O
  Bytes claim_script;                       // where its claim pays
  ClientPolicy policy;
  LegContext legs;                          // the old factory's TO, X, c, d_max
  ClientKeyLedger* ledger = nullptr;        // records the key as handed over before the claim
};

class PtlcExitClient {
 public:
  enum class Stage : uint8_t { requested, offered, claimed, done, abandoned, failed };

  static Expected<std::pair<PtlcExitClient, MigrateRequest>> start(PtlcExitClientConfig config);

  Expected<FlowOutput> on_terms(const MigrateTerms& terms, uint32_t tip);
  Expected<FlowOutput> on_claim_offer(const ClaimOffer& offer);
  Expected<FlowOutput> on_adaptor_partial(const ClaimAdaptorPartial& msg);
  // Asks L for a new claim version at `fee_rate`.
  Expected<ClaimResign> ask_resign(btc::Amount fee_rate);
  FlowOutput on_old_channel_event(const channel::ChannelEvent& e);
  FlowOutput on_tx(const btc::Transaction& tx, std::optional<uint32_t> height);
  FlowOutput on_tx_unconfirmed(const btc::Txid& txid);
  FlowOutput on_tip(uint32_t tip);
  // Re-runs the current tip's checks (e.g. after the old channel became quiescent).
  FlowOutput poll();

  Stage stage() const { return stage_; }
  const MigrationId& id() const { return cfg_.id; }
  const std::optional<btc::Transaction>& claim_tx() const { return claim_; }
  const std::optional<MigrateTerms>& terms() const { return terms_; }

 private:
  struct Version {
    ClaimTx claim;
    btc::Amount fee_rate = 0;
    crypto::musig::PubNonce lsp_nonce;
    crypto::musig::PubNonce own_nonce;
    crypto::musig::PartialSig own_psig;
    std::optional<crypto::musig::Session> session;
    std::optional<crypto::adaptor::PreSignature> presig;
  };
  explicit PtlcExitClient(PtlcExitClientConfig c) : cfg_(std::move(c)) {}
  const Version* best_ready() const;
  FlowOutput try_reveal(const Version& v);
  FlowOutput abandon();

  PtlcExitClientConfig cfg_;
  MigrateRequest request_;
  Stage stage_ = Stage::requested;
  std::optional<MigrateTerms> terms_;
  std::optional<ClaimOutput> output_;
  std::optional<uint64_t> ptlc_id_;
  std::map<uint32_t, Version> versions_;
  btc::Amount next_fee_rate_ = 0;
  std::optional<btc::OutPoint> o_outpoint_;
  std::optional<uint32_t> o_height_;
  std::optional<btc::Transaction> claim_;
  std::optional<uint32_t> claim_height_;
  RevealGate gate_;
  bool refunded_ = false;
  bool enforce_raised_ = false;
  uint32_t tip_ = 0;
};

struct PtlcExitLspConfig {
  uint64_t old_factory = 0;
  channel::Channel* old_channel = nullptr;  // L's side of the client's old channel
  crypto::PubKey client_key;                // P_A: the client's old factory key
  crypto::SecretKey lsp_key;                // L's key in O, one per migration
  Bytes refund_script;                      // L's wallet
  LspPolicy policy;
  LegContext legs;                          // the old factory's TO, X, c, d_max
  btc::Amount refund_fee_rate = 2'000;
  store::RecordStore* store = nullptr;      // claim versions
  KeyVault* vault = nullptr;                // the extracted key
};

class PtlcExitLsp {
 public:
  static Expected<std::pair<PtlcExitLsp, MigrateTerms>> accept(PtlcExitLspConfig config, const MigrateRequest& req,
                                                                uint32_t tip, uint32_t batch_height);

  Expected<FlowOutput> on_old_channel_event(const channel::ChannelEvent& e);
  // O for the day's batch, once the PTLC is locked in.
  std::optional<BatchOutput> batch_output() const;
  Expected<FlowOutput> start_claim(Batch& batch);
  Expected<FlowOutput> on_claim_partial(const ClaimPartial& msg, Batch& batch);
  Expected<FlowOutput> on_claim_resign(const ClaimResign& msg, Batch& batch);
  Expected<FlowOutput> on_reveal_blocked(const RevealBlocked& msg);
  // L gives up before funding O (no version completed): fails the PTLC back.
  Expected<FlowOutput> abandon();
  FlowOutput on_tx(const btc::Transaction& tx, std::optional<uint32_t> height);
  FlowOutput on_tx_unconfirmed(const btc::Txid& txid);
  FlowOutput on_tip(uint32_t tip);

  // A claim version completed: the batch holding O may be broadcast.
  bool may_fund() const;
  // Tree updates on the client's leaf wait while this is true.
  bool freezes_leaf() const { return ptlc_id_.has_value() && !learned_ && !removed_; }
  bool learned() const { return learned_; }
  bool removed() const { return removed_; }
  const MigrationId& id() const { return request_.id; }
  const MigrateTerms& terms() const { return terms_; }
  size_t versions() const { return versions_.size(); }

  // Restart-safe extraction: the key a spend of O reveals, from the claim
  // versions stored for `id` (nullopt if `tx` is none of them).
  static Expected<std::optional<crypto::SecretKey>> extract_key(store::RecordStore& store, const MigrationId& id,
                                                                const btc::Transaction& tx, const crypto::PubKey& point);

 private:
  struct Version {
    ClaimTx claim;
    std::optional<crypto::musig::NoncePair> nonce;  // consumed when L signs
    std::optional<crypto::adaptor::PreSignature> presig;
  };
  PtlcExitLsp(PtlcExitLspConfig c, MigrateRequest r, MigrateTerms t, ClaimOutput o)
      : cfg_(std::move(c)), request_(std::move(r)), terms_(std::move(t)), output_(std::move(o)) {}
  Expected<FlowOutput> offer(Batch& batch, btc::Amount fee_rate);
  FlowOutput learn(const crypto::SecretKey& a);
  FlowOutput check_deadline();
  FlowOutput resolve_ptlc(bool settle);

  PtlcExitLspConfig cfg_;
  MigrateRequest request_;
  MigrateTerms terms_;
  ClaimOutput output_;
  std::optional<uint64_t> ptlc_id_;
  std::map<uint32_t, Version> versions_;
  std::optional<btc::OutPoint> o_outpoint_;
  std::optional<uint32_t> o_height_;
  std::optional<uint32_t> refund_height_;
  std::optional<crypto::SecretKey> key_;
  bool learned_ = false;
  bool removed_ = false;
  bool resolution_sent_ = false;   // the settle or fail of the PTLC went out
  bool vault_pending_ = false;     // the learned key still has to be stored
  bool enforce_raised_ = false;
  uint32_t tip_ = 0;
};

}  // namespace ladder::migrate
