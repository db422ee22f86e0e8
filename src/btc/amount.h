// Amounts in satoshis. Consensus bounds: 0 ≤ value ≤ MAX_MONEY.
#pragma once

#include <cstdint>

namespace ladder::btc {

using Amount = int64_t;

inline constexpr Amount COIN = 100'000'000;
inline constexpr Amount MAX_MONEY = 21'000'000 * COIN;

inline constexpr bool money_range(Amount v) { return v >= 0 && v <= MAX_MONEY; }

}  // namespace ladder::btc
