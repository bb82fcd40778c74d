#include "JitTestSupport.h"
#include <cstdlib>
#include <iostream>
namespace ravel::jittest {
namespace {
Kernel pick(const std::string& w) {
  KB kb;
  DType f = DType::Float64;
  if (w == "hyp") {
    int x = kb.input(f), y = kb.input(f);
    return kb.out(kb.op(KOp::Sqrt, f,
                        kb.op(KOp::Add, f, kb.op(KOp::Mul, f, x, x), kb.op(KOp::Mul, f, y, y))));
  }
  if (w == "exp") {
    int x = kb.input(f);
    return kb.out(kb.op(KOp::Exp, f, x));
  }
  if (w == "sin") {
    int x = kb.input(f);
    return kb.out(kb.op(KOp::Sin, f, x));
  }
  if (w == "sinf") {
    int x = kb.input(DType::Float32);
    return kb.out(kb.op(KOp::Sin, DType::Float32, x));
  }
  if (w == "sum") {
    int x = kb.input(f);
    return kb.reduce(x, ReduceKind::Sum, f);
  }
  if (w == "max") {
    int x = kb.input(f);
    return kb.reduce(x, ReduceKind::Max, f);
  }
  if (w == "isum") {
    int x = kb.input(DType::Int32);
    return kb.reduce(x, ReduceKind::Sum, DType::Int64);
  }
  if (w == "cast") {
    int x = kb.input(f);
    return kb.out(kb.op(KOp::Cast, DType::Int32, x));
  }
  if (w == "fdiv") {
    int x = kb.input(f), y = kb.input(f);
    return kb.out(kb.op(KOp::FloorDiv, f, x, y));
  }
  if (w == "idiv") {
    int x = kb.input(DType::Int64), y = kb.input(DType::Int64);
    return kb.out(kb.op(KOp::FloorDiv, DType::Int64, x, y));
  }
  int x = kb.input(f);
  return kb.out(kb.op(KOp::Neg, f, x));
}
TEST(Scratch, Dump) {
  const char* w = std::getenv("SCRATCH");
  if (!w) GTEST_SKIP();
  const char* mode = std::getenv("MODE");
  Kernel k = pick(w);
  std::cout << (mode && std::string(mode) == "asm" ? sharedJit().emitAsm(k)
                                                   : sharedJit().emitLLVM(k));
}
} // namespace
} // namespace ravel::jittest
