// verify(Kernel): checks the invariants listed at the top of Kernel.h and the
// typing rules codegen relies on. Every failure is a ravel bug (the fusion
// stage built a bad kernel), so it throws InternalError via RAVEL_CHECK.
//
// Checked:
//  1. the body is non-empty and `result` names one of its instructions;
//  2. `layouts` has one entry per input, plus one for the output of an
//     elementwise kernel (reduce == None);
//  3. every instruction's args refer to earlier instructions, unused args are
//     -1, and the op has the right arity;
//  4. Load names an input and has that input's dtype;
//  5. operand/result dtypes follow the op's rule (e.g. Div and Sqrt are float
//     only, comparisons yield Bool, Where's condition is Bool, bitwise ops
//     are bool/int);
//  6. body[result].dtype == resultDType; for reductions the accumulator dtype
//     is int64 for bool/int sums and products, the float dtype for float
//     ones, and resultDType for Min/Max.
#pragma once

#include "compiler/fusion/Kernel.h"

namespace ravel::fusion {

void verify(const Kernel& kernel);

/// Number of args the op takes (0 for Load and Const).
int kopArity(KOp op);

} // namespace ravel::fusion
