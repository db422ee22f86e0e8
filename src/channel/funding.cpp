#include "channel/funding.h"

#include <array>

namespace ladder::channel {

Expected<FundingKey> FundingKey::create(const crypto::PubKey& a, const crypto::PubKey& b) {
  if (a == b) return make_error("channel.bad-funding-key", "both sides have the same funding key");
  const std::array<crypto::PubKey, 2> keys{a, b};
  auto sorted = crypto::musig::key_sort(keys);
  auto internal = crypto::musig::KeyAggContext::create(sorted);
  if (!internal) return make_error("channel.bad-funding-key", internal.error().to_string());
  const Bytes32 xonly = internal->xonly_pubkey().bytes();
  auto tweaked = internal->apply_tweak({btc::taproot_tweak_hash(xonly, std::nullopt), true});
  if (!tweaked) return make_error("channel.bad-funding-key", tweaked.error().to_string());
  auto output = btc::taproot_output(xonly, std::nullopt);
  if (!output) return make_error("channel.bad-funding-key", output.error().to_string());
  Bytes spk = output->script_pubkey();
  return FundingKey{*internal, *tweaked, *output, std::move(spk)};
}

}  // namespace ladder::channel
