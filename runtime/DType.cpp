// DType: names, parsing and NumPy's promotion tables (result_type, NEP 50
// weak scalars, 'same_kind' casting), checked against NumPy 1.24 in
// tests/unit/runtime/DTypeTest.cpp.
#include "runtime/DType.h"

#include <array>
#include <string>

namespace ravel {

namespace {

constexpr DType B = DType::Bool, I4 = DType::Int32, I8 = DType::Int64, F4 = DType::Float32,
                F8 = DType::Float64;

// kPromote[a][b] == np.result_type(a, b), indexed by the DType enum order.
constexpr std::array<std::array<DType, kNumDTypes>, kNumDTypes> kPromote = {{
    //  bool int32 int64 float32 float64
    {B, I4, I8, F4, F8},  // bool
    {I4, I4, I8, F8, F8}, // int32
    {I8, I8, I8, F8, F8}, // int64
    {F4, F8, F8, F4, F8}, // float32
    {F8, F8, F8, F8, F8}, // float64
}};

int kindRank(DType t) {
  return t == DType::Bool ? 0 : isInteger(t) ? 1 : 2;
}

} // namespace

std::string_view dtypeName(DType t) {
  switch (t) {
    case DType::Bool:
      return "bool";
    case DType::Int32:
      return "int32";
    case DType::Int64:
      return "int64";
    case DType::Float32:
      return "float32";
    case DType::Float64:
      return "float64";
  }
  return "?";
}

std::optional<DType> parseDType(std::string_view name) {
  for (std::string_view prefix : {"np.", "numpy."}) {
    if (name.substr(0, prefix.size()) == prefix) {
      name.remove_prefix(prefix.size());
      break;
    }
  }
  // Byte-order marks are only meaningful for native order here.
  if (name.size() > 1 && (name[0] == '<' || name[0] == '=' || name[0] == '|'))
    name.remove_prefix(1);
  struct Entry {
    std::string_view name;
    DType type;
  };
  static constexpr Entry kNames[] = {
      {"bool", B},     {"bool_", B},  {"?", B},        {"b1", B},   {"int32", I4},
      {"i4", I4},      {"intc", I4},  {"int64", I8},   {"int", I8}, {"int_", I8},
      {"i8", I8},      {"intp", I8},  {"float32", F4}, {"f4", F4},  {"single", F4},
      {"float64", F8}, {"float", F8}, {"float_", F8},  {"f8", F8},  {"double", F8},
  };
  for (const Entry& e : kNames)
    if (e.name == name) return e.type;
  return std::nullopt;
}

DType promote(DType a, DType b) {
  return kPromote[size_t(a)][size_t(b)];
}

DType promoteWeak(DType array, ScalarKind scalar) {
  // NEP 50: a weak scalar of a kind no higher than the array's keeps the
  // array's dtype; a higher kind takes that kind's default dtype.
  int scalarRank = scalar == ScalarKind::Bool ? 0 : scalar == ScalarKind::Int ? 1 : 2;
  if (scalarRank <= kindRank(array)) return array;
  return defaultDType(scalar);
}

DType defaultDType(ScalarKind k) {
  switch (k) {
    case ScalarKind::Bool:
      return DType::Bool;
    case ScalarKind::Int:
      return DType::Int64;
    case ScalarKind::Float:
      return DType::Float64;
  }
  return DType::Float64;
}

bool canCastSameKind(DType from, DType to) {
  return kindRank(from) <= kindRank(to);
}

bool canCastSafe(DType from, DType to) {
  if (from == to || from == DType::Bool) return true;
  switch (from) {
    case DType::Int32:
      return to == DType::Int64 || to == DType::Float64;
    case DType::Int64:
      return to == DType::Float64;
    case DType::Float32:
      return to == DType::Float64;
    default:
      return false;
  }
}

} // namespace ravel
