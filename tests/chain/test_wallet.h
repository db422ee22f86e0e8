// Test helper: builds and signs the transactions chain tests spend with.
//
// A TestWallet holds one BIP-86-style taproot key (no script tree) and
// signs key-path spends of its own outputs; it also spends P2A anchors
// and bare OP_TRUE outputs (empty witness) and the P2WSH "anyone" scripts made by anyone_script().
#pragma once

#include <vector>

#include "btc/tx.h"
#include "chain/embedded_chain.h"
#include "crypto/secp.h"

namespace ladder::chain::testing {

struct Spend {
  btc::OutPoint outpoint;
  btc::TxOut out;
};

// P2WSH of `witness_script` and the witness script itself: the spend pushes
// only the script, so the script must leave one true element (e.g. `OP_TRUE`,
// `<n> OP_CHECKSEQUENCEVERIFY`).
Bytes p2wsh_of(ByteView witness_script);
Bytes op_true_script();  // OP_TRUE

class TestWallet {
 public:
  explicit TestWallet(uint8_t seed = 1);
  const Bytes& script() const { return script_; }

  // A tx spending `inputs` to `outputs`, every input signed (or, for P2A and
  // the registered P2WSH scripts, given its witness).
  btc::Transaction spend(const std::vector<Spend>& inputs, std::vector<btc::TxOut> outputs, uint32_t version = 2,
                         uint32_t locktime = 0, uint32_t sequence = 0xfffffffd) const;
  // Registers a witness script so spend() can satisfy its P2WSH output.
  void add_witness_script(Bytes witness_script) { scripts_.push_back(std::move(witness_script)); }
  // (Re)signs every input after the caller edited the tx.
  void sign(btc::Transaction& tx, const std::vector<btc::TxOut>& spent) const;

  // Mines `n` blocks to this wallet's script.
  std::vector<Bytes32> mine(EmbeddedChain& chain, int n) const;
  // A mature coinbase output paying to this wallet, not yet used by spend_coinbase.
  Spend coinbase_at(const EmbeddedChain& chain, int height) const;

 private:
  crypto::SecretKey tweaked_;
  Bytes script_;
  std::vector<Bytes> scripts_;
};

}  // namespace ladder::chain::testing
