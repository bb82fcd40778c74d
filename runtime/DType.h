// DType: the five element types ravel supports, with NumPy's names, sizes and
// promotion lattice. Pure data; no allocation, no LLVM.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ravel {

enum class DType : uint8_t { Bool, Int32, Int64, Float32, Float64 };

constexpr int kNumDTypes = 5;

/// Size in bytes of one element.
constexpr int64_t itemSize(DType t) {
  switch (t) {
    case DType::Bool:
      return 1;
    case DType::Int32:
      return 4;
    case DType::Int64:
      return 8;
    case DType::Float32:
      return 4;
    case DType::Float64:
      return 8;
  }
  return 0;
}

/// NumPy's name: "bool", "int32", "int64", "float32", "float64".
std::string_view dtypeName(DType t);
/// Parses a NumPy dtype name (also "float", "int", "bool_", "f8", "i4", ...).
std::optional<DType> parseDType(std::string_view name);

constexpr bool isFloat(DType t) {
  return t == DType::Float32 || t == DType::Float64;
}
constexpr bool isInteger(DType t) {
  return t == DType::Int32 || t == DType::Int64;
}

/// NumPy's result_type for two array dtypes (no value-based casting):
/// bool < int32 < int64 < float64, float32 < float64, int32+float32 -> float64,
/// int64+float32 -> float64.
DType promote(DType a, DType b);

/// Python scalar "kinds" under NEP 50: a Python int/float/bool literal is weak
/// and adopts the array's dtype when the kinds allow it.
enum class ScalarKind : uint8_t { Bool, Int, Float };

/// NEP 50 promotion of an array dtype with a weak Python scalar.
DType promoteWeak(DType array, ScalarKind scalar);

/// The dtype a Python scalar of this kind gets when it stands alone (NumPy's
/// default: bool, int64, float64).
DType defaultDType(ScalarKind k);

/// NumPy's 'same_kind' casting rule, used by in-place operators.
bool canCastSameKind(DType from, DType to);
/// NumPy's 'safe' casting rule: no value can change (bool casts to
/// anything; int64 to float64 counts as safe, as in NumPy).
bool canCastSafe(DType from, DType to);

} // namespace ravel
