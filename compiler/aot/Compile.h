// `ravel compile script.rv -o prog`: an executable that runs the script with
// no LLVM and no parser at run time (docs/architecture.md, "Ahead of time").
#pragma once

#include <iosfwd>
#include <string>

namespace ravel::aot {

struct CompileRequest {
  std::string scriptName; // as the user named it: error messages show it
  std::string scriptText;
  std::string output;      // the executable to write
  bool keepObject = false; // also leave the artefact's object at output + ".o"
  bool verbose = false;    // print the link command and the kernel count
};

/// Checks the script, runs it once on the JIT with its output discarded to
/// learn the kernels it launches, compiles those (and an any-layout variant
/// of each) into one object with the program, and links the executable
/// against libravel_aot. Returns tools/Main.cpp's exit status: 0, 1 (an
/// error in the program, rendered on `err`), 2 (cannot write or link), 3.
int compileExecutable(const CompileRequest& request, std::ostream& err);

} // namespace ravel::aot
