// Layout primitives behind NumPy's view and joining functions: strided views
// checked against their memory (as_strided, sliding_window_view), the views a
// join or tile writes through, and a gather along one axis (repeat).
//
// Invariants:
//  - every view returned here lies inside its array's buffer (checked with
//    overflow-safe arithmetic before the view is made);
//  - nothing here allocates except where a function says so.
#pragma once

#include "runtime/Array.h"

#include <optional>
#include <vector>

namespace ravel {

/// The bytes an array with this shape and these strides touches, relative to
/// its first element: [lo, hi). {0, 0} for a zero-size shape; nullopt when
/// the extent does not fit in int64.
struct ByteExtent {
  int64_t lo, hi;
};
std::optional<ByteExtent> byteExtentOf(const Shape& shape, const Strides& strides,
                                       int64_t itemSize);

/// NumPy's shares_memory, exactly: true when some element of a and some
/// element of b occupy a common byte. Enumerates a's element offsets (sorted)
/// and looks up each of b's: O((|a| + |b|) log |a|) time, O(|a|) memory.
bool elementsOverlap(const Array& a, const Array& b);

/// NumPy's as_strided: a view of x's memory from x's first element with any
/// shape and strides, refused (RuntimeError(Value)) when it would reach a byte
/// outside x's buffer; NumPy does not check and reads whatever lies there.
/// Shape and strides must have the same length ("mismatch in length of
/// strides and shape"). Views whose elements overlap are read-only.
Array asStrided(const Array& x, const Shape& shape, const Strides& strides);

/// NumPy's sliding_window_view with the axes already normalised (duplicates
/// allowed, one window length per axis): the input's axes shortened by
/// window - 1, then one window axis per entry. Errors use NumPy's words.
Array slidingWindows(const Array& x, const Shape& window, const std::vector<int>& axes);

/// For tile: the writable view of `result` (shape reps[k] * tile[k] per axis,
/// same ndim as both) with shape reps ++ tile, so writing a tile-shaped value
/// into it (broadcast over the leading reps axes) writes every copy.
Array tileView(const Array& result, const Shape& reps, const Shape& tile);

/// dst[..., j, ...] = src[..., index[j], ...] along `axis` (NumPy's take with
/// an index vector, which repeat is). dst has src's shape and dtype except
/// that its `axis` has index.size() entries; every index is in range.
void takeAlongAxis(const Array& src, const std::vector<int64_t>& index, int axis, const Array& dst);

} // namespace ravel
