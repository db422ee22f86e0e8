#include "factory/fees.h"

#include <vector>

#include "util/serialize.h"

namespace ladder::factory {

int64_t keypath_tx_vsize(std::span<const size_t> output_script_sizes) {
  // version 4, input count 1, input 32+4+1+4, output count, outputs, locktime 4.
  int64_t base = 4 + 1 + 41 + static_cast<int64_t>(compact_size_len(output_script_sizes.size())) + 4;
  for (size_t s : output_script_sizes) base += 8 + static_cast<int64_t>(compact_size_len(s) + s);
  // marker + flag, then one witness of one 64-byte item: 1 + 1 + 64.
  int64_t witness = 2 + 1 + 1 + 64;
  int64_t weight = base * 4 + witness;
  return (weight + 3) / 4;
}

int64_t keypath_tx_vsize_p2tr(size_t n_p2tr_outputs, bool anchor) {
  std::vector<size_t> sizes(n_p2tr_outputs, kP2trScriptSize);
  if (anchor) sizes.push_back(kP2aScriptSize);
  return keypath_tx_vsize(sizes);
}

}  // namespace ladder::factory
