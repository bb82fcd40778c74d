// Kernel: one fused loop, as the fusion stage hands it to codegen. A kernel is
// a straight-line program of scalar operations evaluated once per element of
// the iteration space, reading its inputs through the strided-loop ABI
// (runtime/StridedLoop.h) and either storing one output element or folding
// the value into a reduction.
//
// Invariants (checked by verify(const Kernel&)):
//  - instructions are in dependency order; args refer to earlier instructions;
//  - every Load names an input in [0, inputs.size());
//  - each instruction's dtype is the dtype NumPy gives that operation, and
//    operands already have the dtype the operation computes in (Cast nodes
//    are explicit);
//  - the result instruction has dtype `resultDType` (before the reduction).
#pragma once

#include "compiler/diag/Source.h"
#include "runtime/DType.h"
#include "runtime/StridedLoop.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ravel::fusion {

enum class KOp : uint8_t {
  Load,  // input element: input index in `input`
  Const, // literal: `constant` (use the field matching dtype)
  Cast,  // NumPy astype semantics from args[0]'s dtype to dtype
  // binary arithmetic, operands and result share dtype (except comparisons)
  Add,
  Sub,
  Mul,
  Div,
  FloorDiv,
  Mod,
  Pow,
  Minimum,
  Maximum,
  BitAnd,
  BitOr,
  BitXor,
  // comparisons: operands share a dtype, result is Bool
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  // unary
  Neg,
  Invert,
  Abs,
  Sqrt,
  Exp,
  Log,
  Sin,
  Cos,
  Tanh,
  // where(cond: Bool, a, b)
  Where,
  // --- added by codegen (append-only; NumPy ufunc semantics) ---
  // unary, float -> same float dtype
  Floor,
  Ceil,
  Trunc,
  Rint,
  Tan,
  Arcsin,
  Arccos,
  Arctan,
  Sinh,
  Cosh,
  Exp2,
  Expm1,
  Log2,
  Log10,
  Log1p,
  Cbrt,
  // unary sign: -1/0/+1 (NaN stays NaN; sign(-0.) is +0.), ints and floats
  Sign,
  // float -> Bool
  IsNan,
  IsInf,
  IsFinite,
  // binary float: arctan2(y, x), hypot, and NaN-ignoring fmin/fmax
  Arctan2,
  Hypot,
  FMin,
  FMax,
  // binary float: copysign(x, y)
  Copysign,
  // C fmod (sign of the dividend); ints: x fmod 0 and INT_MIN fmod -1 are 0
  Fmod,
  // unary, result has the operand dtype: x*x, and 1/x (ints: truncated, 1/0
  // is INT_MIN)
  Square,
  Reciprocal,
  // ints: shifts by a count outside [0, bits) give 0 (Shr of a negative: -1)
  Shl,
  Shr,
  // unary float (SLEEF u10)
  Arcsinh,
  Arccosh,
  Arctanh,
  // float -> Bool: the sign bit (set for -0.0 and a negative NaN)
  Signbit,
  // binary float: heaviside(x, h0) (NaN, h0 at 0, else 0 or 1)
  Heaviside,
  // ints: npy_gcd / npy_lcm over the magnitudes as unsigned values
  Gcd,
  Lcm,
  // float: the neighbouring float toward y; spacing(x) (unary)
  Nextafter,
  Spacing,
  // x (float) * 2**n (Int64): args differ in dtype, result x's dtype
  Ldexp,
  // unary float: modf's fractional part; frexp's mantissa, and its exponent
  // (result Int32)
  ModfFrac,
  FrexpMantissa,
  FrexpExponent,
  // binary float: npy_logaddexp, npy_logaddexp2
  LogAddExp,
  LogAddExp2,
  // unary float: x * (pi / 180), x * (180 / pi)
  Deg2Rad,
  Rad2Deg,
  // FloorDiv and Mod as divmod's results (their warnings name "divmod")
  DivmodFloor,
  DivmodRem,
  // binary float64: C pow, no fast paths for constant exponents
  FloatPower,
};

/// The last KOp (the enum is append-only): every op is in [0, kLastKOp].
constexpr KOp kLastKOp = KOp::FloatPower;

/// NumPy's ufunc name where there is one; unique per op (cache keys use it).
const char* kopName(KOp op);

struct KConst {
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
};

struct KInstr {
  KOp op;
  DType dtype; // result dtype
  int args[3] = {-1, -1, -1};
  int input = -1;  // for Load
  KConst constant; // for Const
};

enum class ReduceKind : uint8_t { None, Sum, Prod, Min, Max };

