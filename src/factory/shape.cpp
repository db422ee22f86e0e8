#include "factory/shape.h"

#include <algorithm>

namespace ladder::factory {

namespace {

// One level of the tree under construction, bottom-up: each entry is a group
// of entries of the level below (indices), or a leaf's client range.
struct Proto {
  NodeKind kind;
  std::vector<uint32_t> children;  // indices into the level below
  uint32_t first_client, client_count;
};

std::vector<Proto> group(const std::vector<Proto>& below, uint32_t arity, NodeKind kind) {
  std::vector<Proto> out;
  for (uint32_t i = 0; i < below.size(); i += arity) {
    Proto p{kind, {}, below[i].first_client, 0};
    for (uint32_t j = i; j < std::min<size_t>(below.size(), i + arity); ++j) {
      p.children.push_back(j);
      p.client_count += below[j].client_count;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Expected<Shape> Shape::build(uint32_t clients, const FactoryParams& params) {
  if (clients < 1 || clients > 65536)
    return make_error("factory.bad-shape", "a factory holds 1..65536 clients, not " + std::to_string(clients));
  std::vector<std::vector<Proto>> levels;  // bottom-up
  std::vector<Proto> leaves;
  for (uint32_t c = 0; c < clients; c += params.clients_per_leaf)
    leaves.push_back({NodeKind::dw_leaf, {}, c, std::min(params.clients_per_leaf, clients - c)});
  levels.push_back(std::move(leaves));

  Shape s;
  s.clients_ = clients;
  s.levels_.dw_levels = 1;
  for (uint32_t i = 0; i < params.interior_dw_levels && levels.back().size() > 1; ++i) {
    levels.push_back(group(levels.back(), params.interior_arity, NodeKind::dw_interior));
    ++s.levels_.dw_levels;
  }
  while (levels.back().size() > 1) {
    levels.push_back(group(levels.back(), params.static_arity, NodeKind::static_node));
    ++s.levels_.static_levels;
  }

  // Number top-down, breadth first.
  std::vector<uint32_t> ids_above;  // node id of each entry of the level above
  for (size_t li = levels.size(); li-- > 0;) {
    const auto& level = levels[li];
    std::vector<uint32_t> ids(level.size());
    for (size_t i = 0; i < level.size(); ++i) {
      ids[i] = static_cast<uint32_t>(s.nodes_.size());
      Node n;
      n.kind = level[i].kind;
      n.first_client = level[i].first_client;
      n.client_count = level[i].client_count;
      n.depth = static_cast<uint32_t>(levels.size() - 1 - li);
      s.nodes_.push_back(std::move(n));
    }
    if (li + 1 < levels.size()) {
      const auto& parents = levels[li + 1];
      for (size_t pi = 0; pi < parents.size(); ++pi) {
        for (size_t k = 0; k < parents[pi].children.size(); ++k) {
          uint32_t child = ids[parents[pi].children[k]];
          s.nodes_[child].parent = static_cast<int32_t>(ids_above[pi]);
          s.nodes_[child].parent_output = static_cast<uint32_t>(k);
          s.nodes_[ids_above[pi]].children.push_back(child);
        }
      }
    }
    ids_above = std::move(ids);
  }
  s.leaf_of_.resize(clients);
  for (uint32_t id = 0; id < s.nodes_.size(); ++id) {
    const Node& n = s.nodes_[id];
    if (!n.is_leaf()) continue;
    for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c) s.leaf_of_[c] = id;
  }
  return s;
}

std::vector<uint32_t> Shape::path_to(uint32_t node) const {
  std::vector<uint32_t> path;
  for (int32_t n = static_cast<int32_t>(node); n >= 0; n = nodes_.at(n).parent) path.push_back(n);
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<uint32_t> Shape::leaves() const {
  std::vector<uint32_t> out;
  for (uint32_t id = 0; id < nodes_.size(); ++id)
    if (nodes_[id].is_leaf()) out.push_back(id);
  return out;
}

}  // namespace ladder::factory
