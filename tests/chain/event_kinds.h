// Test helper: the kinds of a list of chain events, for compact assertions.
#pragma once

#include <string>
#include <vector>

#include "chain/backend.h"

namespace ladder::chain::testing {

inline std::vector<std::string> kinds(const std::vector<ChainEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(event_kind_name(e.kind));
  return out;
}

}  // namespace ladder::chain::testing
