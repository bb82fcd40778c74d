// Sorting along the last axis of C-contiguous arrays, with NumPy's order:
// ascending, NaN after every number (so `sort` puts NaNs at the end and
// `argsort` their indices last). Many rows are sorted in parallel; a long
// row is radix-sorted on one thread (memory-bound already).
// No compiler dependency: AOT programs may link it.
#pragma once

#include "runtime/Array.h"

namespace ravel {

/// Sorts each row (the last axis) of `a` in place. `a` must be
/// C-contiguous and writeable. Equal elements keep their order when `stable`.
void sortRows(Array& a, bool stable);

/// The int64 indices that sort each row (the last axis) of C-contiguous `a`,
/// ties in index order (always stable, which every NumPy kind permits).
Array argsortRows(const Array& a);

/// NumPy's searchsorted on a sorted 1-d contiguous `sorted` for every element
/// of contiguous `values` (both of the same dtype): the insertion index, left
/// (first i with !(a[i] < v)) or right (first i with v < a[i]), NaN last.
Array searchSorted(const Array& sorted, const Array& values, bool right);

} // namespace ravel
