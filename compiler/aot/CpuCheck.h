// Which instruction-set extensions an ahead-of-time artefact needs, and the
// start-up check that refuses to run it on a CPU without them (instead of
// dying of SIGILL somewhere in a kernel).
#pragma once

#include <optional>
#include <string>

namespace ravel::aot {

/// The targets `ravel compile --cpu=` accepts: "native" (the default: this
/// machine's CPU) and the x86-64 levels "x86-64-v2", "x86-64-v3", "x86-64-v4".
bool knownCpu(const std::string& cpu);
/// The extensions code for `cpu` may use, as a comma-separated list of the
/// names __builtin_cpu_supports knows ("sse4.2,popcnt,avx,avx2,fma,...");
/// for "native", those this machine has.
std::string requiredFeatures(const std::string& cpu);
/// The comma-separated features of `required` this CPU lacks ("" when none).
std::string missingFeatures(const std::string& required);

} // namespace ravel::aot
