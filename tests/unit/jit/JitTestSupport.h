// Helpers for the JIT unit tests: a tiny builder for hand-written kernels, a
// shared KernelJit, and calls of compiled kernels on 1-D buffers.
#pragma once

#include "compiler/fusion/Kernel.h"
#include "compiler/jit/KernelJit.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ravel::jittest {

using fusion::Kernel;
using fusion::KernelState;
using fusion::KInstr;
using fusion::KOp;
using fusion::ReduceKind;

inline jit::KernelJit& sharedJit() {
  static std::unique_ptr<jit::KernelJit> jit = jit::KernelJit::create();
  return *jit;
}

template <class T> constexpr DType dtypeOf() {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, uint8_t>)
    return DType::Bool;
  else if constexpr (std::is_same_v<T, int32_t>)
    return DType::Int32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return DType::Int64;
  else if constexpr (std::is_same_v<T, float>)
    return DType::Float32;
  else
    return DType::Float64;
}

/// Builds a kernel instruction by instruction.
class KB {
public:
  explicit KB(std::string name = "k0") { k_.name = std::move(name); }
  /// A new input operand and its Load; returns the instruction index.
  int input(DType t, InnerLayout layout = InnerLayout::Contiguous) {
    k_.inputs.push_back(t);
    k_.layouts.push_back(layout);
    KInstr in = make(KOp::Load, t);
    in.input = static_cast<int>(k_.inputs.size()) - 1;
    return push(in);
  }
  /// Another Load of an existing input.
  int load(int input) {
    KInstr in = make(KOp::Load, k_.inputs[input]);
    in.input = input;
    return push(in);
  }
  int constF(DType t, double v) {
    KInstr in = make(KOp::Const, t);
    in.constant.f = v;
    return push(in);
  }
  int constI(DType t, int64_t v) {
    KInstr in = make(KOp::Const, t);
    in.constant.i = v;
    return push(in);
  }
  int constB(bool v) {
    KInstr in = make(KOp::Const, DType::Bool);
    in.constant.b = v;
    return push(in);
  }
  int op(KOp op, DType t, int a, int b = -1, int c = -1) {
    KInstr in = make(op, t);
    in.args[0] = a;
    in.args[1] = b;
    in.args[2] = c;
    return push(in);
  }
  DType dtype(int instr) const { return k_.body[instr].dtype; }
  /// Elementwise kernel storing `result` to an output with `layout`.
  Kernel out(int result, InnerLayout layout = InnerLayout::Contiguous) {
    k_.result = result;
    k_.resultDType = k_.body[result].dtype;
    k_.layouts.push_back(layout);
    return k_;
  }
  Kernel reduce(int result, ReduceKind kind, DType accum) {
    k_.result = result;
    k_.resultDType = k_.body[result].dtype;
    k_.reduce = kind;
    k_.accumDType = accum;
    return k_;
  }

private:
  static KInstr make(KOp op, DType t) {
    KInstr in{};
    in.op = op;
    in.dtype = t;
    return in;
  }
  int push(const KInstr& in) {
    k_.body.push_back(in);
    return static_cast<int>(k_.body.size()) - 1;
  }
  Kernel k_;
};

/// Runs an elementwise kernel over contiguous buffers of equal length (or
/// length 1 for Broadcast inputs). Returns the output; `flags` receives
/// errorFlags.
template <class Out, class... In>
std::vector<Out> runElementwise(const Kernel& k, int64_t n, int64_t* flags,
                                const std::vector<In>&... ins) {
  InnerLoopFn fn = sharedJit().compile(k);
  std::vector<Out> out(static_cast<size_t>(n));
  std::vector<char*> ptrs{reinterpret_cast<char*>(const_cast<In*>(ins.data()))...};
  ptrs.push_back(reinterpret_cast<char*>(out.data()));
  std::vector<int64_t> strides;
  size_t idx = 0;
  for (int64_t size : {static_cast<int64_t>(sizeof(In))...}) {
    strides.push_back(k.layouts[idx] == InnerLayout::Broadcast ? 0 : size);
    ++idx;
  }
  strides.push_back(sizeof(Out));
  KernelState state{};
  fn(n, ptrs.data(), strides.data(), &state);
  if (flags) *flags = state.errorFlags;
  return out;
}

/// Unary elementwise: out[i] = op(in[i]).
template <class Out, class In>
std::vector<Out> runUnary(KOp op, DType outType, const std::vector<In>& in,
                          int64_t* flags = nullptr) {
  KB kb;
  int x = kb.input(dtypeOf<In>());
  Kernel k = kb.out(kb.op(op, outType, x));
  return runElementwise<Out>(k, static_cast<int64_t>(in.size()), flags, in);
}

/// Binary elementwise: out[i] = op(a[i], b[i]).
template <class Out, class In>
std::vector<Out> runBinary(KOp op, DType outType, const std::vector<In>& a,
                           const std::vector<In>& b, int64_t* flags = nullptr) {
  KB kb;
  int x = kb.input(dtypeOf<In>());
  int y = kb.input(dtypeOf<In>());
  Kernel k = kb.out(kb.op(op, outType, x, y));
  return runElementwise<Out>(k, static_cast<int64_t>(a.size()), flags, a, b);
}

/// Bitwise equality that treats any two NaNs as equal.
template <class T> bool sameValue(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a) && std::isnan(b)) return true;
    return std::memcmp(&a, &b, sizeof a) == 0;
  } else {
    return a == b;
  }
}

/// Distance in units in the last place (finite values of one sign class).
inline int64_t ulpDistance(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
  if (a == b) return 0;
  auto key = [](double v) {
    int64_t i = std::bit_cast<int64_t>(v);
    return i < 0 ? INT64_MIN - i : i;
  };
  int64_t d = key(a) - key(b);
  return d < 0 ? -d : d;
}
inline int64_t ulpDistance(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
  if (a == b) return 0;
  auto key = [](float v) {
    int32_t i = std::bit_cast<int32_t>(v);
    return static_cast<int64_t>(i < 0 ? INT32_MIN - i : i);
  };
  int64_t d = key(a) - key(b);
  return d < 0 ? -d : d;
}

} // namespace ravel::jittest
