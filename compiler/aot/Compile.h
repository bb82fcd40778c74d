// `ravel compile script.rv -o prog`: an executable that runs the script with
// no LLVM and no parser at run time (docs/architecture.md, "Ahead of time").
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace ravel::aot {

struct CompileRequest {
  std::string scriptName; // as the user named it: error messages show it
  std::string scriptText;
  std::string output; // the executable, or with exports NAME.so, NAME.a or NAME.o
  /// `f(float64[:], int64)` per exported def (aot/Signature.h): the artefact
  /// is then a library, and a header NAME.h (without a leading "lib")
  /// declaring the functions is written beside it.
  std::vector<std::string> exports;
  /// "native" (this CPU; the artefact refuses to start on one lacking its
  /// extensions) or an x86-64 level, "x86-64-v2" / "-v3" / "-v4".
  std::string cpu = "native";
  bool keepObject = false; // also leave the artefact's object at output + ".o"
  bool verbose = false;
  bool quiet = false; // no warning when the compile-time run ends in an error    // print the link
                      // command and the kernel count
};

/// With exports, after the run each exported def is called once with
/// sample arguments of its declared dtypes and ranks (8 elements per axis)
/// to learn its kernels.
/// With exports, after the run each exported def is called once with
/// sample arguments of its declared dtypes and ranks (8 elements per axis)
/// to learn its kernels.
/// Checks the script, runs it once on the JIT with its output discarded to
/// learn the kernels it launches, compiles those (and an any-layout variant
/// of each) into one object with the program, and links the executable
/// against libravel_aot. Returns tools/Main.cpp's exit status: 0, 1 (an
/// error in the program, rendered on `err`), 2 (cannot write or link), 3.
int compileArtefact(const CompileRequest& request, std::ostream& err);

} // namespace ravel::aot
