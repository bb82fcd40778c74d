// NumPy's typing rules for every graph op, in one place. Both the lazy graph
// builder and the static checker ask these functions, so a rule is written
// once. Violations throw RuntimeError with NumPy's wording; callers attach
// the source span.
#pragma once

#include "compiler/graph/Graph.h"
#include "runtime/DType.h"

#include <optional>

namespace ravel::sema {

/// An operand of an elementwise op: an array (strong dtype) or a Python
/// scalar (weak under NEP 50, with its kind).
struct Operand {
  DType dtype;
  bool weak = false;
  ScalarKind kind = ScalarKind::Float; // meaningful when weak
};

/// How an op computes: operands are cast to `compute`, the op yields `result`.
struct OpTyping {
  DType compute;
  DType result;
  /// The second operand's compute dtype when it differs (ldexp's int64
  /// exponent); unset means `compute`.
  std::optional<DType> secondCompute = std::nullopt;
};

/// NEP 50: the dtype two operands are promoted to.
DType promoteOperands(const Operand& a, const Operand& b);

OpTyping typeBinary(graph::Op op, const Operand& a, const Operand& b);
OpTyping typeUnary(graph::Op op, const Operand& a);

/// Sum/Prod accumulate bool and int32 in int64 (NumPy's default integer);
/// Min/Max keep the dtype.
DType reduceDType(graph::Op op, DType in);
/// mean: ints and bools give float64, floats keep their dtype.
DType meanDType(DType in);

/// Checks that a Python int fits the dtype it is used with under NEP 50:
/// "Python integer 1099511627776 out of bounds for int32".
void checkWeakIntFits(int64_t value, DType dtype);

} // namespace ravel::sema
