// ravel::Value: what ravel code hands back to the host: an array, a Python
// scalar (bool, int, float, str), a tuple of values, or None.
#pragma once

#include "ravel/Array.h"

#include <string>
#include <vector>

namespace ravel {
inline namespace embed {

class Value {
public:
  enum class Kind { None, Bool, Int, Float, Str, Tuple, Array };

  Value() = default; // None
  Value(bool b) : kind_(Kind::Bool), int_(b) {}
  Value(int i) : kind_(Kind::Int), int_(i) {}
  Value(int64_t i) : kind_(Kind::Int), int_(i) {}
  Value(double f) : kind_(Kind::Float), float_(f) {}
  Value(std::string s) : kind_(Kind::Str), str_(std::move(s)) {}
  Value(const char* s) : Value(std::string(s)) {}
  Value(ravel::embed::Array a) : kind_(Kind::Array), array_(std::move(a)) {}
  static Value tuple(std::vector<Value> items) {
    Value v;
    v.kind_ = Kind::Tuple;
    v.items_ = std::move(items);
    return v;
  }

  Kind kind() const { return kind_; }
  bool isNone() const { return kind_ == Kind::None; }
  bool isArray() const { return kind_ == Kind::Array; }
  bool isTuple() const { return kind_ == Kind::Tuple; }

  /// The array; throws a type Error for any other kind.
  const ravel::embed::Array& array() const;
  /// A number: a Python bool/int/float, or a one-element array (a NumPy
  /// scalar such as `x.sum()`). Throws a type Error otherwise.
  double toDouble() const;
  int64_t toInt() const;
  bool toBool() const;
  const std::string& str() const;
  const std::vector<Value>& items() const;

private:
  Kind kind_ = Kind::None;
  int64_t int_ = 0;
  double float_ = 0;
  std::string str_;
  std::vector<Value> items_;
  ravel::embed::Array array_;
};

} // namespace embed
} // namespace ravel
