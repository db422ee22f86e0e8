#include "chain/block.h"

#include <optional>

#include "btc/script.h"
#include "crypto/hash.h"
#include "util/serialize.h"

namespace ladder::chain {

namespace {
constexpr uint8_t kCommitmentPrefix[6] = {0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed};
}

Bytes BlockHeader::serialize() const {
  Writer w;
  w.reserve(80);
  w.u32le(static_cast<uint32_t>(version));
  w.bytes(prev_hash);
  w.bytes(merkle_root);
  w.u32le(time);
  w.u32le(bits);
  w.u32le(nonce);
  return w.take();
}

Bytes32 BlockHeader::hash() const { return crypto::sha256d(serialize()); }

Bytes Block::serialize(bool with_witness) const {
  Writer w;
  w.bytes(header.serialize());
  w.compact_size(txs.size());
  for (const auto& tx : txs) tx.serialize_to(w, with_witness);
  return w.take();
}

int64_t Block::weight() const {
  return static_cast<int64_t>(serialize(false).size()) * (btc::WITNESS_SCALE_FACTOR - 1) +
         static_cast<int64_t>(serialize(true).size());
}

Expected<BlockHeader> read_block_header(Reader& r) {
  BlockHeader h;
  LADDER_ASSIGN(uint32_t v, r.u32le());
  h.version = static_cast<int32_t>(v);
  LADDER_ASSIGN(h.prev_hash, r.array<32>());
  LADDER_ASSIGN(h.merkle_root, r.array<32>());
  LADDER_ASSIGN(h.time, r.u32le());
  LADDER_ASSIGN(h.bits, r.u32le());
  LADDER_ASSIGN(h.nonce, r.u32le());
  return h;
}

Expected<Block> parse_block(ByteView data) {
  Reader r(data);
  Block b;
  LADDER_ASSIGN(b.header, read_block_header(r));
  LADDER_ASSIGN(uint64_t n, r.compact_size());
  // A transaction takes at least 60 bytes; refuse counts the data cannot hold.
  if (n == 0 || n > r.remaining() / 60 + 1) return make_error("block.bad-tx-count", "transaction count does not fit the data");
  b.txs.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    LADDER_ASSIGN(auto tx, btc::read_transaction(r));
    b.txs.push_back(std::move(tx));
  }
  LADDER_TRY(r.expect_end());
  return b;
}

Bytes32 merkle_root(std::vector<Bytes32> leaves) {
  if (leaves.empty()) return Bytes32{};
  uint8_t buf[64];
  while (leaves.size() > 1) {
    if (leaves.size() % 2) leaves.push_back(leaves.back());
    for (size_t i = 0; i < leaves.size() / 2; ++i) {
      std::copy(leaves[2 * i].begin(), leaves[2 * i].end(), buf);
      std::copy(leaves[2 * i + 1].begin(), leaves[2 * i + 1].end(), buf + 32);
      leaves[i] = crypto::sha256d(ByteView(buf, 64));
    }
    leaves.resize(leaves.size() / 2);
  }
  return leaves[0];
}

bool check_proof_of_work(const Bytes32& hash, uint32_t bits) {
  uint32_t exponent = bits >> 24;
  uint32_t mantissa = bits & 0x007fffff;
  if (bits & 0x00800000) return false;  // negative
  if (mantissa == 0 || exponent > 34) return false;
  // Target as a 32-byte little-endian number: mantissa << 8*(exponent-3).
  Bytes32 target{};
  for (int i = 0; i < 3; ++i) {
    int pos = static_cast<int>(exponent) - 3 + i;
    uint8_t byte = static_cast<uint8_t>(mantissa >> (8 * i));
    if (pos < 0) continue;
    if (pos >= 32) {
      if (byte) return false;  // overflow
      continue;
    }
    target[pos] = byte;
  }
  for (int i = 31; i >= 0; --i) {
    if (hash[i] != target[i]) return hash[i] < target[i];
  }
  return true;
}

std::string block_hash_hex(const Bytes32& hash) { return to_hex(reversed(hash)); }

Expected<Bytes32> parse_block_hash_hex(std::string_view hex) {
  LADDER_ASSIGN(auto b, from_hex_fixed<32>(hex));
  return reversed(b);
}

btc::Transaction make_coinbase(int height, btc::Amount value, ByteView script_pubkey) {
  btc::Transaction cb;
  cb.version = 2;
  btc::TxIn in;
  in.prevout.n = 0xffffffff;
  in.script_sig = btc::ScriptBuilder().push_int(height).op(btc::OP_0).take();
  in.witness = {Bytes(32, 0)};
  cb.vin.push_back(std::move(in));
  cb.vout.push_back(btc::TxOut{value, to_bytes(script_pubkey)});
  Bytes commitment(std::begin(kCommitmentPrefix), std::end(kCommitmentPrefix));
  commitment.resize(38, 0);
  cb.vout.push_back(btc::TxOut{0, std::move(commitment)});
  return cb;
}

Bytes32 compute_witness_commitment(std::vector<Bytes32> wtxids) {
  if (!wtxids.empty()) wtxids[0] = Bytes32{};
  Bytes32 root = merkle_root(std::move(wtxids));
  uint8_t buf[64] = {};
  std::copy(root.begin(), root.end(), buf);  // reserved value: 32 zero bytes
  return crypto::sha256d(ByteView(buf, 64));
}

namespace {
bool is_commitment_script(const Bytes& s) {
  return s.size() >= 38 && std::equal(std::begin(kCommitmentPrefix), std::end(kCommitmentPrefix), s.begin());
}
}  // namespace

std::optional<Bytes32> find_witness_commitment(const btc::Transaction& coinbase) {
  for (size_t i = coinbase.vout.size(); i-- > 0;) {
    const auto& s = coinbase.vout[i].script_pubkey;
    if (!is_commitment_script(s)) continue;
    Bytes32 c;
    std::copy(s.begin() + 6, s.begin() + 38, c.begin());
    return c;
  }
  return std::nullopt;
}

void set_witness_commitment(btc::Transaction& coinbase, const Bytes32& commitment) {
  for (size_t i = coinbase.vout.size(); i-- > 0;) {
    auto& s = coinbase.vout[i].script_pubkey;
    if (!is_commitment_script(s)) continue;
    std::copy(commitment.begin(), commitment.end(), s.begin() + 6);
    return;
  }
  throw std::logic_error("set_witness_commitment: coinbase has no commitment output");
}

Expected<int64_t> coinbase_height(const btc::Transaction& coinbase) {
  if (coinbase.vin.empty()) return make_error("block.bad-cb-height", "no coinbase input");
  btc::ScriptReader r(coinbase.vin[0].script_sig);
  auto op = r.next();
  if (!op) return make_error("block.bad-cb-height", "coinbase scriptSig does not start with a push");
  if (op->opcode == btc::OP_0) return int64_t{0};
  if (op->opcode >= btc::OP_1 && op->opcode <= btc::OP_16) return int64_t{op->opcode - btc::OP_1 + 1};
  if (op->opcode > btc::OP_PUSHDATA4 || op->data.empty())
    return make_error("block.bad-cb-height", "coinbase scriptSig does not start with a height push");
  auto n = btc::script_num_decode(op->data, 5);
  if (!n) return make_error("block.bad-cb-height", n.error().message);
  return *n;
}

}  // namespace ladder::chain
