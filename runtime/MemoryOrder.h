// NumPy's order='K': the memory order in which a ufunc or reduction allocates
// its result, chosen from its operands' strides (NumPy's nditer,
// npyiter_find_best_axis_ordering). ravel follows it so that a result's
// strides, and whether a later reshape or ravel of it is a view, match NumPy.
#pragma once

#include "runtime/Array.h"

#include <vector>

namespace ravel {

/// The axes of an iteration over `ndim` dimensions, fastest first, ordered by
/// the operands' strides as NumPy's iterator orders them: a stable insertion
/// sort from C order by |stride|, where a pair of axes is compared only on
/// operands with a nonzero stride on both, and any operand that prefers the
/// current (C) order wins over those that prefer a swap. Each operand's
/// strides must have ndim entries, 0 on axes it broadcasts or has length 1.
std::vector<int> axisOrderFastestFirst(const std::vector<Strides>& operands, int ndim);

/// The memory order NumPy's concatenate gives its result
/// (PyArray_CreateMultiSortedStridePerm), fastest first: from C order, a
/// stable insertion sort by |stride| descending, where a pair of axes is
/// compared only on inputs longer than 1 on both, the first such input
/// decides a swap and any input that keeps C order on the pair vetoes it.
/// `shapes[k]` and `strides[k]` are input k's, all of ndim axes.
std::vector<int> concatenationOrderFastestFirst(const std::vector<Shape>& shapes,
                                                const std::vector<Strides>& strides, int ndim);

/// The strides an array of this shape and item size gets when its axes are
/// laid out densely in this order (fastest first), NumPy's allocation of a
/// K-ordered result.
Strides stridesInAxisOrder(const Shape& shape, int64_t itemSize,
                           const std::vector<int>& fastestFirst);

/// An operand's strides as NumPy's iterator sees them over `iterNdim` axes:
/// right-aligned, and 0 on axes where the array has length 1 or is absent.
Strides iterationStrides(const Array& a, int iterNdim);

} // namespace ravel
