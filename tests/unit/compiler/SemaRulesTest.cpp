// sema/Rules against NumPy: every binary op over every pair of ravel dtypes,
// array with array and array with a weak Python scalar on either side, and
// every unary op over every dtype. The tables are NumPy 1.24.2's result
// dtypes under NEP 50, printed by the script at the bottom of this file: a
// changed rule must be justified against NumPy, not re-blessed.
//
// ravel has no int8 or float16. Where NumPy answers with one of those (bool
// // bool, sqrt of bool, ...), ravel raises a Type error instead: that is
// the one documented deviation these tests allow.
#include "compiler/sema/Rules.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace ravel::sema {
namespace {

using graph::Op;

constexpr DType kDTypes[kNumDTypes] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32,
                                       DType::Float64};

Operand array(DType t) {
  return {t, false, ScalarKind::Float};
}
Operand weak(ScalarKind k) {
  return {defaultDType(k), true, k};
}

/// The weak Python scalars of the tables' weak columns: True, 2, 2.5.
constexpr ScalarKind kWeakKinds[3] = {ScalarKind::Bool, ScalarKind::Int, ScalarKind::Float};

/// "float64", or "TypeError" when the rule raises a Type error (anything else fails).
std::string binaryResult(Op op, const Operand& a, const Operand& b) {
  try {
    return std::string(dtypeName(typeBinary(op, a, b).result));
  } catch (const RuntimeError& e) {
    return e.kind() == ErrorKind::Type
               ? "TypeError"
               : std::string("error kind ") + errorKindName(e.kind()) + ": " + e.what();
  }
}

std::string unaryResult(Op op, const Operand& a) {
  try {
    return std::string(dtypeName(typeUnary(op, a).result));
  } catch (const RuntimeError& e) {
    return e.kind() == ErrorKind::Type
               ? "TypeError"
               : std::string("error kind ") + errorKindName(e.kind()) + ": " + e.what();
  }
}

/// What ravel must answer where NumPy answers `numpy`.
std::string ravelExpects(const std::string& numpy) {
  return numpy == "int8" || numpy == "float16" ? "TypeError" : numpy;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;)
    if (w != "|") out.push_back(w);
  return out;
}

struct BinaryTable {
  Op op;
  // One row per left array dtype (bool .. float64). Columns: the right
  // array's dtype (bool .. float64) | array op True, 2, 2.5 | True, 2, 2.5 op array.
  const char* rows[kNumDTypes];
};

