// isscalar, result_type, promote_types and can_cast over ravel's five
// dtypes, answering as NumPy 1.24 does under NEP 50 ('weak') promotion:
//  - result_type: the strong dtypes (arrays, NumPy scalars, dtype-likes)
//    promote together, then the Python scalars join as weak operands of
//    their kind (alone, they take NumPy's defaults: bool, int64, float64);
//  - can_cast: a Python scalar is cast as its default dtype (NumPy 1.24's
//    weak mode no longer looks at its value);
//  - casting rules: 'no'/'equiv' need equal dtypes, 'safe' never loses
//    values (int32 -> float64 is safe, int32 -> float32 is not),
//    'same_kind' keeps or raises the kind (bool < int < float).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

namespace ravel::exec {

namespace {

bool isDTypeLike(const Value& v) {
  return v.kind == Value::Kind::DTypeObj || v.kind == Value::Kind::Str ||
         (v.kind == Value::Kind::Builtin &&
          (v.name == "float" || v.name == "int" || v.name == "bool"));
}

ScalarKind kindOf(const Value& v) {
  return v.kind == Value::Kind::Bool  ? ScalarKind::Bool
         : v.kind == Value::Kind::Int ? ScalarKind::Int
                                      : ScalarKind::Float;
}

/// A dtype argument of promote_types and can_cast's `to`: dtype-likes only.
DType dtypeArg(Interpreter& in, const Value& v, Span span) {
  if (v.kind == Value::Kind::None)
    raise(ErrorKind::Type, span, "did not understand one of the types");
  if (!isDTypeLike(v))
    raise(ErrorKind::Type, span, "Cannot interpret '" + in.str(v) + "' as a data type");
  return *toDType(v, span);
}

/// The dtype NumPy sees for an argument of result_type/can_cast that is not
/// a Python scalar: a dtype-like, or an array-like's dtype.
DType strongDType(Interpreter& in, const Value& v, Span span) {
  if (v.kind == Value::Kind::None) return DType::Float64; // np.dtype(None)
  if (isDTypeLike(v)) return dtypeArg(in, v, span);
  return toArrayValue(in, v, span).array->dtype();
}

bool canCast(DType from, DType to, const std::string& casting) {
  if (casting == "no" || casting == "equiv") return from == to;
  if (casting == "unsafe") return true;
  if (casting == "same_kind") return canCastSameKind(from, to);
  return canCastSafe(from, to); // safe
}

} // namespace

Value builtinIsscalar(BuiltinCall& call) {
  const Value v = call.bind({{"element", {}}})[0];
  const bool scalar =
      v.isPyScalar() || v.kind == Value::Kind::Str || (v.isArray() && v.array->isScalar);
  return Value::ofBool(scalar);
}

/// result_type(*arrays_and_dtypes)
Value builtinResultType(BuiltinCall& call) {
  Interpreter& in = call.in;
  if (!call.kwargs.empty())
    raise(ErrorKind::Type, call.span,
          "result_type() got an unexpected keyword argument '" + call.kwargs[0].first + "'");
  if (call.args.empty())
    raise(ErrorKind::Value, call.span, "at least one array or dtype is required");
  std::optional<DType> strong;
  std::optional<ScalarKind> weak;
  for (const Value& v : call.args) {
    if (v.isPyScalar()) {
      const ScalarKind k = kindOf(v);
      if (!weak || int(k) > int(*weak)) weak = k;
      continue;
    }
    const DType t = strongDType(in, v, call.span);
    strong = strong ? promote(*strong, t) : t;
  }
  DType r;
  if (!strong)
    r = defaultDType(*weak);
  else
    r = weak ? promoteWeak(*strong, *weak) : *strong;
  return Value::ofDType(r);
}

Value builtinPromoteTypes(BuiltinCall& call) {
  auto a = call.bind({{"type1", {}}, {"type2", {}}});
  return Value::ofDType(
      promote(dtypeArg(call.in, a[0], call.span), dtypeArg(call.in, a[1], call.span)));
}

/// can_cast(from_, to, casting='safe')
Value builtinCanCast(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"from_", {}}, {"to", {}}, {"casting", Value::ofStr("safe")}});
  if (a[2].kind != Value::Kind::Str)
    raise(ErrorKind::Type, call.span,
          "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'");
  const std::string& casting = a[2].name;
  if (casting != "no" && casting != "equiv" && casting != "safe" && casting != "same_kind" &&
      casting != "unsafe")
    raise(ErrorKind::Value, call.span,
          "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe' (got '" +
              casting + "')");
  const DType to = dtypeArg(in, a[1], call.span);
  const DType from =
      a[0].isPyScalar() ? defaultDType(kindOf(a[0])) : strongDType(in, a[0], call.span);
  return Value::ofBool(canCast(from, to, casting));
}

} // namespace ravel::exec
