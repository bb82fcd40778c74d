// Graph node construction (interning), the --emit=graph printer and the
// graph verifier.
#include "compiler/graph/Graph.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace ravel::graph {
namespace {

struct OpInfo {
  const char* name;
  Family family;
  int arity;
  const char* numpy;
};

constexpr OpInfo kOps[] = {
#define OP(name, family, arity, numpy) {#name, Family::family, arity, numpy},
#include "compiler/graph/Ops.def"
#undef OP
};

const OpInfo& info(Op op) {
  return kOps[static_cast<int>(op)];
}

std::string scalarText(const Scalar& c) {
  switch (c.dtype) {
    case DType::Bool:
      return c.b ? "True" : "False";
    case DType::Int32:
    case DType::Int64:
      return std::to_string(c.i);
    default: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", c.f);
      return buf;
    }
  }
}

} // namespace

Family familyOf(Op op) {
  return info(op).family;
}
int arityOf(Op op) {
  return info(op).arity;
}
const char* opName(Op op) {
  return info(op).name;
}
const char* numpyName(Op op) {
  return info(op).numpy;
}

NodeRef Graph::intern(std::string key, Node node) {
  auto it = table_.find(key);
  if (it != table_.end()) {
    if (NodeRef existing = it->second.lock()) return existing;
  }
  node.serial = nextSerial_++;
  auto ref = std::make_shared<const Node>(std::move(node));
  table_[std::move(key)] = ref;
  // Drop dead entries now and then so a long REPL session stays bounded.
  if (table_.size() > 4096 && (nextSerial_ & 1023) == 0) {
    std::erase_if(table_, [](const auto& e) { return e.second.expired(); });
  }
  return ref;
}

NodeRef Graph::input(const Array& array, Span span) {
  RAVEL_CHECK(array.valid(), "input node of a null array");
  // "in|" then fixed-width binary fields: memory, offset, dtype and
  // writability, epoch, rank, dims, strides (no text formatting: loops make
  // inputs every iteration).
  std::string k = "in|";
  k.reserve(8 + 8 * (5 + 2 * array.shape().size()));
  auto put = [&k](uint64_t v) { k.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(reinterpret_cast<uintptr_t>(array.data()));
  put(uint64_t(array.offset()));
  put(uint64_t(array.dtype()) | uint64_t(array.writeable()) << 8 |
      uint64_t(array.shape().size()) << 16);
  put(epoch_);
  for (int64_t d : array.shape()) put(uint64_t(d));
  for (int64_t d : array.strides()) put(uint64_t(d));
  Node n{Op::Input, array.dtype(), array.shape(), {}, array, {}, {}, span, 0, 0};
  return intern(std::move(k), std::move(n));
}

NodeRef Graph::constant(Scalar value, Span span) {
  // The dtype and the value's bits (which tell -0.0 and NaN payloads apart):
  // no text formatting, since a loop makes its constants once per iteration.
  std::string k = "c|";
  k += char('0' + static_cast<int>(value.dtype));
  uint64_t bits = 0;
  if (value.dtype == DType::Float64 || value.dtype == DType::Float32)
    std::memcpy(&bits, &value.f, sizeof bits);
  else if (value.dtype == DType::Bool)
    bits = value.b;
  else
    bits = static_cast<uint64_t>(value.i);
  k.append(reinterpret_cast<const char*>(&bits), sizeof bits);
  Node n{Op::Const, value.dtype, {}, {}, {}, value, {}, span, 0, 0};
  return intern(std::move(k), std::move(n));
}

NodeRef Graph::make(Op op, DType dtype, Shape shape, std::vector<NodeRef> srcs, Span span,
                    std::vector<int> axes) {
  RAVEL_CHECK(int(srcs.size()) == arityOf(op), std::string("wrong arity for ") + opName(op));
  // A binary key (op, dtype, rank, dims, sources' serials, axes): fixed-width
  // fields, so no two nodes share one, and no number is formatted as text.
  std::string k;
  k.reserve(16 + 8 * (shape.size() + srcs.size() + axes.size()));
  auto put = [&k](uint64_t v) { k.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(uint64_t(op) | uint64_t(dtype) << 16 | uint64_t(shape.size()) << 32 |
      uint64_t(axes.size()) << 48);
  for (int64_t d : shape) put(uint64_t(d));
  int ops = isElementwise(op) ? 1 : 0;
  for (const NodeRef& s : srcs) {
    put(s->serial);
    ops += s->opCount;
  }
  for (int a : axes) put(uint64_t(int64_t(a)));
  Node n{op, dtype, std::move(shape), std::move(srcs), {}, {}, std::move(axes), span, 0, ops};
  return intern(std::move(k), std::move(n));
}

std::string dump(const std::vector<NodeRef>& roots) {
  std::unordered_map<const Node*, int> ids;
  std::string out;
  // Iterative post-order so deep graphs cannot overflow the stack.
  for (const NodeRef& root : roots) {
    std::vector<std::pair<const Node*, size_t>> stack{{root.get(), 0}};
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (ids.count(node)) {
        stack.pop_back();
        continue;
      }
      if (next < node->srcs.size()) {
        const Node* child = node->srcs[next++].get();
        if (!ids.count(child)) stack.push_back({child, 0});
        continue;
      }
      int id = int(ids.size());
      ids[node] = id;
      out += "%" + std::to_string(id) + " = " + opName(node->op) + " " +
             std::string(dtypeName(node->dtype)) + formatShapeCompact(node->shape);
      for (const NodeRef& s : node->srcs) out += " %" + std::to_string(ids[s.get()]);
      if (node->op == Op::Const) out += " " + scalarText(node->constant);
      if (isReduce(node->op)) {
        out += " axes=(";
        for (size_t i = 0; i < node->axes.size(); ++i)
          out += (i ? "," : "") + std::to_string(node->axes[i]);
        out += ")";
      }
      out += "\n";
      stack.pop_back();
    }
  }
  return out;
}

void forEachNode(const std::vector<const Node*>& roots,
                 const std::function<bool(const Node*)>& visit) {
  std::vector<const Node*> stack(roots.rbegin(), roots.rend());
  std::unordered_set<const Node*> seen;
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (!seen.insert(n).second || !visit(n)) continue;
    for (const NodeRef& s : n->srcs) stack.push_back(s.get());
  }
}

