// NumPy's floating-point warnings: which events a launch raised, and what
// each does under the current modes (seterr / errstate).
//
// Algorithm, after each launch (Launch.cpp):
//  1. A probe kernel's flags say only "something may have happened"
//     (fusion/FpChecks.h). Nothing to do when they are clear, when every
//     mode is 'ignore', and for a float sum/prod whose results are finite.
//  2. Otherwise an exact copy of the kernel runs over the same operands (an
//     exact kernel, for in-place updates and product epilogues, ran already)
//     and sets one bit per (warning instruction, category).
//  3. Each set bit is one event, in body order, categories in NumPy's order
//     (divide, overflow, invalid), named with the instruction's ufunc and
//     pointing at its source. A float sum/prod whose result is inf (NaN)
//     while no summed value was is "overflow (invalid value) encountered in
//     reduce".
//  4. An event under 'warn' prints once per (message, file, line) per
//     session, like Python's default warning filter; 'print' prints
//     "Warning: ..." every time; 'raise' throws FloatingPointError.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/LaunchLoops.h"
#include "compiler/exec/Registry.h"
#include "compiler/fusion/FpChecks.h"

#include <algorithm>
#include <cmath>
#include <ostream>

namespace ravel::exec {
using fusion::FpCategory;

void scanNonFinite(const Array& a, bool& nan, bool& inf) {
  const int64_t n = a.size();
  auto scan = [&](auto* p) {
    for (int64_t i = 0; i < n; ++i) {
      nan |= std::isnan(p[i]);
      inf |= std::isinf(p[i]);
    }
  };
  if (a.dtype() == DType::Float32)
    scan(reinterpret_cast<const float*>(a.data()));
  else
    scan(reinterpret_cast<const double*>(a.data()));
}

namespace {

using FpMode = Interpreter::FpMode;
using FpModes = Interpreter::FpModes;

const char* modeName(FpMode m) {
  switch (m) {
    case FpMode::Ignore:
      return "ignore";
    case FpMode::Warn:
      return "warn";
    case FpMode::Raise:
      return "raise";
    case FpMode::Print:
      return "print";
  }
  return "warn";
}

FpMode parseMode(const Value& v, Span span) {
  if (v.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, "an error mode must be a string such as 'ignore' or 'warn'");
  const std::string& m = v.name;
  if (m == "ignore") return FpMode::Ignore;
  if (m == "warn") return FpMode::Warn;
  if (m == "raise") return FpMode::Raise;
  if (m == "print") return FpMode::Print;
  if (m == "call" || m == "log")
    raise(ErrorKind::Value, span,
          "error mode '" + m +
              "' is not supported by ravel (it needs seterrcall); use 'ignore', "
              "'warn', 'raise' or 'print'");
  raise(ErrorKind::Name, span, "KeyError: '" + m + "' is not an error mode");
}

Value modesDict(const FpModes& m) {
  Value d;
  d.kind = Value::Kind::Dict;
  for (auto [key, mode] : {std::pair{"divide", m.divide}, std::pair{"over", m.over},
                           std::pair{"under", m.under}, std::pair{"invalid", m.invalid}}) {
    d.items.push_back(Value::ofStr(key));
    d.items.push_back(Value::ofStr(modeName(mode)));
  }
  return d;
}

/// seterr's and errstate's keywords applied to `modes`: `all` first, then
/// the named categories (None leaves a category as it is).
FpModes applyModes(FpModes modes, const std::string& fname, const Kwargs& kwargs, Span span) {
  static const char* const kKeys[] = {"all", "divide", "over", "under", "invalid"};
  for (const auto& [key, v] : kwargs)
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
      raise(ErrorKind::Type, span, fname + "() got an unexpected keyword argument '" + key + "'");
  for (const char* key : kKeys)
    for (const auto& [k, v] : kwargs) {
      if (k != key || v.kind == Value::Kind::None) continue;
      FpMode m = parseMode(v, span);
      if (k == "all") modes.divide = modes.over = modes.under = modes.invalid = m;
      if (k == "divide") modes.divide = m;
      if (k == "over") modes.over = m;
      if (k == "under") modes.under = m;
      if (k == "invalid") modes.invalid = m;
    }
  return modes;
}

} // namespace

Value builtinGeterr(BuiltinCall& call) {
  call.bind({});
  return modesDict(call.in.fpModes());
}

/// seterr(all, divide, over, under, invalid) and errstate(**kwargs).
Value builtinSeterrOrErrstate(BuiltinCall& call) {
  Interpreter& in = call.in;
  const std::string& name = call.name;
  std::vector<Value>& args = call.args;
  Kwargs& kwargs = call.kwargs;
  const Span span = call.span;
  if (!args.empty()) {
    // seterr(all, divide, over, under, invalid) positionally; errstate takes keywords only.
    if (name == "errstate") raise(ErrorKind::Type, span, "errstate() takes keyword arguments only");
    static const char* const kKeys[] = {"all", "divide", "over", "under", "invalid"};
    if (args.size() > 5) raise(ErrorKind::Type, span, "seterr() takes at most 5 arguments");
    for (size_t i = 0; i < args.size(); ++i) kwargs.emplace_back(kKeys[i], args[i]);
    args.clear();
  }
  FpModes modes = applyModes(in.fpModes(), name, kwargs, span);
  if (name == "errstate") {
    // The keywords, checked now, applied when a `with` enters it.
    Value e;
    e.kind = Value::Kind::Dict;
    e.name = "errstate";
    for (const auto& [k, v] : kwargs) {
      e.items.push_back(Value::ofStr(k));
      e.items.push_back(v);
    }
    return e;
  }
  Value old = modesDict(in.fpModes());
  in.setFpModes(modes, span);
  return old;
}

Interpreter::Flow Interpreter::execWith(const ast::WithStmt& s, Frame& f) {
  Value context = eval(*s.context, f);
  if (context.kind != Value::Kind::Dict ||
      (context.name != "errstate" && context.name != "printoptions"))
    raise(ErrorKind::Type, s.context->span(),
          std::string("ravel's `with` takes errstate(...) or printoptions(...) only, not a '") +
              typeName(context) + "' object");
  Kwargs kwargs;
  for (size_t i = 0; i + 1 < context.items.size(); i += 2)
    kwargs.emplace_back(context.items[i].name, context.items[i + 1]);
  if (context.name == "printoptions") {
    const PrintOptions old = print_;
    print_ = applyPrintOptions(*this, old, kwargs, "printoptions", s.context->span());
    Flow flow;
    try {
      flow = execBlock(s.body, f);
    } catch (...) {
      print_ = old;
      throw;
    }
    print_ = old;
    return flow;
  }
  const FpModes old = fp_;
  setFpModes(applyModes(old, "errstate", kwargs, s.context->span()), s.context->span());
  Flow flow;
  try {
    flow = execBlock(s.body, f);
  } catch (...) {
    fp_ = old; // the error ends the program (or the REPL statement) anyway
    throw;
  }
  setFpModes(old, s.span());
  return flow;
}

void Interpreter::checkFp(const fusion::Kernel& kernel, int64_t flags, Span rootSpan,
                          const std::function<int64_t(const fusion::Kernel&)>& rerun,
                          const Array* reduced) {
  if (fp_.divide == FpMode::Ignore && fp_.over == FpMode::Ignore && fp_.invalid == FpMode::Ignore)
    return;
  const bool fold = reduced && foldsFloats(kernel);
  bool outNaN = false, outInf = false;
  if (fold && reduced->size() * reduced->itemsize() == reduced->nbytes())
    scanNonFinite(*reduced, outNaN, outInf);
  if (!kernel.fpExact && !fusion::fpSuspect(flags) && !outNaN && !outInf) return;
  int64_t exact = flags;
  if (!kernel.fpExact) {
    if (!rerun) return;
    fusion::Kernel k = kernel;
    k.fpExact = true;
    k.name += "_fp";
    exact = rerun(k);
  }
  const std::vector<int> slots = fusion::fpSlots(kernel);
  int64_t seen = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i] < 0) continue;
    for (int c = 0; c < fusion::kFpCategories; ++c) {
      const int64_t bit = fusion::fpBit(slots[i], FpCategory(c));
      if (!(exact & bit) || (seen & bit)) continue;
      seen |= bit;
      Span span = i < kernel.spans.size() ? kernel.spans[i] : rootSpan;
      fpEvent(c, fusion::fpMessage(FpCategory(c), fusion::fpUfunc(kernel, i)), span);
    }
  }
  if (outInf && !(exact & fusion::kErrorResultInf))
    fpEvent(int(FpCategory::Overflow), fusion::fpMessage(FpCategory::Overflow, "reduce"), rootSpan);
  if (outNaN && !(exact & fusion::kErrorResultNaN))
    fpEvent(int(FpCategory::Invalid), fusion::fpMessage(FpCategory::Invalid, "reduce"), rootSpan);
}

