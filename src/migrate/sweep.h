// Sweeping what only L can sign (DESIGN §6 "What L does with handed-over
// keys", §7): outputs of a factory whose every signer departed, L-stock
// outputs after their CSV, distribution payouts to departed clients' keys
// and P2A anchors — as inputs of any transaction L builds (its daily batch
// or a recovery tx), or as one sweep tx of their own.
//
// An output's signers are L plus the clients below it (TreeOutput). When
// every one of those clients departed, L holds every key of the MuSig2
// aggregate and spends the output by key path with ONE Schnorr signature
// (factory/close.h aggregate_secret): no rounds, no script, the cheapest
// input there is. A factory whose every client departed is therefore swept
// in one tx spending its funding output, which can carry any other outputs
// (the next factory's funding: the sweep joins the day's batch).
//
// Scope (R): every key comes from a DepartedKeys bound to one factory; a
// SweepInput is built only for the tree of that factory, so a handed-over
// key never signs outside its factory ("migrate.key-out-of-scope").
//
// SweepInput is the input-provider contract for batches: outpoint, spent
// output, a dummy witness of the size it will need (fee estimation before
// signing), and sign_input() to sign it once the whole tx is fixed (BIP-341
// sighashes commit to every input's spent output, so signing is last);
// batch_input()/sign_sweeps() plug it into migrate/batch.h.
//
// Thread-safety: pure functions of their arguments (SweepInput holds secret
// key copies; keep it in memory only). Failure: "migrate.key-out-of-scope",
// "migrate.signer-present" (a signer below the output has not departed),
// "migrate.sweep-below-dust", factory errors ("factory.no-output",
// "factory.missing-key") and sighash/taproot errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "factory/tree.h"
#include "migrate/batch.h"
#include "migrate/departed_keys.h"

namespace ladder::migrate {

// Where an output sits in a factory tree.
enum class OutputRole : uint8_t {
  node_input,  // the output a node spends: the funding output, a static or state output
  kickoff,     // a DW node's kickoff output (its state spends it)
  channel,     // a leaf's channel output (slot = the client's slot)
  lstock,      // a leaf's L-stock output
};
std::string to_string(OutputRole r);

struct TreeOutput {
  OutputRole role = OutputRole::node_input;
  uint32_t node = 0;
  uint32_t slot = 0;  // channel: slot in the leaf
  bool operator==(const TreeOutput&) const = default;
};

// Signers of the output besides L, as a client range [first, first + count).
std::pair<uint32_t, uint32_t> output_signers(const factory::Tree& tree, const TreeOutput& out);
// Whether every client that signs for `out` departed.
bool departed_only(const factory::Tree& tree, const DepartedKeys& keys, const TreeOutput& out);
// The output's outpoint and TxOut in the tree's current state.
Expected<btc::OutPoint> outpoint_of(factory::Tree& tree, const TreeOutput& out);
Expected<btc::TxOut> txout_of(factory::Tree& tree, const TreeOutput& out);

// The topmost departed-only outputs below `node` (inclusive) that feed a
// node: the node's own input if every client below it departed, else those
// of its children (leaves contribute departed clients' channel outputs).
std::vector<TreeOutput> departed_subtrees(const factory::Tree& tree, const DepartedKeys& keys, uint32_t node);

struct SweepInput {
  enum class Path : uint8_t { key, lstock_csv, anchor };
  btc::OutPoint outpoint;
  btc::TxOut spent;
  Path path = Path::key;
  uint32_t sequence = 0xfffffffd;
  std::optional<crypto::SecretKey> signer;  // key path: the (tweaked) key; script path: L's key
  Bytes script, control_block;              // lstock_csv only
  std::string what;                         // for logs and errors

  // A witness of the size the signed one will have, for fee estimation
  // before signing (a batch sets it on its draft).
  btc::Witness dummy_witness() const;
};

// Key-path input for a departed-only tree output: one signature by the
// aggregate of the departed clients' keys and L's.
Expected<SweepInput> departed_input(factory::Tree& tree, const DepartedKeys& keys, const crypto::SecretKey& lsp_key,
                                    const TreeOutput& out);
// Script-path input for a leaf's L-stock: valid lstock_csv blocks after the
// leaf state confirmed (nSequence = lstock_csv).
Expected<SweepInput> lstock_input(factory::Tree& tree, uint32_t leaf, const crypto::SecretKey& lsp_key);
// A distribution payout to a departed client's factory key (the key itself
// is the output key).
Expected<SweepInput> payout_input(const factory::Tree& tree, const DepartedKeys& keys, uint32_t client,
                                  const btc::OutPoint& outpoint, const btc::TxOut& spent);
// A P2A anchor (anyone can spend it; empty witness).
SweepInput anchor_input(const btc::OutPoint& outpoint, btc::Amount value);

// Signs input `index` of `tx` as `in` says; `spent` lists every input's
// spent output in input order.
Status sign_input(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent, const SweepInput& in);

// vsize of a version-2 tx with these inputs and outputs, once signed.
int64_t sweep_vsize(const std::vector<SweepInput>& inputs, const std::vector<btc::TxOut>& outputs);

// One tx spending every input, paying `outputs` and the rest (minus the fee
// at `fee_rate_sat_per_kvb`) to `change_script`; signed.
// "migrate.sweep-below-dust" if the change would be below `dust_limit`.
Expected<btc::Transaction> build_sweep(const std::vector<SweepInput>& inputs, std::vector<btc::TxOut> outputs,
                                       const Bytes& change_script, btc::Amount fee_rate_sat_per_kvb,
                                       btc::Amount dust_limit = 330);

// The batch's view of a sweep input (§6 batching: the sweep of a fully
// departed factory joins L's daily batch). Key-path and anchor inputs only
// ("migrate.bad-input" otherwise): the batch fixes every nSequence.
Expected<BatchInput> batch_input(const SweepInput& in, uint64_t factory_id);
// Signs every input of `tx` (a frozen batch) that is one of `sweeps`;
// `spent` lists every input's spent output in input order.
Status sign_sweeps(btc::Transaction& tx, const std::vector<btc::TxOut>& spent, const std::vector<SweepInput>& sweeps);

// A factory whose every client departed, swept in ONE tx spending its
// funding output by key path (one signature); `outputs` may fund the next
// factory. "migrate.signer-present" unless every client departed.
Expected<btc::Transaction> sweep_factory(factory::Tree& tree, const DepartedKeys& keys, const crypto::SecretKey& lsp_key,
                                         std::vector<btc::TxOut> outputs, const Bytes& change_script,
                                         btc::Amount fee_rate_sat_per_kvb);

}  // namespace ladder::migrate
