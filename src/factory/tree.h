// A factory tree: every pre-signed transaction of one factory, built
// top-down from unsigned templates (DESIGN §3).
//
// What: Tree = a shared immutable Layout (FactoryTerms, Shape, amounts) +
// the current DW state index of every DW node + each leaf's current channel
// capacities (both stored sparsely: only what differs from construction). From these it derives, for
// any transaction (TxKey), the unsigned tx, the output it spends, the
// aggregate key that signs it and the BIP-341 sighash — identically for the
// LSP and for every client, which is what lets the whole tree be signed in
// two rounds. Signatures are attached by txid once verified (add_signature),
// so a Tree is also the store of a participant's signed path.
//
// Amounts: computed bottom-up at creation. A leaf's kickoff output K is fixed
// then; later leaf states keep K and move value between channels and the
// L-stock, which absorbs rounding (an L-stock below dust is dropped to fees).
// Every tree tx pays its fee from L's share; distribution txs pay theirs pro
// rata from the payouts.
//
// Memory: the Layout is shared by every Tree built from equal terms in one
// process (content-addressed), and a Tree's own state is sparse, so a client
// that only touches its path holds O(depth) data — the simulator hosts
// thousands of clients' Trees of one factory.
//
// Thread-safety: a Tree is a value with internal memo caches; use one Tree
// per thread. Failure: Expected errors "factory.*".
#pragma once

#include <map>
#include <mutex>
#include <unordered_map>
#include <memory>
#include <optional>
#include <vector>

#include "btc/tx.h"
#include "crypto/schnorr.h"
#include "factory/aggregate_key.h"
#include "factory/shape.h"
#include "factory/terms.h"

namespace ladder::factory {

enum class TxKind : uint8_t { static_tx, kickoff, state, distribution };
std::string to_string(TxKind k);

// For distribution txs: which output of a node it spends.
inline constexpr uint32_t kNodeInput = 0xffffffff;  // the node's input (funding/static/state output)
// For a leaf, slots 0..k-1 are its channel outputs and slot k its L-stock.

struct TxKey {
  TxKind kind = TxKind::static_tx;
  uint32_t node = 0;
  uint32_t slot = kNodeInput;  // distribution txs only
  auto operator<=>(const TxKey&) const = default;
  std::string to_string() const;
};

// Everything needed to sign or verify one tree tx.
struct SigningTarget {
  TxKey key;
  btc::Transaction tx;
  btc::TxOut spent;
  std::shared_ptr<const AggregateKey> agg;
  Bytes32 sighash{};
};

// What a signer keeps of a target once it has checked the tx: enough to
// guard, sign and store the signature (no copy of the tx).
struct SigningRef {
  TxKey key;
  btc::Txid txid;
  btc::OutPoint prevout;
  uint32_t sequence = 0;
  Bytes32 sighash{};
  std::shared_ptr<const AggregateKey> agg;

  static SigningRef of(const SigningTarget& t) {
    return {t.key, t.tx.txid(), t.tx.vin.at(0).prevout, t.tx.vin.at(0).sequence, t.sighash, t.agg};
  }
};

// A distribution payout: which client gets how much.
struct Payout {
  uint32_t client = 0;
  btc::Amount amount = 0;
};

// The immutable part of a tree: terms, shape and construction amounts.
struct Layout {
  Layout(FactoryTerms t, Shape s, const crypto::PubKey& lsp) : terms(std::move(t)), shape(std::move(s)), lsp_key(lsp) {}

  FactoryTerms terms;
  Shape shape;
  Bytes32 terms_hash{};
  std::vector<btc::Amount> input_value;    // by node: value of the output the node spends
  std::vector<btc::Amount> kickoff_value;  // by DW node: K
  std::vector<uint32_t> leaf_index;        // by node: position among the leaves (leaves only)
  crypto::PubKey lsp_key;                  // parsed terms.lsp_key
  std::vector<crypto::PubKey> client_keys; // parsed terms.clients[i].key
  std::vector<Bytes> payout_scripts;       // P2TR of each client's key (distribution payouts)

  // Validates and computes the layout, or returns the one already computed
  // in this process for equal terms.
  static Expected<std::shared_ptr<const Layout>> get(const FactoryTerms& terms);

  // Aggregate keys, computed once per layout and shared by every Tree of it
  // (thread-safe). `kind` tells the output kinds apart; `id` is a node or
  // client index.
  enum class KeyKind : uint8_t { input, kickoff, channel, lstock };
  using KeyPtr = std::shared_ptr<const AggregateKey>;
  Expected<KeyPtr> key(KeyKind kind, uint32_t id, uint32_t first, uint32_t count,
                       const std::optional<Bytes32>& merkle_root) const;

 private:
  mutable std::mutex keys_mu_;
  mutable std::map<std::pair<KeyKind, uint32_t>, KeyPtr> keys_;
};

class Tree {
 public:
  // Validates params, shape, amounts and heights; aggregates keys lazily.
  // Errors: "factory.bad-params", "factory.x-too-large", "factory.bad-heights",
  // "factory.bad-amounts", "factory.bad-shape".
  static Expected<Tree> create(const FactoryTerms& terms);

  const FactoryTerms& terms() const { return layout_->terms; }
  const FactoryParams& params() const { return layout_->terms.params; }
  const Shape& shape() const { return layout_->shape; }
  const Layout& layout() const { return *layout_; }
  uint32_t client_count() const { return shape().client_count(); }