void Interpreter::fpEvent(int category, const std::string& message, Span span) {
  const FpMode mode = category == int(FpCategory::Divide)     ? fp_.divide
                      : category == int(FpCategory::Overflow) ? fp_.over
                                                              : fp_.invalid;
  switch (mode) {
    case FpMode::Ignore:
      return;
    case FpMode::Raise:
      raise(ErrorKind::FloatingPoint, span, message);
    case FpMode::Print:
      if (out_) out_->flush();
      *err_ << "Warning: " << message << "\n" << std::flush;
      return;
    case FpMode::Warn:
      break;
  }
  warn("RuntimeWarning", message, span);
}

void Interpreter::warn(const char* category, const std::string& message, Span span) {
  const int line = lineOf_ ? lineOf_(span) : 0;
  if (!warned_.insert({message, span.fileId, line}).second) return;
  if (out_) out_->flush();
  const Source* source = sourceOf_ ? sourceOf_(span.fileId) : nullptr;
  Diagnostic d{ErrorKind::Runtime, span, message, {}};
  d.warning = true;
  d.warningLabel = category;
  *err_ << (source ? d.render(*source) : std::string(category) + ": " + message + "\n")
        << std::flush;
}

void Interpreter::setFpModes(const FpModes& modes, Span span) {
  // Operations written under the old modes are checked under them: compute
  // every lazy value that exists now (NumPy computed them already).
  std::vector<ArrayRef> lazy;
  for (const auto& weak : lazyObjects_)
    if (ArrayRef a = weak.lock())
      if (!a->materialized() && !consumed_.count(a->node->serial)) lazy.push_back(a);
  for (const ArrayRef& a : lazy)
    if (!a->materialized()) materialize(a, span);
  fp_ = modes;
}

} // namespace ravel::exec
