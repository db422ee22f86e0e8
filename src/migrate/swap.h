// Option 2, the off-chain to on-chain swap (DESIGN §6): the client's whole
// old balance goes into an HTLC A→L (hash H of a preimage only the client
// knows, expiry T_in); L funds an on-chain output O (claim_output.h: key
// path MuSig2(A_fresh, L), a hashlock leaf for A_fresh, a refund leaf for L
// after T_on) worth the amount minus L's fee; the client claims O, which
// gives L the preimage to settle the HTLC with; then the client hands its
// old factory key over if its policy agrees.
//
// Sequence (A = SwapClient, L = SwapLsp):
//   1. Request/terms as every option (terms.h); A adds the HTLC.
//   2. L, once the HTLC is irrevocably locked in (on_old_channel_event),
//      puts O in the day's batch (batch_output) and, the batch frozen, tells
//      A where O is (funded → SwapFunded). L broadcasts the batch when it
//      likes: O needs no claim session.
//   3. A, once O has its depth d and while tip + c ≤ T_on, asks L to
//      co-sign a key-path claim, revealing the preimage off-chain
//      (SwapClaimRequest with A's nonce); L checks the preimage, settles the
//      HTLC, and answers with its nonce and partial (SwapClaimSig); A
//      verifies it, aggregates and broadcasts the key-path claim. If L does
//      not answer by the next block, or answers wrongly, A claims by the
//      hashlock leaf instead (script path, nSequence 1). A re-broadcasts its
//      claim until it is c deep.
//   4. L learns the preimage off-chain or from the hashlock claim (mempool
//      or block) and settles the HTLC. A, its HTLC settled, hands its old
//      factory key over (handover.h) if it agrees; L stores it (KeyVault).
// L refunds O after T_on if it is still unspent, then fails the HTLC back
// once the refund is c deep. Channels and vault are borrowed. Not
// thread-safe. Failure codes: those of terms.h and legs.h,
// "migrate.out-of-order", "migrate.wrong-migration", "migrate.bad-preimage",
// "migrate.claim-mismatch", "migrate.refunded", "migrate.not-locked",
// MuSig2, channel and batch errors.
#pragma once

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

struct SwapClientConfig {
  MigrationId id{};
  uint64_t old_factory = 0;
  channel::Channel* old_channel = nullptr;  // the client's side
  crypto::SecretKey factory_key;            // the old factory key (handover)
  crypto::SecretKey fresh_key;              // A_fresh, its key in O
  Bytes claim_script;
  ClientPolicy policy;
  LegContext legs;                          // the old factory's TO, X, c, d_max
  ClientKeyLedger* ledger = nullptr;
};

class SwapClient {
 public:
  enum class Stage : uint8_t { requested, offered, claiming, claimed, done, abandoned, failed };

  static Expected<std::pair<SwapClient, MigrateRequest>> start(SwapClientConfig config);

  Expected<FlowOutput> on_terms(const MigrateTerms& terms, uint32_t tip);
  Expected<FlowOutput> on_swap_funded(const SwapFunded& msg);
  Expected<FlowOutput> on_swap_claim_sig(const SwapClaimSig& msg);
  Expected<FlowOutput> on_handover_ack(const HandoverAck& ack);
  FlowOutput on_old_channel_event(const channel::ChannelEvent& e);
  FlowOutput on_tx(const btc::Transaction& tx, std::optional<uint32_t> height);
  FlowOutput on_tx_unconfirmed(const btc::Txid& txid);
  FlowOutput on_tip(uint32_t tip);
  FlowOutput poll();

  Stage stage() const { return stage_; }
  const std::optional<btc::Transaction>& claim_tx() const { return claim_; }

 private:
  explicit SwapClient(SwapClientConfig c) : cfg_(std::move(c)) {}
  FlowOutput claim_by_script();
  FlowOutput broadcast_claim(btc::Transaction tx);
  FlowOutput after_settle();

  SwapClientConfig cfg_;
  MigrateRequest request_;
  Bytes32 preimage_{};
  Stage stage_ = Stage::requested;
  std::optional<MigrateTerms> terms_;
  std::optional<ClaimOutput> output_;
  std::optional<uint64_t> htlc_id_;
  std::optional<btc::OutPoint> o_outpoint_;
  std::optional<uint32_t> o_height_;
  bool o_checked_ = false;  // the batch's output at o_outpoint_ is O
  std::optional<ClaimTx> coop_claim_;
  std::optional<crypto::musig::NoncePair> coop_nonce_;
  uint32_t coop_asked_at_ = 0;
  std::optional<btc::Transaction> claim_;
  std::optional<uint32_t> claim_height_;
  bool settled_ = false, handover_sent_ = false, handover_done_ = false, refunded_ = false;
  bool enforce_raised_ = false;
  RevealGate gate_;
  uint32_t tip_ = 0;
};

struct SwapLspConfig {
  uint64_t old_factory = 0;
  channel::Channel* old_channel = nullptr;  // L's side
  crypto::PubKey client_key;                // the client's old factory key (handover)
  crypto::SecretKey lsp_key;                // L's key in O, one per migration
  Bytes refund_script;
  LspPolicy policy;
  LegContext legs;
  btc::Amount refund_fee_rate = 2'000;
  KeyVault* vault = nullptr;
};

class SwapLsp {
 public:
  static Expected<std::pair<SwapLsp, MigrateTerms>> accept(SwapLspConfig config, const MigrateRequest& req,
                                                            uint32_t tip, uint32_t batch_height);

  Expected<FlowOutput> on_old_channel_event(const channel::ChannelEvent& e);
  std::optional<BatchOutput> batch_output() const;
  // The batch holding O is frozen: tell the client where O is.
  Expected<FlowOutput> funded(const Batch& batch);
  Expected<FlowOutput> on_swap_claim_request(const SwapClaimRequest& msg);
  Expected<FlowOutput> on_handover(const Handover& msg);
  Expected<FlowOutput> on_reveal_blocked(const RevealBlocked& msg);
  FlowOutput on_tx(const btc::Transaction& tx, std::optional<uint32_t> height);
  FlowOutput on_tx_unconfirmed(const btc::Txid& txid);
  FlowOutput on_tip(uint32_t tip);

  bool learned_preimage() const { return preimage_.has_value(); }
  bool handed_over() const { return handed_over_; }
  bool removed() const { return removed_; }
  const MigrateTerms& terms() const { return terms_; }

 private:
  SwapLsp(SwapLspConfig c, MigrateRequest r, MigrateTerms t, ClaimOutput o)
      : cfg_(std::move(c)), request_(std::move(r)), terms_(std::move(t)), output_(std::move(o)) {}
  FlowOutput learn(const Bytes32& preimage);
  FlowOutput resolve_htlc(bool settle);

  SwapLspConfig cfg_;
  MigrateRequest request_;
  MigrateTerms terms_;
  ClaimOutput output_;
  std::optional<uint64_t> htlc_id_;
  std::optional<btc::OutPoint> o_outpoint_;
  std::optional<uint32_t> o_height_, refund_height_;
  std::optional<Bytes32> preimage_;
  bool claimed_ = false;          // a claim of O was seen
  bool refund_sent_ = false;
  bool removed_ = false, resolution_sent_ = false, handed_over_ = false, enforce_raised_ = false;
  uint32_t tip_ = 0;
};

}  // namespace ladder::migrate