  // ---- state ----
  uint32_t state_index(uint32_t node) const;
  uint32_t state_count(uint32_t node) const;
  // nSequence of a DW node's state tx at index i: (S − 1 − i) × step.
  uint32_t state_sequence(uint32_t node, uint32_t index) const;
  // Sets a DW node's state index and resets every DW node below it to 0.
  // The inputs of the nodes from the root down to `node` survive, and so do
  // their distribution txs (never re-signed, R): their payouts stay those
  // of the amounts they were signed with, whatever later capacities are.
  void set_state_index(uint32_t node, uint32_t index);
  // Current channel capacity of `client` (0 once its channel was removed).
  btc::Amount capacity(uint32_t client) const;
  // Replaces a leaf's channel capacities (slot order). The L-stock absorbs the
  // difference; "factory.bad-amounts" if it would go negative or a channel is
  // below the minimum capacity (0 removes the channel).
  Status set_leaf_capacities(uint32_t leaf, std::vector<btc::Amount> capacities);

  // ---- amounts ----
  btc::Amount funding_value() const { return layout_->input_value.at(0); }
  btc::Amount input_value(uint32_t node) const { return layout_->input_value.at(node); }
  btc::Amount kickoff_value(uint32_t node) const { return layout_->kickoff_value.at(node); }
  // The L-stock output of a leaf in its current state (0: none).
  btc::Amount lstock_value(uint32_t leaf) const;

  // ---- keys and scripts ----
  Expected<std::shared_ptr<const AggregateKey>> funding_key() { return input_key(0); }
  Expected<std::shared_ptr<const AggregateKey>> input_key(uint32_t node);
  Expected<std::shared_ptr<const AggregateKey>> kickoff_key(uint32_t node);
  Expected<std::shared_ptr<const AggregateKey>> channel_key(uint32_t client);
  Expected<std::shared_ptr<const AggregateKey>> lstock_key(uint32_t leaf);
  // P2TR with the client's factory key as the output key (untweaked):
  // distribution payouts.
  const Bytes& payout_script(uint32_t client) const { return layout_->payout_scripts.at(client); }
  // Leaves of the L-stock script tree / the CLTV leaf of classic mode.
  Bytes lstock_csv_script() const;
  Bytes timeout_script() const;

  // ---- transactions ----
  // All pre-signed txs of the current state, top-down (construction signs all of them).
  std::vector<TxKey> all_txs() const;
  // Those whose signers include `client`.
  std::vector<TxKey> txs_of_client(uint32_t client) const;
  // Signers of a tx, as client indices (L signs every tx).
  std::pair<uint32_t, uint32_t> signer_range(const TxKey& key) const;  // [first, first+count)
  bool has_distribution(uint32_t node, uint32_t slot = kNodeInput) const;
  // Where a node's input comes from.
  Expected<btc::OutPoint> input_outpoint(uint32_t node);
  Expected<btc::TxOut> input_txout(uint32_t node);
  // Unsigned transactions.
  Expected<btc::Transaction> build(const TxKey& key);
  Expected<SigningTarget> target(const TxKey& key);
  std::vector<Payout> distribution_payouts(uint32_t node, uint32_t slot) const;
  // The outpoint of a leaf's channel (slot) or L-stock (slot k) output.
  Expected<btc::OutPoint> leaf_outpoint(uint32_t leaf, uint32_t slot);

  // ---- signatures ----
  // Stores a signature after verifying it against the tx's sighash
  // ("factory.bad-signature").
  Status add_signature(const TxKey& key, const crypto::SchnorrSig& sig);
  // The same for a target already computed from this tree.
  Status add_signature(const SigningRef& ref, const crypto::SchnorrSig& sig);
  std::optional<crypto::SchnorrSig> signature(const btc::Txid& txid) const;
  // The tx with its witness; "factory.unsigned" if no signature is held.
  Expected<btc::Transaction> signed_tx(const TxKey& key);

  // Insured(C) (DESIGN §3.2): the least C is paid by any distribution tx on
  // its current path. 0 in classic mode.
  btc::Amount insured(uint32_t client);

 private:
  using KeyPtr = std::shared_ptr<const AggregateKey>;
  explicit Tree(std::shared_ptr<const Layout> layout) : layout_(std::move(layout)) {}
  Expected<btc::Txid> output_txid(uint32_t node);  // txid of the tx creating the node's children
  void append_node_txs(std::vector<TxKey>& out, uint32_t id, std::optional<uint32_t> client) const;
  void invalidate_below(uint32_t node);
  Expected<std::vector<btc::TxOut>> node_outputs(uint32_t node);
  Expected<std::vector<btc::TxOut>> leaf_outputs(uint32_t leaf);
  Expected<btc::Transaction> build_distribution(uint32_t node, uint32_t slot);
  btc::Amount nominal_payout(uint32_t client) const;
  std::vector<btc::Amount> leaf_caps(uint32_t leaf) const;

  std::shared_ptr<const Layout> layout_;
  std::unordered_map<uint32_t, uint32_t> state_index_;               // non-zero DW indices
  std::unordered_map<uint32_t, std::vector<btc::Amount>> leaf_caps_;  // leaves changed since construction
  std::unordered_map<uint32_t, std::vector<Payout>> input_payouts_;  // surviving inputs' distributions, as signed
  std::unordered_map<uint32_t, btc::Txid> txid_memo_;
  std::map<btc::Txid, crypto::SchnorrSig> sigs_;
};

}  // namespace ladder::factory
