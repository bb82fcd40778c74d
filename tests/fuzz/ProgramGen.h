// ProgramGen: turns fuzzer bytes into a small ravel program (also a valid
// NumPy program most of the time). Each byte picks the next choice in a
// grammar of array sources, elementwise operations, views (slices with
// negative steps, transposes, newaxis, reshape, broadcast_to, sliding
// windows, as_strided), in-place and augmented writes through aliases, slice,
// mask and fancy assignment, reductions over any axis, dtype mixes with
// Python scalars, `def` calls and prints. Arrays stay tiny (at most 24
// elements), so every program runs in milliseconds. The generator tracks
// shapes to keep most programs valid; a few choices ignore them on purpose,
// so errors are generated too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ravel::fuzz {

/// The program `data` chooses (deterministic; empty input gives a one-line
/// program).
std::string generateProgram(const uint8_t* data, size_t size);

} // namespace ravel::fuzz