const BinaryTable kBinary[] = {
    {Op::Add,
     {
         "bool int32 int64 float32 float64 | bool int64 float64 | bool int64 float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::Sub,
     {
         "TypeError int32 int64 float32 float64 | TypeError int64 float64 | TypeError int64 "
         "float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::Mul,
     {
         "bool int32 int64 float32 float64 | bool int64 float64 | bool int64 float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::Div,
     {
         "float64 float64 float64 float32 float64 | float64 float64 float64 | float64 float64 "
         "float64",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::FloorDiv,
     {
         "int8 int32 int64 float32 float64 | int8 int64 float64 | int8 int64 float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::Mod,
     {
         "int8 int32 int64 float32 float64 | int8 int64 float64 | int8 int64 float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::Pow,
     {
         "int8 int32 int64 float32 float64 | int8 int64 float64 | int8 int64 float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::Minimum,
     {
         "bool int32 int64 float32 float64 | bool int64 float64 | bool int64 float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::Maximum,
     {
         "bool int32 int64 float32 float64 | bool int64 float64 | bool int64 float64",
         "int32 int32 int64 float64 float64 | int32 int32 float64 | int32 int32 float64",
         "int64 int64 int64 float64 float64 | int64 int64 float64 | int64 int64 float64",
         "float32 float64 float64 float32 float64 | float32 float32 float32 | float32 float32 "
         "float32",
         "float64 float64 float64 float64 float64 | float64 float64 float64 | float64 float64 "
         "float64",
     }},
    {Op::BitAnd,
     {
         "bool int32 int64 TypeError TypeError | bool int64 TypeError | bool int64 TypeError",
         "int32 int32 int64 TypeError TypeError | int32 int32 TypeError | int32 int32 TypeError",
         "int64 int64 int64 TypeError TypeError | int64 int64 TypeError | int64 int64 TypeError",
         "TypeError TypeError TypeError TypeError TypeError | TypeError TypeError TypeError | "
         "TypeError TypeError TypeError",
         "TypeError TypeError TypeError TypeError TypeError | TypeError TypeError TypeError | "
         "TypeError TypeError TypeError",
     }},
    {Op::BitOr,
     {
         "bool int32 int64 TypeError TypeError | bool int64 TypeError | bool int64 TypeError",
         "int32 int32 int64 TypeError TypeError | int32 int32 TypeError | int32 int32 TypeError",
         "int64 int64 int64 TypeError TypeError | int64 int64 TypeError | int64 int64 TypeError",
         "TypeError TypeError TypeError TypeError TypeError | TypeError TypeError TypeError | "
         "TypeError TypeError TypeError",
         "TypeError TypeError TypeError TypeError TypeError | TypeError TypeError TypeError | "
         "TypeError TypeError TypeError",
     }},
    {Op::BitXor,
     {
         "bool int32 int64 TypeError TypeError | bool int64 TypeError | bool int64 TypeError",
         "int32 int32 int64 TypeError TypeError | int32 int32 TypeError | int32 int32 TypeError",
         "int64 int64 int64 TypeError TypeError | int64 int64 TypeError | int64 int64 TypeError",
         "TypeError TypeError TypeError TypeError TypeError | TypeError TypeError TypeError | "
         "TypeError TypeError TypeError",
         "TypeError TypeError TypeError TypeError TypeError | TypeError TypeError TypeError | "
         "TypeError TypeError TypeError",
     }},
    {Op::Eq,
     {
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
     }},
    {Op::Ne,
     {
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
     }},
    {Op::Lt,
     {
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
     }},
    {Op::Le,
     {
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
     }},
    {Op::Gt,
     {
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
     }},
    {Op::Ge,
     {
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
         "bool bool bool bool bool | bool bool bool | bool bool bool",
     }},
};

struct UnaryTable {
  Op op;
  const char* row; // bool .. float64
};

const UnaryTable kUnary[] = {
    {Op::Neg, "TypeError int32 int64 float32 float64"},
    {Op::Invert, "bool int32 int64 TypeError TypeError"},
    {Op::Abs, "bool int32 int64 float32 float64"},
    {Op::Sqrt, "float16 float64 float64 float32 float64"},
    {Op::Exp, "float16 float64 float64 float32 float64"},
    {Op::Log, "float16 float64 float64 float32 float64"},
    {Op::Sin, "float16 float64 float64 float32 float64"},
    {Op::Cos, "float16 float64 float64 float32 float64"},
    {Op::Tanh, "float16 float64 float64 float32 float64"},
    {Op::Floor, "float16 float64 float64 float32 float64"},
    {Op::Ceil, "float16 float64 float64 float32 float64"},
    {Op::Trunc, "float16 float64 float64 float32 float64"},
    {Op::Rint, "float16 float64 float64 float32 float64"},
    {Op::Log10, "float16 float64 float64 float32 float64"},
    {Op::Log2, "float16 float64 float64 float32 float64"},
    {Op::Log1p, "float16 float64 float64 float32 float64"},
    {Op::Expm1, "float16 float64 float64 float32 float64"},
    {Op::Exp2, "float16 float64 float64 float32 float64"},
    {Op::Arcsin, "float16 float64 float64 float32 float64"},
    {Op::Arccos, "float16 float64 float64 float32 float64"},
    {Op::Arctan, "float16 float64 float64 float32 float64"},
    {Op::Sinh, "float16 float64 float64 float32 float64"},
    {Op::Cosh, "float16 float64 float64 float32 float64"},
    {Op::Tan, "float16 float64 float64 float32 float64"},
    {Op::Sign, "TypeError int32 int64 float32 float64"},
    {Op::Positive, "TypeError int32 int64 float32 float64"},
    {Op::Cbrt, "float16 float64 float64 float32 float64"},
    {Op::Arcsinh, "float16 float64 float64 float32 float64"},
    {Op::Arccosh, "float16 float64 float64 float32 float64"},
    {Op::Arctanh, "float16 float64 float64 float32 float64"},
    {Op::Fabs, "float16 float64 float64 float32 float64"},
    {Op::Signbit, "bool bool bool bool bool"},
    {Op::Square, "int8 int32 int64 float32 float64"},
    {Op::Reciprocal, "int8 int32 int64 float32 float64"},
    {Op::IsNan, "bool bool bool bool bool"},
    {Op::IsInf, "bool bool bool bool bool"},
    {Op::IsFinite, "bool bool bool bool bool"},
    {Op::LogicalNot, "bool bool bool bool bool"},
};

TEST(SemaRules, BinaryResultDTypesMatchNumPy) {
  for (const BinaryTable& t : kBinary) {
    for (int i = 0; i < kNumDTypes; ++i) {
      std::vector<std::string> want = words(t.rows[i]);
      ASSERT_EQ(want.size(), 11u) << graph::opName(t.op) << " row " << i;
      DType a = kDTypes[i];
      for (int j = 0; j < kNumDTypes; ++j)
        EXPECT_EQ(binaryResult(t.op, array(a), array(kDTypes[j])), ravelExpects(want[j]))
            << dtypeName(a) << " " << graph::numpyName(t.op) << " " << dtypeName(kDTypes[j]);
      for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(binaryResult(t.op, array(a), weak(kWeakKinds[k])), ravelExpects(want[5 + k]))
            << dtypeName(a) << " array " << graph::numpyName(t.op) << " weak scalar #" << k;
        EXPECT_EQ(binaryResult(t.op, weak(kWeakKinds[k]), array(a)), ravelExpects(want[8 + k]))
            << "weak scalar #" << k << " " << graph::numpyName(t.op) << " " << dtypeName(a)
            << " array";
      }
    }
  }
}

TEST(SemaRules, UnaryResultDTypesMatchNumPy) {
  for (const UnaryTable& t : kUnary) {
    std::vector<std::string> want = words(t.row);
    ASSERT_EQ(want.size(), size_t(kNumDTypes));
    for (int i = 0; i < kNumDTypes; ++i)
      EXPECT_EQ(unaryResult(t.op, array(kDTypes[i])), ravelExpects(want[i]))
          << graph::numpyName(t.op) << "(" << dtypeName(kDTypes[i]) << ")";
  }
}

TEST(SemaRules, Nep50WeakScalarsAdoptTheArrayDType) {
  // int32 array + 1 -> int32 (NumPy 1.24's legacy value-based rule agrees).
  EXPECT_EQ(typeBinary(Op::Add, array(DType::Int32), weak(ScalarKind::Int)).result, DType::Int32);
  // int32 array + 1.5 -> float64: a float kind beats an int array.
  EXPECT_EQ(typeBinary(Op::Add, array(DType::Int32), weak(ScalarKind::Float)).result,
            DType::Float64);
  // float32 array + 1.5 -> float32: the scalar does not widen the array.
  EXPECT_EQ(typeBinary(Op::Mul, weak(ScalarKind::Float), array(DType::Float32)).result,
            DType::Float32);
  // bool array + 1 -> int64 (the default integer).
  EXPECT_EQ(typeBinary(Op::Add, array(DType::Bool), weak(ScalarKind::Int)).result, DType::Int64);
  // Two Python scalars behave like their default dtypes: 1 + 2.5 -> float64.
  EXPECT_EQ(promoteOperands(weak(ScalarKind::Int), weak(ScalarKind::Float)), DType::Float64);
  EXPECT_EQ(promoteOperands(weak(ScalarKind::Int), weak(ScalarKind::Bool)), DType::Int64);
  EXPECT_EQ(promoteOperands(weak(ScalarKind::Bool), weak(ScalarKind::Bool)), DType::Bool);
}

TEST(SemaRules, ComputeDTypeIsWhatTheOperandsAreCastTo) {
  // Integer true division computes in float64.
  OpTyping div = typeBinary(Op::Div, array(DType::Int32), array(DType::Int32));
  EXPECT_EQ(div.compute, DType::Float64);
  EXPECT_EQ(div.result, DType::Float64);
  // Comparisons compute in the promoted dtype and yield bool.
  OpTyping lt = typeBinary(Op::Lt, array(DType::Int32), weak(ScalarKind::Float));
  EXPECT_EQ(lt.compute, DType::Float64);
  EXPECT_EQ(lt.result, DType::Bool);
  OpTyping eq = typeBinary(Op::Eq, array(DType::Float32), weak(ScalarKind::Int));
  EXPECT_EQ(eq.compute, DType::Float32);
  EXPECT_EQ(eq.result, DType::Bool);
  // sqrt of int64 computes in float64.
  OpTyping sq = typeUnary(Op::Sqrt, array(DType::Int64));
  EXPECT_EQ(sq.compute, DType::Float64);
  EXPECT_EQ(sq.result, DType::Float64);
  // A weak scalar operand of a unary op has its default dtype: sqrt(2) -> float64.
  EXPECT_EQ(typeUnary(Op::Sqrt, weak(ScalarKind::Int)).result, DType::Float64);
  EXPECT_EQ(typeUnary(Op::Neg, weak(ScalarKind::Int)).result, DType::Int64);
}

/// The message of the RuntimeError `f` throws; fails the test if it throws none.
template <class F> std::string errorOf(F&& f, ErrorKind wantKind) {
  try {
    f();
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), wantKind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return "";
}

TEST(SemaRules, ErrorMessagesUseNumPysWording) {
  // Messages copied from NumPy 1.24.2.
  EXPECT_EQ(
      errorOf([] { typeBinary(Op::Sub, array(DType::Bool), array(DType::Bool)); }, ErrorKind::Type),
      "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, "
      "the `^` operator, or the logical_xor function instead.");
  EXPECT_EQ(errorOf([] { typeBinary(Op::Sub, weak(ScalarKind::Bool), array(DType::Bool)); },
                    ErrorKind::Type),
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, "
            "the `^` operator, or the logical_xor function instead.");
  EXPECT_EQ(errorOf([] { typeUnary(Op::Neg, array(DType::Bool)); }, ErrorKind::Type),
            "The numpy boolean negative, the `-` operator, is not supported, use the `~` "
            "operator or the logical_not function instead.");
  EXPECT_EQ(errorOf([] { typeUnary(Op::Invert, array(DType::Float64)); }, ErrorKind::Type),
            "ufunc 'invert' not supported for the input types, and the inputs could not be "
            "safely coerced to any supported types according to the casting rule ''safe''");
  // NumPy says "ufunc 'bitwise_and' not supported for the input types, and the
  // inputs could not be ..."; ravel names the types too. Both start alike.
  std::string bitAnd =
      errorOf([] { typeBinary(Op::BitAnd, array(DType::Float64), array(DType::Float64)); },
              ErrorKind::Type);
  EXPECT_EQ(bitAnd.rfind("ufunc 'bitwise_and' not supported for the input types", 0), 0u) << bitAnd;
  std::string bitOr = errorOf(
      [] { typeBinary(Op::BitOr, array(DType::Int32), weak(ScalarKind::Float)); }, ErrorKind::Type);
  EXPECT_EQ(bitOr.rfind("ufunc 'bitwise_or' not supported for the input types", 0), 0u) << bitOr;
}

TEST(SemaRules, ReductionDTypes) {
  // NumPy: sum/prod of bool and int32 accumulate in int64; min/max/any/all keep it.
  struct Case {
    Op op;
    DType in, out;
  };
  const Case cases[] = {
      {Op::Sum, DType::Bool, DType::Int64},      {Op::Sum, DType::Int32, DType::Int64},
      {Op::Sum, DType::Int64, DType::Int64},     {Op::Sum, DType::Float32, DType::Float32},
      {Op::Sum, DType::Float64, DType::Float64}, {Op::Prod, DType::Bool, DType::Int64},
      {Op::Prod, DType::Int32, DType::Int64},    {Op::Prod, DType::Float32, DType::Float32},
      {Op::Min, DType::Bool, DType::Bool},       {Op::Min, DType::Int32, DType::Int32},
      {Op::Max, DType::Int32, DType::Int32},     {Op::Max, DType::Float32, DType::Float32},
      {Op::Any, DType::Bool, DType::Bool},       {Op::All, DType::Bool, DType::Bool},
  };
  for (const Case& c : cases)
    EXPECT_EQ(reduceDType(c.op, c.in), c.out)
        << graph::numpyName(c.op) << "(" << dtypeName(c.in) << ")";
}

TEST(SemaRules, MeanDTypes) {
  // NumPy: mean of bool/int gives float64; float32 stays float32.
  EXPECT_EQ(meanDType(DType::Bool), DType::Float64);
  EXPECT_EQ(meanDType(DType::Int32), DType::Float64);
  EXPECT_EQ(meanDType(DType::Int64), DType::Float64);
  EXPECT_EQ(meanDType(DType::Float32), DType::Float32);
  EXPECT_EQ(meanDType(DType::Float64), DType::Float64);
}

TEST(SemaRules, WeakIntMustFitInt32) {
  EXPECT_EQ(errorOf([] { checkWeakIntFits(int64_t(1) << 40, DType::Int32); }, ErrorKind::Value),
            "Python integer 1099511627776 out of bounds for int32");
  // The exact int32 bounds, as NumPy draws them.
  EXPECT_NO_THROW(checkWeakIntFits(2147483647, DType::Int32));
  EXPECT_NO_THROW(checkWeakIntFits(-2147483648LL, DType::Int32));
  EXPECT_EQ(errorOf([] { checkWeakIntFits(2147483648LL, DType::Int32); }, ErrorKind::Value),
            "Python integer 2147483648 out of bounds for int32");
  EXPECT_EQ(errorOf([] { checkWeakIntFits(-2147483649LL, DType::Int32); }, ErrorKind::Value),
            "Python integer -2147483649 out of bounds for int32");
  // Wider dtypes take any int64; floats take any Python int.
  EXPECT_NO_THROW(checkWeakIntFits(INT64_MAX, DType::Int64));
  EXPECT_NO_THROW(checkWeakIntFits(int64_t(1) << 40, DType::Float32));
  EXPECT_NO_THROW(checkWeakIntFits(INT64_MIN, DType::Float64));
}

} // namespace
} // namespace ravel::sema

// The tables above were printed by this script (NumPy 1.24.2):
//
//   import numpy as np, warnings
//   warnings.simplefilter("ignore"); np._set_promotion_state("weak")   # NEP 50
//   dts = ["bool", "int32", "int64", "float32", "float64"]; weak = [True, 2, 2.5]
//   def res(f, *args):
//       try: return str(f(*args).dtype)
//       except TypeError: return "TypeError"
//   for op in ["add", "subtract", ...]:                   # binary: one row per dtype
//       f = getattr(np, op)
//       for da in dts:
//           a = np.ones(2, da)
//           print(" ".join(res(f, a, np.ones(2, db)) for db in dts), "|",
//                 " ".join(res(f, a, w) for w in weak), "|",
//                 " ".join(res(f, w, a) for w in weak))
//   for op in ["negative", "invert", ...]:                # unary
//       print(" ".join(res(getattr(np, op), np.ones(2, d)) for d in dts))
