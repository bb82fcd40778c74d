// fuzz_program: bytes -> a small generated program (ProgramGen) -> the whole
// pipeline: parse, check, the lazy graph, fusion, LLVM JIT compilation and
// the strided runtime, in a fresh Engine per input; prints are discarded.
// A user error (RavelError) is a fine outcome; a crash, a failed internal
// check or any other exception is a finding. RAVEL_FUZZ_PRINT=1 prints each
// generated program to stderr (to turn a crashing input into a program);
// RAVEL_FUZZ_TEXT=1 takes each input as program text instead (to run a
// hand-written program under the sanitizers: `fuzz_program prog.rv`).
#include "compiler/Pipeline.h"
#include "runtime/Array.h"
#include "tests/fuzz/FuzzSupport.h"
#include "tests/fuzz/ProgramGen.h"

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace {
bool gPrint = false;
bool gText = false;
} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Generated arrays are tiny; a budget keeps a wrong size from allocating
  // gigabytes (a huge `new` aborts under ASan instead of throwing).
  ravel::setAllocationLimit(int64_t(256) << 20);
  gPrint = std::getenv("RAVEL_FUZZ_PRINT") != nullptr;
  gText = std::getenv("RAVEL_FUZZ_TEXT") != nullptr;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string program = gText ? std::string(reinterpret_cast<const char*>(data), size)
                                    : ravel::fuzz::generateProgram(data, size);
  if (gPrint) std::cerr << "---- program\n" << program << "----\n";
  ravel::Engine engine;
  std::ostringstream out;
  ravel::fuzz::expectUserErrors(
      "fuzz_program", [&] { engine.run("<fuzz>", program, out); },
      [&](const ravel::RavelError& e) {
        if (gPrint) std::cerr << engine.render(e);
      });
  if (gPrint) std::cerr << out.str();
  return 0;
}
