// ravel::Array and ravel::Value of the public API: thin handles over the
// runtime's Array and plain host values.
#include "compiler/api/Internal.h"

namespace ravel {
inline namespace embed {

// The runtime's names are string literals, so data() is null-terminated.
const char* dtypeName(DType t) {
  return ::ravel::dtypeName(api::toInternal(t)).data();
}

Array::Array() = default;
Array::Array(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

namespace {

const api::RtArray& checked(const std::shared_ptr<Array::Impl>& impl) {
  if (!impl) api::throwError(ErrorKind::Value, "empty ravel::Array (no array bound to it)");
  return impl->array;
}

api::Shape toShape(const std::vector<int64_t>& v) {
  return api::Shape(v.begin(), v.end());
}

} // namespace

Array Array::wrapMemory(void* data, DType dtype, bool writable, std::vector<int64_t> shape,
                        std::vector<int64_t> byteStrides) {
  return api::guarded(nullptr, [&] {
    const api::RtDType t = api::toInternal(dtype);
    const int64_t item = itemSize(t);
    api::Shape s = toShape(shape);
    for (int64_t d : s)
      if (d < 0) api::throwError(ErrorKind::Value, "negative dimensions are not allowed");
    api::Strides byteSteps = byteStrides.empty()
                                 ? contiguousStrides(s, item)
                                 : api::Strides(byteStrides.begin(), byteStrides.end());
    if (byteSteps.size() != s.size())
      api::throwError(ErrorKind::Value, "shape and strides must have the same length");
    bool empty = false;
    for (int64_t d : s) empty |= d == 0;
    if (data == nullptr && !empty) api::throwError(ErrorKind::Value, "wrap() of a null pointer");
    api::RtArray a = api::RtArray::borrowView(data, s, byteSteps, t);
    if (!writable) a = a.withWriteable(false);
    return api::toPublic(std::move(a), true);
  });
}

Array Array::zeros(std::vector<int64_t> shape, DType dtype) {
  return api::guarded(nullptr, [&] {
    return api::toPublic(api::RtArray::zeros(toShape(shape), api::toInternal(dtype)));
  });
}

Array Array::empty(std::vector<int64_t> shape, DType dtype) {
  return api::guarded(nullptr, [&] {
    return api::toPublic(api::RtArray::empty(toShape(shape), api::toInternal(dtype)));
  });
}

DType Array::dtype() const {
  return api::toPublic(checked(impl_).dtype());
}
int Array::ndim() const {
  return checked(impl_).ndim();
}
std::vector<int64_t> Array::shape() const {
  return checked(impl_).shape();
}
std::vector<int64_t> Array::strides() const {
  return checked(impl_).strides();
}
int64_t Array::size() const {
  return checked(impl_).size();
}
bool Array::isView() const {
  return checked(impl_).isView() || impl_->hostMemory;
}
bool Array::writable() const {
  return checked(impl_).writeable();
}
bool Array::isCContiguous() const {
  return checked(impl_).isCContiguous();
}

void* Array::dataFor(DType expected) const {
  const api::RtArray& a = checked(impl_);
  if (api::toPublic(a.dtype()) != expected)
    api::throwError(ErrorKind::Type, std::string("data<") + dtypeName(expected) +
                                         ">() of an array of dtype " + dtypeName(dtype()));
  return a.data();
}

void* Array::elementFor(DType expected, std::initializer_list<int64_t> index, bool forWrite) const {
  const api::RtArray& a = checked(impl_);
  char* p = static_cast<char*>(dataFor(expected));
  if (forWrite && !a.writeable())
    api::throwError(ErrorKind::Value, "assignment destination is read-only");
  if (int64_t(index.size()) != a.ndim())
    api::throwError(ErrorKind::Index, "an index of " + std::to_string(index.size()) +
                                          " integers for an array of " + std::to_string(a.ndim()) +
                                          " dimensions");
  size_t axis = 0;
  for (int64_t i : index) {
    const int64_t n = a.shape()[axis];
    if (i < -n || i >= n)
      api::throwError(ErrorKind::Index, "index " + std::to_string(i) +
                                            " is out of bounds for axis " + std::to_string(axis) +
                                            " with size " + std::to_string(n));
    p += (i < 0 ? i + n : i) * a.strides()[axis];
    ++axis;
  }
  return p;
}

// --- Value ---

const Array& Value::array() const {
  if (kind_ != Kind::Array) api::throwError(ErrorKind::Type, "the value is not an array");
  return array_;
}

double Value::toDouble() const {
  switch (kind_) {
    case Kind::Bool:
    case Kind::Int:
      return double(int_);
    case Kind::Float:
      return float_;
    case Kind::Array: {
      const api::RtArray& a = checked(array_.impl());
      if (a.size() == 1) return a.item().f;
      break;
    }
    default:
      break;
  }
  api::throwError(ErrorKind::Type, "the value is not a number");
}

int64_t Value::toInt() const {
  if (kind_ == Kind::Bool || kind_ == Kind::Int) return int_;
  if (kind_ == Kind::Array) {
    const api::RtArray& a = checked(array_.impl());
    if (a.size() == 1 && a.dtype() != api::RtDType::Float32 && a.dtype() != api::RtDType::Float64)
      return a.item().i;
  }
  api::throwError(ErrorKind::Type, "the value is not an integer");
}

bool Value::toBool() const {
  if (kind_ == Kind::Bool) return int_ != 0;
  if (kind_ == Kind::Array && checked(array_.impl()).dtype() == api::RtDType::Bool &&
      array_.size() == 1)
    return checked(array_.impl()).item().b;
  api::throwError(ErrorKind::Type, "the value is not a bool");
}

const std::string& Value::str() const {
  if (kind_ != Kind::Str) api::throwError(ErrorKind::Type, "the value is not a string");
  return str_;
}

const std::vector<Value>& Value::items() const {
  if (kind_ != Kind::Tuple) api::throwError(ErrorKind::Type, "the value is not a tuple");
  return items_;
}

} // namespace embed
} // namespace ravel
