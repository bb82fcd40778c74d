// IPython's %timeit: warm up once (so JIT compilation is excluded), pick a
// loop count that runs at least 0.2 s, then report mean ± std. dev. of 7 runs
// in IPython's exact output format.
#include "compiler/exec/Interpreter.h"
#include "runtime/Interrupt.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <unordered_set>

namespace ravel::exec {
using namespace ast;

namespace {

constexpr int kRuns = 7;
constexpr double kMinRunSeconds = 0.2;

/// IPython's _format_time: three significant digits, unit s/ms/µs/ns.
std::string formatTime(double seconds) {
  static const char* units[] = {"s", "ms", "\xc2\xb5s", "ns"};
  static const double scale[] = {1, 1e3, 1e6, 1e9};
  int order = 3;
  if (seconds > 0) {
    int exponent = int(std::floor(std::log10(seconds)));
    int thousands = exponent >= 0 ? exponent / 3 : -((-exponent + 2) / 3); // Python's //
    order = std::clamp(-thousands, 0, 3);
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g %s", seconds * scale[order], units[order]);
  return buf;
}

std::string withThousands(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

} // namespace

void Interpreter::forceScalars(const Value& v, Span span) {
  if (v.isArray() && v.array->isScalar && !v.array->materialized()) materialize(v.array, span);
  for (const Value& x : v.items) forceScalars(x, span);
}

void Interpreter::forceArrays(const Value& v, Span span) {
  if (v.isArray()) materialize(v.array, span);
  for (const Value& x : v.items) forceArrays(x, span);
}

void Interpreter::timeit(const MagicStmt& s, Frame& f) {
  const Stmt& st = *s.statement;
  // Reductions computed before the statement stay cached (NumPy would not
  // recompute them either); those the statement computes are forgotten after
  // each run, or every run after the first would only read the cache.
  std::unordered_set<const graph::Node*> before;
  for (const auto& entry : reductions_) before.insert(entry.first);
  auto once = [&] {
    throwIfInterrupted(); // a statement with no kernel would never look
    for (auto it = reductions_.begin(); it != reductions_.end();)
      it = before.count(it->first) ? std::next(it) : reductions_.erase(it);
    if (isa<ExprStmt>(st)) {
      forceArrays(eval(*cast<ExprStmt>(st).value, f), st.span());
    } else if (isa<AssignStmt>(st)) {
      const auto& a = cast<AssignStmt>(st);
      // Timed as a loop runs it: a small `name = expr` replays its recorded
      // plan (StatementPlans.cpp), as on every iteration after a loop's first.
      // (A replayed value is computed already; a recorded one is computed
      // through before it is bound, as below.)
      if (a.targets.size() == 1 && isa<NameExpr>(*a.targets[0]) &&
          assignByPlan(cast<NameExpr>(*a.targets[0]), *a.value, f, /*computeAll=*/true))
        return;
      Value v = eval(*a.value, f);
      forceArrays(v, st.span());
      for (const ExprPtr& t : a.targets) assign(*t, v, f);
    } else {
      exec(st, f);
    }
  };
  once(); // warm-up: compiles every kernel the statement needs
  if (dryRun_) return;
  using Clock = std::chrono::steady_clock;
  auto timeLoops = [&](int64_t loops) {
    auto t0 = Clock::now();
    for (int64_t i = 0; i < loops; ++i) once();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  int64_t loops = 1;
  for (;;) {
    double t = timeLoops(loops);
    if (t >= kMinRunSeconds) break;
    int64_t next = loops;
    // IPython's autorange steps: 1, 2, 5, 10, 20, 50, ...
    for (int64_t base = 1;; base *= 10) {
      if (base * 1 > loops) {
        next = base;
        break;
      }
      if (base * 2 > loops) {
        next = base * 2;
        break;
      }
      if (base * 5 > loops) {
        next = base * 5;
        break;
      }
    }
    loops = next;
    if (loops > 100000000) break;
  }
  double runs[kRuns];
  for (double& r : runs) r = timeLoops(loops) / double(loops);
  double mean = 0;
  for (double r : runs) mean += r;
  mean /= kRuns;
  double var = 0;
  for (double r : runs) var += (r - mean) * (r - mean);
  double sd = std::sqrt(var / kRuns);
  *out_ << formatTime(mean) << " \xc2\xb1 " << formatTime(sd)
        << " per loop (mean \xc2\xb1 std. dev. of " << kRuns << " runs, " << withThousands(loops)
        << (loops == 1 ? " loop" : " loops") << " each)\n";
}

} // namespace ravel::exec
