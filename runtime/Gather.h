// Advanced ("fancy") indexing on strided arrays: reading the elements an
// integer-array index selects into a new array (NumPy's copy semantics), and
// writing values into them. The index is already resolved by the caller:
// basic indices applied as a view, boolean masks turned into integer arrays,
// every index checked against its axis.
//
// Invariants of an AdvancedIndex:
//  - `axes` is non-empty, ascending, and names distinct axes of `view`;
//  - every array in `indices` is int64 with shape `indexShape` (broadcast
//    views allowed) and holds values in [0, view.shape()[axes[k]]).
#pragma once

#include "runtime/Array.h"

#include <vector>

namespace ravel {

struct AdvancedIndex {
  Array view;                 // the array after the basic part of the index
  std::vector<int> axes;      // axes of `view` indexed by arrays
  std::vector<Array> indices; // one per axis, broadcast to indexShape
  Shape indexShape;
  /// Set when something other than an index array or an integer (a slice,
  /// None or `...`, even one that spans no axis) stands between two of them
  /// in the subscript: NumPy then puts the index dimensions first.
  bool separated = false;
};

/// NumPy's placement rule: when the index arrays are adjacent in the
/// subscript, the index dimensions replace their axes in place; otherwise
/// they go first in the result.
bool indexDimsFirst(const AdvancedIndex& index);

/// Checks the invariants above (RAVEL_CHECK).
void verifyAdvancedIndex(const AdvancedIndex& index);

/// Shape of `view[index]`.
Shape advancedResultShape(const AdvancedIndex& index);

/// `view[index]` as a new C-contiguous array.
Array gather(const AdvancedIndex& index);

/// `view[index] = values`, values already cast to the view's dtype and of
/// the result shape (broadcast views allowed). Elements are written in the
/// result's C order, so with repeated indices the last value wins, as in
/// NumPy. The caller makes sure `values` does not overlap `view`.
void scatter(const AdvancedIndex& index, const Array& values);

/// `a[mask]` for a bool mask of a's shape: the elements where the mask is
/// True, in C order, as a new 1-d array (no coordinate arrays are made).
Array maskedSelect(const Array& a, const Array& mask);

/// NumPy's nonzero: one int64 array per axis holding the coordinates of the
/// non-zero elements in C order (a 0-d array counts as 1-d).
std::vector<Array> nonzeroCoordinates(const Array& a);

} // namespace ravel
