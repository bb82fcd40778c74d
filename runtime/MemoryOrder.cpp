#include "runtime/MemoryOrder.h"

#include <cstdlib>

namespace ravel {

std::vector<int> axisOrderFastestFirst(const std::vector<Strides>& operands, int ndim) {
  std::vector<int> order;
  for (int d = ndim - 1; d >= 0; --d) order.push_back(d); // C order, fastest first
  for (int i = 1; i < ndim; ++i) {
    const int axis = order[size_t(i)];
    int insertAt = i;
    for (int j = i - 1; j >= 0; --j) {
      const int other = order[size_t(j)];
      bool ambiguous = true, swap = false;
      for (const Strides& s : operands) {
        const int64_t moving = s[size_t(axis)], placed = s[size_t(other)];
        if (moving == 0 || placed == 0) continue;
        // C order wins a conflict: one operand against the swap settles it.
        if (std::llabs(placed) <= std::llabs(moving))
          swap = false;
        else if (ambiguous)
          swap = true;
        ambiguous = false;
      }
      if (ambiguous) continue; // no operand tells these two axes apart: look further
      if (!swap) break;
      insertAt = j;
    }
    if (insertAt != i) {
      order.erase(order.begin() + i);
      order.insert(order.begin() + insertAt, axis);
    }
  }
  return order;
}

std::vector<int> concatenationOrderFastestFirst(const std::vector<Shape>& shapes,
                                                const std::vector<Strides>& strides, int ndim) {
  std::vector<int> perm(static_cast<size_t>(ndim)); // slowest first
  for (int d = 0; d < ndim; ++d) perm[size_t(d)] = d;
  for (int i0 = 1; i0 < ndim; ++i0) {
    int pos = i0;
    const int a0 = perm[size_t(i0)];
    for (int i1 = i0 - 1; i1 >= 0; --i1) {
      const int a1 = perm[size_t(i1)];
      bool ambiguous = true, swap = false;
      for (size_t k = 0; k < shapes.size(); ++k) {
        if (shapes[k][size_t(a0)] == 1 || shapes[k][size_t(a1)] == 1) continue;
        if (std::llabs(strides[k][size_t(a0)]) <= std::llabs(strides[k][size_t(a1)]))
          swap = false; // C order wins a conflict
        else if (ambiguous)
          swap = true;
        ambiguous = false;
      }
      if (ambiguous) continue;
      if (!swap) break;
      pos = i1;
    }
    for (int i = i0; i > pos; --i) perm[size_t(i)] = perm[size_t(i - 1)];
    perm[size_t(pos)] = a0;
  }
  return std::vector<int>(perm.rbegin(), perm.rend());
}

Strides stridesInAxisOrder(const Shape& shape, int64_t itemSize,
                           const std::vector<int>& fastestFirst) {
  Strides strides(shape.size(), 0);
  int64_t step = itemSize;
  for (int axis : fastestFirst) {
    strides[size_t(axis)] = step;
    step *= shape[size_t(axis)];
  }
  return strides;
}

Strides iterationStrides(const Array& a, int iterNdim) {
  Strides s(size_t(iterNdim), 0);
  const int lead = iterNdim - a.ndim();
  for (int d = 0; d < a.ndim(); ++d)
    if (a.shape()[size_t(d)] != 1) s[size_t(lead + d)] = a.strides()[size_t(d)];
  return s;
}

} // namespace ravel