/// "sum", "prod", "min", "max" ("none" for elementwise kernels).
const char* reduceName(ReduceKind r);

struct Kernel {
  std::string name;                 // "k0", "k1", ... stable within a program
  std::vector<DType> inputs;        // dtype of each input operand
  std::vector<InnerLayout> layouts; // inner layout of each operand: inputs, then output if any
  std::vector<KInstr> body;
  int result = -1; // instruction whose value is stored / reduced
  DType resultDType = DType::Float64;
  ReduceKind reduce = ReduceKind::None;
  /// Accumulator dtype for reductions (NumPy: int32/bool sums in int64).
  DType accumDType = DType::Float64;
  /// Float Sum: fold the row serially (acc += a[i], in order) instead of
  /// NumPy's chunked pairwise sum. NumPy adds element by element when the
  /// reduced axis is not the inner loop of its iteration (e.g. axis=0 of a
  /// C-contiguous matrix: out += row, row after row). Float Min/Max: the
  /// serial chain with NumPy's binary-loop rule (a -0.0/+0.0 tie takes the
  /// later element) instead of llvm.minimum/maximum.
  bool sequential = false;
  /// Reductions only: an "accumulate rows" kernel. It has one more operand
  /// after the inputs, the accumulator array (accumDType), and is elementwise
  /// over it: acc[j] = acc[j] (op) element(j) for each j of its row, storing
  /// back. The caller runs it once per reduced index, in order, over the kept
  /// axes: a reduced axis that is not the inner memory axis then streams in
  /// memory order and vectorizes over the kept axis. Each output's fold is
  /// the serial chain from the first reduced index to the last (NumPy's
  /// order for such an axis). `state` carries only errorFlags.
  bool accumulateRows = false;
  /// Report NumPy's floating-point warnings exactly, per instruction
  /// (FpChecks.h), instead of the fast probe. An exact kernel of an
  /// elementwise launch may have no output operand (layouts for the inputs
  /// only): it then computes the flags alone and stores nothing.
  bool fpExact = false;
  /// Elementwise kernels with a contiguous output much larger than the cache
  /// (set at launch): the output's vector stores are non-temporal, so they do
  /// not first read each line they overwrite (measured here: x + y on 10^7
  /// float64 at 33 GB/s instead of 12-22). The kernel peels elements until
  /// the output is 64-byte aligned, and fences its stores before returning.
  bool streamingStores = false;
  /// Where each instruction's operation was written (parallel to `body`;
  /// may be empty). Not part of the cache key: spans name, they don't compute.
  std::vector<Span> spans;

  /// Structural key for the kernel cache: body, dtypes and layouts, without
  /// the name. Equal keys mean the same machine code.
  std::string cacheKey() const;
};

/// The same computation for operands of any layout: every operand Strided
/// (a contiguous or broadcast operand is a stride like any other) and plain
/// stores. An ahead-of-time artefact carries this variant of each kernel for
/// the layouts its compile-time run did not see.
Kernel anyLayoutVariant(const Kernel& kernel);

/// The InnerLoopFn `state` argument of every kernel. For reductions the
/// accumulator is combined with the row. Integer and bool accumulators of
/// every reduce kind live in `i` as an int64 (an int32 min/max as its
/// sign-extended value, a bool min/max as 0/1); float64 in `f64`, float32 in
/// `f32`. For reductions the body's result instruction already has
/// accumDType (fusion inserts the Cast). A Cast to the same dtype is a copy.
/// Sum/Prod add (multiply) the row's
/// partial into it, Min/Max combine with NaN propagation. The caller sets it
/// to the identity (Min/Max: the first element) before the first row.
/// Bool and integer accumulators of every kind (an int32 Max, too) live in `i`,
/// sign-extended (bool: 0/1); float32 in `f32`, float64 in `f64`.
struct KernelState {
  union {
    int64_t i;
    double f64;
    float f32;
  } acc;
  /// Bits the kernel ORs in (never clears); kernels that cannot fail do not
  /// touch the field, and a null state is allowed for those.
  ///   bit 0 (kErrorNegativePower): integer power with a negative exponent;
  ///   bit 1 (kErrorInvalidCast): float -> int cast of NaN, inf or an
  ///          out-of-range value (NumPy's "invalid value encountered in cast");
  ///   bits 2 and up: floating-point warnings (FpChecks.h).
  int64_t errorFlags;
};

constexpr int64_t kErrorNegativePower = 1;
constexpr int64_t kErrorInvalidCast = 2;

} // namespace ravel::fusion
