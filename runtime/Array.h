// Array: NumPy's ndarray model. A shared, 64-byte aligned buffer plus a byte
// offset, a shape, byte strides and a dtype. Views share the buffer; nothing
// here ever copies unless the function says so.
//
// Invariants:
//  - ndim() <= kMaxDims;
//  - every element reachable through (offset, shape, strides) lies inside the
//    buffer (checked when a view is made, with overflow-safe arithmetic);
//  - a zero-size array may have any strides and never dereferences its data.
#pragma once

#include "runtime/DType.h"
#include "runtime/Error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ravel {

constexpr int kMaxDims = 32;
constexpr int64_t kBufferAlignment = 64;

using Shape = std::vector<int64_t>;
using Strides = std::vector<int64_t>; // in bytes, may be negative or zero

/// Owned storage. Freed when the last Array referring to it goes away.
class Buffer {
public:
  /// Allocates nbytes (64-byte aligned, zero bytes allowed). Throws
  /// RuntimeError(Memory) with "cannot allocate N bytes for shape (...)" on failure.
  static std::shared_ptr<Buffer> allocate(int64_t nbytes, const Shape& forShape);
  /// Same, with the element type named in the error message (NumPy's wording:
  /// "cannot allocate 8.00 PiB for an array with shape (...) and data type float64").
  static std::shared_ptr<Buffer> allocate(int64_t nbytes, const Shape& forShape, DType dtype);
  /// Same, all bytes zero. Large buffers are fresh anonymous mappings: the
  /// system's zero pages, made resident only when touched (NumPy's calloc),
  /// so np.zeros of gigabytes costs nothing until it is written.
  static std::shared_ptr<Buffer> allocateZeroed(int64_t nbytes, const Shape& forShape, DType dtype);
  /// Wraps memory owned by someone else (embedding, zero-copy); not freed.
  static std::shared_ptr<Buffer> borrow(void* data, int64_t nbytes);
  /// Hands a borrowed buffer the ownership of its memory: `release` runs once,
  /// when the last Array referring to the buffer goes away (a file mapping's
  /// msync and munmap). Call it right after borrow(), before the buffer is
  /// shared; it must not throw. The memory stays outside the allocation budget.
  void setRelease(std::function<void()> release);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  char* data() const { return data_; }
  int64_t nbytes() const { return nbytes_; }
  /// Memory adopted with setRelease (a file mapping). Two such buffers may
  /// show the same bytes (two mappings of one file), so a write into one
  /// must be treated as a write into every one.
  bool adopted() const { return bool(release_); }
  /// Memory this buffer allocated (not borrowed from the host).
  bool owned() const { return owned_; }

private:
  Buffer(char* data, int64_t nbytes, bool owned, bool mapped = false, size_t capacity = 0,
         size_t head = 0)
      : data_(data), nbytes_(nbytes), owned_(owned), mapped_(mapped), capacity_(capacity),
        head_(head) {}
  char* data_;
  int64_t nbytes_;
  bool owned_;
  bool mapped_;     // owned memory from mmap (freed with munmap), else from aligned_alloc
  size_t capacity_; // owned memory: the block's real size (a reused block may be larger)
  size_t head_;     // mapped memory: bytes of the mapping before data_
  std::function<void()> release_; // set for adopted memory (see setRelease)
};

/// A value of one element: what a 0-d array or a reduction yields.
struct Scalar {
  DType dtype = DType::Float64;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;

  static Scalar ofBool(bool v) { return {DType::Bool, v, v, double(v)}; }
  static Scalar ofInt(int64_t v, DType t = DType::Int64) { return {t, v != 0, v, double(v)}; }
  static Scalar ofFloat(double v, DType t = DType::Float64);
  /// Converts with NumPy's casting semantics (float->int truncates; NaN ->
  /// INT_MIN like NumPy on x86; float64->float32 rounds).
  Scalar castTo(DType t) const;
};

