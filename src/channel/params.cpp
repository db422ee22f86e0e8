#include "channel/params.h"

#include <string>

namespace ladder::channel {

namespace {
Error bad(const std::string& what) { return make_error("channel.bad-params", what); }
}  // namespace

Status validate(const ChannelParams& p) {
  if (p.dust_limit < 0 || !btc::money_range(p.dust_limit)) return bad("dust_limit out of range");
  if (p.max_in_flight <= 0 || !btc::money_range(p.max_in_flight)) return bad("max_in_flight must be positive");
  if (p.max_locks == 0 || p.max_locks > 400) return bad("max_locks must be in 1..400 (commitment size)");
  if (p.min_lock_amount <= 0) return bad("min_lock_amount must be positive");
  if (p.max_dust_exposure < 0) return bad("max_dust_exposure must not be negative");
  if (p.to_self_delay == 0 || p.to_self_delay > 0xffff) return bad("to_self_delay must be in 1..65535 blocks");
  if (p.fee_rate_sat_per_kvb < 0 || p.fee_rate_sat_per_kvb > 100 * 1000 * 1000) return bad("fee rate out of range");
  if (p.anchor_value <= 0) return bad("anchor_value must be positive");
  if (p.funder_reserve < 0) return bad("funder_reserve must not be negative");
  return ok();
}

Status check_expiry(const Deadlines& d, uint32_t height, uint32_t expiry) {
  if (d.factory_timeout) {
    const int64_t last = static_cast<int64_t>(*d.factory_timeout) - d.enforcement_time;
    if (static_cast<int64_t>(expiry) > last)
      return make_error("channel.expiry-after-deadline", "expiry " + std::to_string(expiry) + " is later than TO − X = " +
                                                             std::to_string(last));
  }
  const uint64_t earliest = static_cast<uint64_t>(height) + d.enforcement_time;
  if (expiry < earliest)
    return make_error("channel.expiry-too-soon", "expiry " + std::to_string(expiry) + " leaves less than X = " +
                                                     std::to_string(d.enforcement_time) + " blocks after height " +
                                                     std::to_string(height));
  return ok();
}

}  // namespace ladder::channel
