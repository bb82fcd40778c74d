// ravel::Array: an n-dimensional array for the embedding API. Either a view
// of host memory (wrap: zero-copy, the host keeps the memory alive for as
// long as any Array or engine value uses it) or memory ravel owns (zeros,
// results). Copying an Array copies a reference, never the elements.
#pragma once

#include "ravel/Error.h"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

namespace ravel {
inline namespace embed {

enum class DType { Bool, Int32, Int64, Float32, Float64 };

/// The DType of a C++ element type; only the five ravel element types.
template <class T> constexpr DType dtypeOf() {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<U, bool>)
    return DType::Bool;
  else if constexpr (std::is_same_v<U, int32_t>)
    return DType::Int32;
  else if constexpr (std::is_same_v<U, int64_t>)
    return DType::Int64;
  else if constexpr (std::is_same_v<U, float>)
    return DType::Float32;
  else {
    static_assert(std::is_same_v<U, double>,
                  "ravel arrays hold bool, int32_t, int64_t, float or double");
    return DType::Float64;
  }
}

const char* dtypeName(DType t);

class Array {
public:
  /// An empty handle (no array); most accessors throw on it.
  Array();

  /// Wraps host memory without copying. `byteStrides` empty means C order.
  /// A pointer to const makes a read-only array (a write to it is an error).
  template <class T>
  static Array wrap(T* data, std::vector<int64_t> shape, std::vector<int64_t> byteStrides = {}) {
    return wrapMemory(const_cast<std::remove_const_t<T>*>(data), dtypeOf<T>(), !std::is_const_v<T>,
                      std::move(shape), std::move(byteStrides));
  }
  /// A 1-D view of a vector's elements (read-only for a const vector).
  template <class T> static Array wrap(std::vector<T>& v) {
    return wrap(v.data(), {int64_t(v.size())});
  }
  template <class T> static Array wrap(const std::vector<T>& v) {
    return wrap(v.data(), {int64_t(v.size())});
  }
  template <class T, size_t N> static Array wrap(std::span<T, N> s) {
    return wrap(s.data(), {int64_t(s.size())});
  }

  /// Arrays ravel owns (C order).
  static Array zeros(std::vector<int64_t> shape, DType dtype);
  static Array empty(std::vector<int64_t> shape, DType dtype);

  explicit operator bool() const { return impl_ != nullptr; }
  DType dtype() const;
  int ndim() const;
  std::vector<int64_t> shape() const;
  /// Byte strides, as NumPy's.
  std::vector<int64_t> strides() const;
  int64_t size() const;
  /// True for wrapped host memory and for views of another array's memory.
  bool isView() const;
  bool writable() const;
  bool isCContiguous() const;

  /// The first element's address, without a copy. T must match dtype().
  template <class T> T* data() const { return static_cast<T*>(dataFor(dtypeOf<T>())); }
  /// One element by index (negative counts from the end), as a T; T must
  /// match dtype().
  template <class T> T at(std::initializer_list<int64_t> index) const {
    return *static_cast<const T*>(elementFor(dtypeOf<T>(), index));
  }
  template <class T> void set(std::initializer_list<int64_t> index, T value) {
    *static_cast<T*>(elementFor(dtypeOf<T>(), index, true)) = value;
  }

  struct Impl; // the library's side
  explicit Array(std::shared_ptr<Impl> impl);
  const std::shared_ptr<Impl>& impl() const { return impl_; }

private:
  static Array wrapMemory(void* data, DType dtype, bool writable, std::vector<int64_t> shape,
                          std::vector<int64_t> byteStrides);
  void* dataFor(DType expected) const;
  void* elementFor(DType expected, std::initializer_list<int64_t> index,
                   bool forWrite = false) const;

  std::shared_ptr<Impl> impl_;
};

} // namespace embed
} // namespace ravel