/// Memory budget: an allocation that would take the bytes held by live owned
/// buffers past this limit fails with RuntimeError(Memory) instead of asking
/// the system (default: physical RAM). Pass <= 0 to restore the default.
/// Independently of the limit, an allocation of kCheckAvailableFrom bytes or
/// more must fit in the memory the system has available now (MemAvailable
/// in /proc/meminfo) less kAvailableMargin, so a size just under physical
/// RAM on a loaded machine is a memory error instead of the OOM killer.
void setAllocationLimit(int64_t bytes);
int64_t allocationLimit();
constexpr int64_t kCheckAvailableFrom = int64_t(64) << 20;
constexpr int64_t kAvailableMargin = int64_t(128) << 20;
/// MemAvailable in bytes (INT64_MAX when the system does not say), or the
/// override.
int64_t availableMemory();
/// Tests: makes availableMemory() answer `bytes`; pass < 0 to read the
/// system again.
void setAvailableMemoryOverride(int64_t bytes);
/// The MemAvailable line of a /proc/meminfo text, in bytes; -1 if absent.
int64_t parseMemAvailable(const std::string& meminfo);
/// Bytes currently held by live owned buffers.
int64_t allocatedBytes();
/// NumPy's human-readable size ("8.00 PiB", "100. KiB", "5 bytes").
std::string formatByteSize(int64_t bytes);

/// Product of a shape, or RuntimeError(Value) "array is too big" on overflow.
/// Also rejects negative dims and more than kMaxDims dims.
int64_t checkedSize(const Shape& shape);
/// checkedSize that also checks that size * itemSize fits (NumPy checks the
/// product of the non-zero dims times the itemsize, so (0, 2**62) with 8-byte
/// items is "too big" as well).
int64_t checkedSize(const Shape& shape, int64_t itemSize);
/// "(3, 4)" / "(5,)" / "()", as NumPy prints shapes.
std::string formatShape(const Shape& shape);
/// "(3,4)" / "(5,)" / "()", as NumPy prints shapes inside error messages.
std::string formatShapeCompact(const Shape& shape);
/// C-order strides for a shape.
Strides contiguousStrides(const Shape& shape, int64_t itemSize);

class Array {
public:
  Array() = default; // a null array; valid() is false

  /// Uninitialized C-contiguous array. Checks the size before allocating.
  static Array empty(const Shape& shape, DType dtype);
  /// Uninitialized Fortran-contiguous array that owns its memory (no base),
  /// as NumPy's asfortranarray copies and Fortran-order .npy files are.
  static Array emptyFortran(const Shape& shape, DType dtype);
  /// Uninitialized dense array that owns its memory with its axes laid out in
  /// this order, fastest first (NumPy's order='K' results; see MemoryOrder.h).
  static Array emptyInAxisOrder(const Shape& shape, DType dtype,
                                const std::vector<int>& fastestFirst);
  static Array zeros(const Shape& shape, DType dtype);
  static Array ones(const Shape& shape, DType dtype);
  static Array full(const Shape& shape, Scalar value, DType dtype);
  /// A 0-d array holding one value.
  static Array scalar(Scalar value);
  /// View onto memory owned by the caller (zero-copy embedding). Bounds are
  /// checked against nbytes.
  static Array borrow(void* data, int64_t nbytes, const Shape& shape, const Strides& strides,
                      DType dtype);
  /// View onto caller memory given as the address of element [0, ..., 0]
  /// and byte strides of any sign (a NumPy array's data pointer): borrows
  /// exactly the bytes the view reaches.
  static Array borrowView(void* first, const Shape& shape, const Strides& strides, DType dtype);

