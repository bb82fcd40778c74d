// NumPy's print options: set_printoptions, get_printoptions and the
// printoptions(...) context manager. They set the Interpreter's
// PrintOptions, which str() and repr() of arrays use (runtime/Print.h);
// NumPy scalars print the same under any options, as in NumPy 1.24.
//
// Supported: precision, threshold (inf: never summarize), edgeitems,
// linewidth, suppress. The other keywords are accepted at NumPy's defaults
// (sign='-', floatmode='maxprec', nanstr='nan', infstr='inf',
// formatter=None, legacy=False) and refused as "not in ravel yet" otherwise.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ravel::exec {

namespace {

const char* const kKeys[] = {"precision", "threshold", "edgeitems", "linewidth",
                             "suppress",  "nanstr",    "infstr",    "formatter",
                             "sign",      "floatmode", "legacy"};

int64_t nonNegativeInt(const Value& v, const char* what, Span span) {
  if (v.kind != Value::Kind::Int && v.kind != Value::Kind::Bool &&
      !(v.isArray() && v.array->isScalar && isInteger(v.array->dtype())))
    raise(ErrorKind::Type, span, std::string(what) + " must be an integer");
  const int64_t n = toInt(v, span);
  if (n < 0) raise(ErrorKind::Value, span, std::string(what) + " must be >= 0 in ravel");
  return n;
}

bool isDefaultText(const Value& v, const char* text) {
  return v.kind == Value::Kind::Str && v.name == text;
}

} // namespace

PrintOptions applyPrintOptions(Interpreter& in, PrintOptions options, const Kwargs& kwargs,
                               const std::string& fname, Span span) {
  for (const auto& [key, v] : kwargs) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
      raise(ErrorKind::Type, span, fname + "() got an unexpected keyword argument '" + key + "'");
    if (v.kind == Value::Kind::None) continue; // None keeps the current value
    if (key == "precision") {
      options.precision = int(std::min<int64_t>(nonNegativeInt(v, "precision", span), 10000));
    } else if (key == "threshold") {
      if (v.kind == Value::Kind::Float || (v.isArray() && v.array->isScalar)) {
        const double t = toFloat(in, v, span);
        if (std::isnan(t))
          raise(ErrorKind::Value, span,
                "threshold must be non-NAN, try sys.maxsize for untruncated representation");
        options.threshold = t >= 9.2e18 ? std::numeric_limits<int64_t>::max() : int64_t(t);
      } else {
        options.threshold = toInt(v, span);
      }
    } else if (key == "edgeitems") {
      options.edgeitems = int(std::min<int64_t>(nonNegativeInt(v, "edgeitems", span), 1 << 20));
    } else if (key == "linewidth") {
      options.linewidth =
          int(std::clamp<int64_t>(nonNegativeInt(v, "linewidth", span), 1, 1 << 20));
    } else if (key == "suppress") {
      options.suppress = in.truthy(v, span);
    } else if (key == "sign") {
      if (v.kind != Value::Kind::Str || (v.name != " " && v.name != "+" && v.name != "-"))
        raise(ErrorKind::Value, span, "sign option must be one of ' ', '+', or '-'");
      if (v.name != "-") raise(ErrorKind::Type, span, "sign='" + v.name + "' is not in ravel yet");
    } else if (key == "floatmode") {
      static const char* const kModes[] = {"fixed", "unique", "maxprec", "maxprec_equal"};
      if (v.kind != Value::Kind::Str ||
          std::find(std::begin(kModes), std::end(kModes), v.name) == std::end(kModes))
        raise(ErrorKind::Value, span,
              "floatmode option must be one of \"fixed\", \"unique\", \"maxprec\", "
              "\"maxprec_equal\"");
      if (v.name != "maxprec")
        raise(ErrorKind::Type, span, "floatmode='" + v.name + "' is not in ravel yet");
    } else if ((key == "nanstr" && !isDefaultText(v, "nan")) ||
               (key == "infstr" && !isDefaultText(v, "inf")) || key == "formatter" ||
               (key == "legacy" && !(v.kind == Value::Kind::Bool && !v.b))) {
      raise(ErrorKind::Type, span, "print option " + key + "= is not in ravel yet");
    }
  }
  return options;
}

namespace {

Value optionsDict(const PrintOptions& o) {
  Value d;
  d.kind = Value::Kind::Dict;
  auto put = [&](const char* key, Value v) {
    d.items.push_back(Value::ofStr(key));
    d.items.push_back(std::move(v));
  };
  put("edgeitems", Value::ofInt(o.edgeitems));
  put("threshold", o.threshold == std::numeric_limits<int64_t>::max()
                       ? Value::ofFloat(std::numeric_limits<double>::infinity())
                       : Value::ofInt(o.threshold));
  put("floatmode", Value::ofStr("maxprec"));
  put("precision", Value::ofInt(o.precision));
  put("suppress", Value::ofBool(o.suppress));
  put("linewidth", Value::ofInt(o.linewidth));
  put("nanstr", Value::ofStr("nan"));
  put("infstr", Value::ofStr("inf"));
  put("sign", Value::ofStr("-"));
  put("formatter", Value::none());
  put("legacy", Value::ofBool(false));
  return d;
}

/// The keywords, positional arguments taken in set_printoptions' order.
Kwargs keywordsOf(BuiltinCall& call) {
  Kwargs kwargs = call.kwargs;
  if (call.args.size() > std::size(kKeys))
    raise(ErrorKind::Type, call.span,
          call.name + "() takes at most " + std::to_string(std::size(kKeys)) + " arguments");
  for (size_t i = 0; i < call.args.size(); ++i) {
    for (const auto& [k, v] : kwargs)
      if (k == kKeys[i])
        raise(ErrorKind::Type, call.span,
              call.name + "() got multiple values for argument '" + k + "'");
    kwargs.emplace_back(kKeys[i], call.args[i]);
  }
  return kwargs;
}

} // namespace

Value builtinSetPrintoptions(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Kwargs kwargs = keywordsOf(call);
  in.setPrintOptions(applyPrintOptions(in, in.printOptions(), kwargs, call.name, call.span));
  return Value::none();
}

Value builtinGetPrintoptions(BuiltinCall& call) {
  call.bind({});
  return optionsDict(call.in.printOptions());
}

/// printoptions(...): checked now, applied while a `with` block runs.
Value builtinPrintoptions(BuiltinCall& call) {
  const Kwargs kwargs = keywordsOf(call);
  applyPrintOptions(call.in, call.in.printOptions(), kwargs, call.name, call.span);
  Value ctx;
  ctx.kind = Value::Kind::Dict;
  ctx.name = "printoptions";
  for (const auto& [k, v] : kwargs) {
    ctx.items.push_back(Value::ofStr(k));
    ctx.items.push_back(v);
  }
  return ctx;
}

} // namespace ravel::exec
