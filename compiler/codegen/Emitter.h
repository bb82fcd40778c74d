// Emitter: the state shared by the codegen files while one kernel is emitted
// (private to codegen/). It owns the IRBuilder, the noalias body function and
// the per-operand addressing, and declares the entry points of each op family.
//
// Conventions:
//  - values live in "register types": i1 for Bool, i32/i64, float/double;
//    memory holds Bool as one byte (0/1; any non-zero byte loads as true);
//  - accumulators and the error-flag word are entry-block allocas, so SROA
//    turns them into the phis the loop vectorizer recognises as reductions;
//  - loads and stores use alignment 1 (views of memory-mapped files need not
//    be aligned; unaligned vector moves cost nothing on x86).
#pragma once

#include "compiler/codegen/EmitKernel.h"

#include <llvm/IR/IRBuilder.h>

#include <functional>
#include <vector>

namespace ravel::codegen {

/// One operand of the kernel as seen inside the body function.
struct Operand {
  DType dtype;
  InnerLayout layout;
  llvm::Value* base = nullptr;    // first element (noalias argument)
  llvm::Value* stride = nullptr;  // byte stride (i64 argument)
  llvm::Value* hoisted = nullptr; // Broadcast input: loaded once before the loop
};

class Emitter {
public:
  Emitter(const fusion::Kernel& kernel, llvm::Module& module, const CodegenTarget& target);

  /// Emits the body function and the ABI wrapper named `symbol`.
  void emitFunctions(const std::string& symbol);

  // --- helpers used by every op family ---
  llvm::Type* regType(DType t) const;
  llvm::Type* memType(DType t) const;
  /// An entry-block alloca initialised to `init` (in the entry block too).
  llvm::AllocaInst* entryAlloca(llvm::Type* type, llvm::Value* init, const char* name);
  /// errorFlags |= bit where `cond` (i1) holds; flushed to the state at exit.
  void orFlag(llvm::Value* cond, int64_t bit);
  /// Adds the target attributes (cpu, features, vector width) to `fn`.
  void addTargetAttributes(llvm::Function* fn) const;
  /// Counted loop over [begin, end): `body(i)` emits at the builder's insertion
  /// point and may create blocks. Leaves the builder in the exit block.
  /// Returns the latch branch (where loop metadata goes).
  llvm::BranchInst* emitLoop(llvm::Value* begin, llvm::Value* end,
                             const std::function<void(llvm::Value*)>& body, const char* name);
  /// The kernel's scalar program at element i; returns the result value.
  llvm::Value* emitElement(llvm::Value* i);
  llvm::Value* loadOperand(int k, llvm::Value* i);
  void storeOperand(int k, llvm::Value* i, llvm::Value* value);
  /// Streaming stores: runs `element` over the elements before the output's
  /// first 64-byte boundary, moves every operand past them, and returns how
  /// many elements remain (the main loop's count).
  llvm::Value* emitStreamingHead(const std::function<void(llvm::Value*)>& element);

  llvm::LLVMContext& ctx;
  llvm::Module& module;
  llvm::IRBuilder<> b;
  const fusion::Kernel& kernel;
  const CodegenTarget& target;
  llvm::Function* fn = nullptr; // the body function being filled
  llvm::Value* n = nullptr;     // row length (i64)
  llvm::Value* state = nullptr; // KernelState* (may be null for elementwise kernels)
  std::vector<Operand> operands;
  std::vector<bool> fpProbed; // probe kernels: the values tested (FpChecks.h)
  std::vector<int> fpSlots;   // exact kernels: each instruction's warning slot

private:
  llvm::AllocaInst* flags_ = nullptr;
  int flagUpdates_ = 0; // orFlag calls emitted
  void emitBody();
  void flushFlags();
};

// --- EmitElementwise.cpp: one scalar instruction ---
llvm::Value* emitInstr(Emitter& e, const fusion::KInstr& in,
                       const std::vector<llvm::Value*>& values);
llvm::Value* emitConst(Emitter& e, DType t, const fusion::KConst& c);
/// NumPy astype(): float->int never yields poison (NaN/inf/out of range ->
/// INT_MIN of the target, x86's answer, and the invalid-cast flag).
llvm::Value* emitCast(Emitter& e, llvm::Value* v, DType from, DType to);

// --- EmitBitFunctions.cpp: ufuncs on a number's representation ---
/// gcd (lcm) of two ints: npy_gcd over the magnitudes, as an IR loop.
llvm::Value* emitGcdLcm(Emitter& e, llvm::Value* x, llvm::Value* y, bool lcm);
llvm::Value* emitNextafter(Emitter& e, llvm::Value* x, llvm::Value* y);
llvm::Value* emitSpacing(Emitter& e, llvm::Value* x);
/// x * 2**n for a float x and an i64 n, rounded once (scalbn).
llvm::Value* emitLdexp(Emitter& e, llvm::Value* x, llvm::Value* n);
/// frexp's mantissa (exponent = false) or its exponent as an i32.
llvm::Value* emitFrexp(Emitter& e, llvm::Value* x, bool exponent);
llvm::Value* emitModfFraction(Emitter& e, llvm::Value* x);

// --- EmitFpChecks.cpp: NumPy's floating-point warnings (fusion/FpChecks.h) ---
/// After instruction k's value: a probe kernel's trigger test, or an exact
/// kernel's per-category bits, when instruction k needs one.
void emitFpCheck(Emitter& e, size_t k, const std::vector<llvm::Value*>& values);

// --- EmitMath.cpp: SLEEF-backed functions ---
enum class MathFn : uint8_t {
  Exp,
  Log,
  Sin,
  Cos,
  Tanh,
  Tan,
  Asin,
  Acos,
  Atan,
  Sinh,
  Cosh,
  Exp2,
  Expm1,
  Log2,
  Log10,
  Log1p,
  Cbrt,
  Atan2,
  Hypot,
  Asinh,
  Acosh,
  Atanh,
};
/// A call of the scalar SLEEF function that the loop vectorizer can widen to
/// the vector variants of the host ISA; every lane computes what the scalar
/// function would, so a value never depends on its position in the array.
llvm::Value* emitMathCall(Emitter& e, MathFn fn, DType t, llvm::ArrayRef<llvm::Value*> args);

// --- EmitReduce.cpp: the loop of a reduction kernel ---
void emitReduction(Emitter& e);
/// Kernel::accumulateRows: acc[i] = acc[i] (op) element(i) over the row.
void emitAccumulateRows(Emitter& e);

} // namespace ravel::codegen