void verify(const NodeRef& root) {
  forEachNode({root.get()}, [](const Node* n) {
    RAVEL_CHECK(int(n->srcs.size()) == arityOf(n->op), "node arity");
    if (n->op == Op::Input) {
      RAVEL_CHECK(n->input.valid() && n->input.shape() == n->shape && n->input.dtype() == n->dtype,
                  "input node does not match its array");
    }
    if (isElementwise(n->op)) {
      for (const NodeRef& s : n->srcs) {
        RAVEL_CHECK(s->shape.size() <= n->shape.size(), "elementwise source has higher rank");
      }
    }
    if (isProduct(n->op)) {
      const Shape &a = n->srcs[0]->shape, &b = n->srcs[1]->shape;
      RAVEL_CHECK(a.size() >= 2 && a.size() == b.size(), "matmul operand ranks");
      RAVEL_CHECK(std::equal(a.begin(), a.end() - 2, b.begin()), "matmul batch axes differ");
      RAVEL_CHECK(a[a.size() - 1] == b[b.size() - 2], "matmul inner sizes differ");
      RAVEL_CHECK(n->srcs[0]->dtype == n->dtype && n->srcs[1]->dtype == n->dtype,
                  "matmul operand dtype");
      Shape full(a.begin(), a.end() - 1);
      full.push_back(b.back());
      RAVEL_CHECK(checkedSize(full) == checkedSize(n->shape), "matmul result size");
    }
    if (isReduce(n->op)) {
      const Shape& in = n->srcs[0]->shape;
      for (size_t i = 0; i < n->axes.size(); ++i) {
        RAVEL_CHECK(n->axes[i] >= 0 && n->axes[i] < int(in.size()), "reduce axis out of range");
        RAVEL_CHECK(i == 0 || n->axes[i] > n->axes[i - 1], "reduce axes not sorted/unique");
      }
    }
    return true;
  });
}

} // namespace ravel::graph
