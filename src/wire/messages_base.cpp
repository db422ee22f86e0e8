#include "wire/messages_base.h"

#include <algorithm>
#include <stdexcept>

namespace ladder::wire {

std::optional<Pong> answer_ping(const Ping& ping) {
  if (ping.num_pong_bytes >= 65532) return std::nullopt;
  return Pong{Bytes(ping.num_pong_bytes, 0)};
}

std::string printable(ByteView data) {
  const bool ascii = std::all_of(data.begin(), data.end(), [](uint8_t c) { return c >= 32 && c <= 126; });
  if (ascii) return std::string(data.begin(), data.end());
  return "hex:" + to_hex(data);
}

Init make_init(ProtocolVersions versions, const FeatureBits& features, std::optional<std::vector<Bytes32>> networks) {
  Init init;
  init.features = features.to_wire();
  init.tlvs.protocol = versions;
  init.tlvs.networks = std::move(networks);
  return init;
}

namespace {

FeatureBits all_features(const Init& init) {
  return FeatureBits::from_wire(init.global_features) | FeatureBits::from_wire(init.features);
}

// Every even (required) bit in `requirer` must be offered by `offerer`.
std::optional<size_t> first_unmet_requirement(const FeatureBits& requirer, const FeatureBits& offerer) {
  for (size_t bit : requirer.bits())
    if (bit % 2 == 0 && !offerer.offers(bit)) return bit;
  return std::nullopt;
}

Status check_networks(const Init& local, const Init& remote) {
  const auto& a = local.tlvs.networks;
  const auto& b = remote.tlvs.networks;
  if (!a || !b) return ok();
  for (const auto& chain : *a)
    if (std::find(b->begin(), b->end(), chain) != b->end()) return ok();
  return make_error("init.no-common-network", "the peers serve no common chain");
}

}  // namespace

Expected<Negotiated> negotiate(const Init& local, const Init& remote) {
  if (!local.tlvs.protocol) throw std::logic_error("negotiate: the local init carries no protocol versions");
  const ProtocolVersions& mine = *local.tlvs.protocol;
  if (!remote.tlvs.protocol) return make_error("init.no-protocol-version", "the peer's init has no protocol versions");
  const ProtocolVersions& theirs = *remote.tlvs.protocol;
  if (theirs.min_version > theirs.max_version)
    return make_error("init.bad-version-range", "the peer's versions " + std::to_string(theirs.min_version) + ".." +
                                                    std::to_string(theirs.max_version) + " are empty");
  const uint16_t version = std::min(mine.max_version, theirs.max_version);
  if (version < std::max(mine.min_version, theirs.min_version))
    return make_error("init.no-common-version", "we speak " + std::to_string(mine.min_version) + ".." +
                                                    std::to_string(mine.max_version) + ", the peer " +
                                                    std::to_string(theirs.min_version) + ".." +
                                                    std::to_string(theirs.max_version));

  const FeatureBits ours = all_features(local);
  const FeatureBits peer = all_features(remote);
  if (auto bit = first_unmet_requirement(peer, ours))
    return make_culprit_error("init.unknown-required-feature", static_cast<int>(*bit), "feature",
                              "the peer requires feature bit " + std::to_string(*bit));
  if (auto bit = first_unmet_requirement(ours, peer))
    return make_culprit_error("init.missing-required-feature", static_cast<int>(*bit), "feature",
                              "we require feature bit " + std::to_string(*bit) + ", which the peer does not offer");
  LADDER_TRY(check_networks(local, remote));

  Negotiated out;
  out.version = version;
  for (size_t bit : ours.bits())
    if (peer.offers(bit)) out.features.set(bit & ~size_t{1});
  return out;
}

}  // namespace ladder::wire
