// An exported function's declaration, `f(float64[:], float64[:, :], int64)`:
// what `ravel compile --export` reads, what the generated header declares,
// and what the runtime checks each call's arguments against.
#pragma once

#include "runtime/DType.h"

#include <optional>
#include <string>
#include <vector>

namespace ravel::aot {

struct ExportParam {
  DType dtype = DType::Float64;
  int rank = 0;         // the number of `:`; 0 with !isArray: a C scalar
  bool isArray = false; // `float64[]` is a 0-d array, `float64` a C scalar
};

struct ExportSignature {
  std::string name;
  std::vector<ExportParam> params;
};

/// Parses a declaration; nullopt with `error` set when it is malformed.
std::optional<ExportSignature> parseSignature(const std::string& text, std::string& error);
/// The declaration's canonical text: `f(float64[:], int64)`.
std::string signatureText(const ExportSignature& signature);
/// A parameter as declared: `float64[:, :]`, `int64`.
std::string paramText(const ExportParam& param);
/// The C type of a scalar parameter (`double`, `int64_t`, `bool`, ...).
const char* cScalarType(DType dtype);

} // namespace ravel::aot