  bool valid() const { return buffer_ != nullptr; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  int ndim() const { return int(shape_.size()); }
  int64_t size() const;
  int64_t itemsize() const { return itemSize(dtype_); }
  int64_t nbytes() const { return size() * itemsize(); }
  int64_t offset() const { return offset_; } // bytes from the buffer start
  char* data() const { return buffer_->data() + offset_; }
  const std::shared_ptr<Buffer>& buffer() const { return buffer_; }
  bool writeable() const { return writeable_; }

  /// True when this array was derived from another one (NumPy: base is not None).
  bool isView() const { return base_ != nullptr; }
  /// The array that owns the memory (NumPy collapses chains of views to the
  /// owner); a null Array for an owner.
  Array base() const;
  bool isCContiguous() const;
  bool isFContiguous() const;
  /// True when both arrays may touch a common byte.
  bool mayShareMemory(const Array& other) const;

  // ---- views (no copy) ----
  /// General view with bounds checks; the result's base is this array's base.
  /// offsetBytes counts from the buffer start, like offset(). Every reachable
  /// byte must lie in the buffer (RuntimeError(Value) otherwise). A view whose
  /// elements may overlap (a zero stride, or windows) is read-only.
  Array view(const Shape& shape, const Strides& strides, int64_t offsetBytes) const;
  /// Python slice on one axis; start/stop/step already normalised by
  /// normalizeSlice (step != 0).
  Array sliceAxis(int axis, int64_t start, int64_t step, int64_t count) const;
  /// a[..., i, ...] on one axis: removes it. i must be in range (see normalizeIndex).
  Array indexAxis(int axis, int64_t i) const;
  /// Inserts a length-1 axis (None / newaxis) at position axis.
  Array insertAxis(int axis) const;
  Array transpose() const; // reverses the axes
  Array transpose(const std::vector<int>& perm) const;
  /// Read-only view with stride 0 on broadcast axes. Shape must be compatible.
  Array broadcastTo(const Shape& shape) const;
  /// View if the strides allow it, else nullopt-like null Array.
  Array reshapeView(const Shape& shape) const;
  Array readOnly() const;
  /// This array (same memory and base, not a view of it) with its WRITEABLE
  /// flag set: `a.flags.writeable = False`. Setting true is for arrays that
  /// were writeable before (the caller checks).
  Array withWriteable(bool writeable) const;

  // ---- copies ----
  /// C-contiguous copy (NumPy's .copy()).
  Array copy() const;
  /// Converted copy with NumPy's casting semantics.
  Array astype(DType dtype) const;
  /// reshapeView when possible, else a copy; throws on size mismatch.
  Array reshape(const Shape& shape) const;
  /// Copies src (broadcast to this shape, cast to this dtype) into this array,
  /// handling overlap between src and this.
  void assign(const Array& src);

  // ---- elements ----
  /// Element at a multi-index (must be in range).
  Scalar at(const std::vector<int64_t>& index) const;
  Scalar item() const; // size must be 1
  void setAt(const std::vector<int64_t>& index, Scalar value);

private:
  /// A view of the same buffer with new metadata (no bounds check: callers
  /// derive it from in-bounds metadata). Records the owner as base.
  Array derive(Shape shape, Strides strides, int64_t offset) const;

  std::shared_ptr<Buffer> buffer_;
  std::shared_ptr<const Array> base_; // the owning array, for views
  int64_t offset_ = 0;
  Shape shape_;
  Strides strides_;
  DType dtype_ = DType::Float64;
  bool writeable_ = true;
};

/// Python's slice.indices() with overflow-safe arithmetic: clamps start/stop
/// to the axis and returns the element count. A missing bound is nullopt.
struct SliceBounds {
  int64_t start, step, count;
};
SliceBounds normalizeSlice(std::optional<int64_t> start, std::optional<int64_t> stop,
                           std::optional<int64_t> step, int64_t length);
/// Normalises a (possibly negative) index or throws RuntimeError(Index)
/// "index 5 is out of bounds for axis 0 with size 2". Safe at INT64_MIN.
int64_t normalizeIndex(int64_t index, int axis, int64_t length);

/// Normalises a possibly negative axis or throws RuntimeError(Value)
/// "axis 2 is out of bounds for array of dimension 2" (NumPy's AxisError).
int normalizeAxis(int64_t axis, int ndim);

/// Converts a Python scalar stored into an array element (a[i] = v) like
/// NumPy's __setitem__: NaN or infinity into an integer array is an error
/// ("cannot convert float NaN to integer"), a float beyond int64 too; a float
/// into int32 truncates and wraps; an int must fit the target; otherwise
/// Scalar::castTo.
Scalar castForSetItem(const Scalar& value, DType dtype);

/// NumPy's broadcast of two shapes, or RuntimeError(Shape) "operands could not
/// be broadcast together with shapes (3,4) (5,)".
Shape broadcastShapes(const Shape& a, const Shape& b);

} // namespace ravel
