// The shape of a factory tree (DESIGN §3): static levels near the root, then
// Decker-Wattenhofer (DW) levels, leaves holding k clients each.
//
// Clients are numbered 0..n-1 in the order the LSP lists them; every node
// covers a contiguous range of them, so "the clients below a node" is a
// range. Nodes are numbered top-down breadth-first: node 0 is the root, which
// spends the funding output. A node's input is output `parent_output` of its
// parent's tx (the static tx, or the DW node's state tx). The tree is
// balanced: every leaf is at the same depth, so every path has the same
// number of static and DW levels (LevelCounts).
//
// A Shape is an immutable value; it does not know keys or amounts.
#pragma once

#include <cstdint>
#include <vector>

#include "factory/params.h"
#include "util/expected.h"

namespace ladder::factory {

enum class NodeKind : uint8_t {
  static_node,  // one tx, one version ever, outputs = children
  dw_interior,  // kickoff + state; state outputs = children
  dw_leaf,      // kickoff + state; state outputs = k channels + L-stock
};

struct Node {
  NodeKind kind = NodeKind::static_node;
  int32_t parent = -1;         // -1: spends the funding output
  uint32_t parent_output = 0;  // output index in the parent's static/state tx
  std::vector<uint32_t> children;
  uint32_t first_client = 0;
  uint32_t client_count = 0;
  uint32_t depth = 0;

  bool is_dw() const { return kind != NodeKind::static_node; }
  bool is_leaf() const { return kind == NodeKind::dw_leaf; }
  bool covers(uint32_t client) const { return client >= first_client && client < first_client + client_count; }
};

class Shape {
 public:
  // "factory.bad-shape" for fewer than one client or more than 65,536.
  static Expected<Shape> build(uint32_t clients, const FactoryParams& params);

  uint32_t client_count() const { return clients_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(uint32_t id) const { return nodes_.at(id); }
  LevelCounts levels() const { return levels_; }
  // The leaf holding `client`.
  uint32_t leaf_of(uint32_t client) const { return leaf_of_.at(client); }
  // Position of `client` among its leaf's clients (its channel's output index).
  uint32_t slot_in_leaf(uint32_t client) const { return client - nodes_[leaf_of(client)].first_client; }
  // Node ids from the root down to `node`, inclusive.
  std::vector<uint32_t> path_to(uint32_t node) const;
  std::vector<uint32_t> leaves() const;

 private:
  uint32_t clients_ = 0;
  std::vector<Node> nodes_;
  std::vector<uint32_t> leaf_of_;
  LevelCounts levels_;
};

}  // namespace ladder::factory
