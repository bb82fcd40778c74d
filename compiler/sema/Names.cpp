#include "compiler/sema/Names.h"

#include "compiler/diag/Diagnostic.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace ravel::sema {
namespace {

/// Which namespace a name lives in: NumPy's top level (and Python's
/// builtins), numpy.random, numpy.linalg, or an ndarray's attributes.
enum class Scope : uint8_t { TopLevel, Random, Linalg, NdArray };

struct Entry {
  Scope scope;
  const char* name;
  BuiltinKind kind;
  const char* signature; // NumPy's, as help() shows it
  const char* doc;       // NumPy's one-line summary
};

/// Every name ravel knows, listed once: the checker, the interpreter, the
/// REPL's completion and help() all read this table.
constexpr Entry kBuiltins[] = {
    // creation
    {Scope::TopLevel, "array", BuiltinKind::Function,
     "array(object, dtype=None, *, copy=True, order='K', ndmin=0)", "Create an array."},
    {Scope::TopLevel, "asarray", BuiltinKind::Function, "asarray(a, dtype=None, order=None)",
     "Convert the input to an array, without a copy when it already is one."},
    {Scope::TopLevel, "zeros", BuiltinKind::Function, "zeros(shape, dtype=float, order='C')",
     "Return a new array of given shape and type, filled with zeros."},
    {Scope::TopLevel, "ones", BuiltinKind::Function, "ones(shape, dtype=None, order='C')",
     "Return a new array of given shape and type, filled with ones."},
    {Scope::TopLevel, "empty", BuiltinKind::Function, "empty(shape, dtype=float, order='C')",
     "Return a new array of given shape and type, without initializing entries."},
    {Scope::TopLevel, "full", BuiltinKind::Function,
     "full(shape, fill_value, dtype=None, order='C')",
     "Return a new array of given shape and type, filled with fill_value."},
    {Scope::TopLevel, "zeros_like", BuiltinKind::Function,
     "zeros_like(a, dtype=None, order='K', shape=None)",
     "Return an array of zeros with the same shape and type as a given array."},
    {Scope::TopLevel, "ones_like", BuiltinKind::Function,
     "ones_like(a, dtype=None, order='K', shape=None)",
     "Return an array of ones with the same shape and type as a given array."},
    {Scope::TopLevel, "full_like", BuiltinKind::Function,
     "full_like(a, fill_value, dtype=None, order='K', shape=None)",
     "Return a full array with the same shape and type as a given array."},
    {Scope::TopLevel, "empty_like", BuiltinKind::Function,
     "empty_like(prototype, dtype=None, order='K', shape=None)",
     "Return a new array with the same shape and type as a given array."},
    {Scope::TopLevel, "arange", BuiltinKind::Function, "arange([start,] stop[, step,], dtype=None)",
     "Return evenly spaced values within a given interval."},
    {Scope::TopLevel, "linspace", BuiltinKind::Function,
     "linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0)",
     "Return evenly spaced numbers over a specified interval."},
    // ufuncs
    {Scope::TopLevel, "sqrt", BuiltinKind::Function, "sqrt(x, /)",
     "Return the non-negative square-root of an array, element-wise."},
    {Scope::TopLevel, "exp", BuiltinKind::Function, "exp(x, /)",
     "Calculate the exponential of all elements in the input array."},
    {Scope::TopLevel, "log", BuiltinKind::Function, "log(x, /)",
     "Natural logarithm, element-wise."},
    {Scope::TopLevel, "sin", BuiltinKind::Function, "sin(x, /)",
     "Trigonometric sine, element-wise."},
    {Scope::TopLevel, "cos", BuiltinKind::Function, "cos(x, /)", "Cosine element-wise."},
    {Scope::TopLevel, "tanh", BuiltinKind::Function, "tanh(x, /)",
     "Compute hyperbolic tangent element-wise."},
    {Scope::TopLevel, "floor", BuiltinKind::Function, "floor(x, /)",
     "Return the floor of the input, element-wise."},
    {Scope::TopLevel, "ceil", BuiltinKind::Function, "ceil(x, /)",
     "Return the ceiling of the input, element-wise."},
    {Scope::TopLevel, "trunc", BuiltinKind::Function, "trunc(x, /)",
     "Return the truncated value of the input, element-wise."},
    {Scope::TopLevel, "rint", BuiltinKind::Function, "rint(x, /)",
     "Round elements of the array to the nearest integer (half to even)."},
    {Scope::TopLevel, "sign", BuiltinKind::Function, "sign(x, /)",
     "Returns an element-wise indication of the sign of a number."},
    {Scope::TopLevel, "isnan", BuiltinKind::Function, "isnan(x, /)",
     "Test element-wise for NaN and return result as a boolean array."},
    {Scope::TopLevel, "isinf", BuiltinKind::Function, "isinf(x, /)",
     "Test element-wise for positive or negative infinity."},
    {Scope::TopLevel, "isfinite", BuiltinKind::Function, "isfinite(x, /)",
     "Test element-wise for finiteness (not infinity and not Not a Number)."},
    {Scope::TopLevel, "log10", BuiltinKind::Function, "log10(x, /)",
     "Return the base 10 logarithm of the input array, element-wise."},
    {Scope::TopLevel, "log2", BuiltinKind::Function, "log2(x, /)", "Base-2 logarithm of x."},
    {Scope::TopLevel, "log1p", BuiltinKind::Function, "log1p(x, /)",
     "Return the natural logarithm of one plus the input array, element-wise."},
    {Scope::TopLevel, "expm1", BuiltinKind::Function, "expm1(x, /)",
     "Calculate exp(x) - 1 for all elements in the array."},
    {Scope::TopLevel, "exp2", BuiltinKind::Function, "exp2(x, /)",
     "Calculate 2**p for all p in the input array."},
    {Scope::TopLevel, "arcsin", BuiltinKind::Function, "arcsin(x, /)",
     "Inverse sine, element-wise."},
    {Scope::TopLevel, "arccos", BuiltinKind::Function, "arccos(x, /)",
     "Trigonometric inverse cosine, element-wise."},
    {Scope::TopLevel, "arctan", BuiltinKind::Function, "arctan(x, /)",
     "Trigonometric inverse tangent, element-wise."},
    {Scope::TopLevel, "sinh", BuiltinKind::Function, "sinh(x, /)",
     "Hyperbolic sine, element-wise."},
    {Scope::TopLevel, "cosh", BuiltinKind::Function, "cosh(x, /)",
     "Hyperbolic cosine, element-wise."},
    {Scope::TopLevel, "tan", BuiltinKind::Function, "tan(x, /)", "Compute tangent element-wise."},
    {Scope::TopLevel, "cbrt", BuiltinKind::Function, "cbrt(x, /)",
     "Return the cube-root of an array, element-wise."},
    {Scope::TopLevel, "arcsinh", BuiltinKind::Function, "arcsinh(x, /)",
     "Inverse hyperbolic sine element-wise."},
    {Scope::TopLevel, "arccosh", BuiltinKind::Function, "arccosh(x, /)",
     "Inverse hyperbolic cosine, element-wise."},
    {Scope::TopLevel, "arctanh", BuiltinKind::Function, "arctanh(x, /)",
     "Inverse hyperbolic tangent element-wise."},
    {Scope::TopLevel, "fabs", BuiltinKind::Function, "fabs(x, /)",
     "Compute the absolute values element-wise (floats)."},
    {Scope::TopLevel, "positive", BuiltinKind::Function, "positive(x, /)",
     "Numerical positive, element-wise (a copy)."},
    {Scope::TopLevel, "signbit", BuiltinKind::Function, "signbit(x, /)",
     "Returns element-wise True where signbit is set (less than zero)."},
    {Scope::TopLevel, "square", BuiltinKind::Function, "square(x, /)",
     "Return the element-wise square of the input."},
    {Scope::TopLevel, "reciprocal", BuiltinKind::Function, "reciprocal(x, /)",
     "Return the reciprocal of the argument, element-wise."},
    {Scope::TopLevel, "logical_not", BuiltinKind::Function, "logical_not(x, /)",
     "Compute the truth value of NOT x element-wise."},
    {Scope::TopLevel, "abs", BuiltinKind::Function, "abs(x, /)",
     "Calculate the absolute value element-wise (numpy.absolute)."},
    {Scope::TopLevel, "absolute", BuiltinKind::Function, "absolute(x, /)",
     "Calculate the absolute value element-wise."},
    {Scope::TopLevel, "negative", BuiltinKind::Function, "negative(x, /)",
     "Numerical negative, element-wise."},
    {Scope::TopLevel, "invert", BuiltinKind::Function, "invert(x, /)",
     "Compute bit-wise inversion, or bit-wise NOT, element-wise."},
    {Scope::TopLevel, "bitwise_not", BuiltinKind::Function, "bitwise_not(x, /)",
     "Compute bit-wise inversion, or bit-wise NOT, element-wise (numpy.invert)."},
    {Scope::TopLevel, "add", BuiltinKind::Function, "add(x1, x2, /)",
     "Add arguments element-wise."},
    {Scope::TopLevel, "subtract", BuiltinKind::Function, "subtract(x1, x2, /)",
     "Subtract arguments, element-wise."},
    {Scope::TopLevel, "multiply", BuiltinKind::Function, "multiply(x1, x2, /)",
     "Multiply arguments element-wise."},
    {Scope::TopLevel, "divide", BuiltinKind::Function, "divide(x1, x2, /)",
     "Divide arguments element-wise (true division)."},
    {Scope::TopLevel, "true_divide", BuiltinKind::Function, "true_divide(x1, x2, /)",
     "Divide arguments element-wise (numpy.divide)."},
    {Scope::TopLevel, "floor_divide", BuiltinKind::Function, "floor_divide(x1, x2, /)",
     "Return the largest integer smaller or equal to the division of the inputs."},
    {Scope::TopLevel, "remainder", BuiltinKind::Function, "remainder(x1, x2, /)",
     "Return element-wise remainder of division, with the sign of the divisor."},
    {Scope::TopLevel, "mod", BuiltinKind::Function, "mod(x1, x2, /)",
     "Return element-wise remainder of division (numpy.remainder)."},
    {Scope::TopLevel, "power", BuiltinKind::Function, "power(x1, x2, /)",
     "First array elements raised to powers from second array, element-wise."},
    {Scope::TopLevel, "minimum", BuiltinKind::Function, "minimum(x1, x2, /)",
     "Element-wise minimum of array elements (NaN-propagating)."},
    {Scope::TopLevel, "maximum", BuiltinKind::Function, "maximum(x1, x2, /)",
     "Element-wise maximum of array elements (NaN-propagating)."},
    {Scope::TopLevel, "bitwise_and", BuiltinKind::Function, "bitwise_and(x1, x2, /)",
     "Compute the bit-wise AND of two arrays element-wise."},
    {Scope::TopLevel, "bitwise_or", BuiltinKind::Function, "bitwise_or(x1, x2, /)",
     "Compute the bit-wise OR of two arrays element-wise."},
    {Scope::TopLevel, "bitwise_xor", BuiltinKind::Function, "bitwise_xor(x1, x2, /)",
     "Compute the bit-wise XOR of two arrays element-wise."},
    {Scope::TopLevel, "equal", BuiltinKind::Function, "equal(x1, x2, /)",
     "Return (x1 == x2) element-wise."},
    {Scope::TopLevel, "not_equal", BuiltinKind::Function, "not_equal(x1, x2, /)",
     "Return (x1 != x2) element-wise."},
    {Scope::TopLevel, "less", BuiltinKind::Function, "less(x1, x2, /)",
     "Return the truth value of (x1 < x2) element-wise."},
    {Scope::TopLevel, "less_equal", BuiltinKind::Function, "less_equal(x1, x2, /)",
     "Return the truth value of (x1 <= x2) element-wise."},
    {Scope::TopLevel, "greater", BuiltinKind::Function, "greater(x1, x2, /)",
     "Return the truth value of (x1 > x2) element-wise."},
    {Scope::TopLevel, "greater_equal", BuiltinKind::Function, "greater_equal(x1, x2, /)",
     "Return the truth value of (x1 >= x2) element-wise."},
    {Scope::TopLevel, "arctan2", BuiltinKind::Function, "arctan2(x1, x2, /)",
     "Element-wise arc tangent of x1/x2 choosing the quadrant correctly."},
    {Scope::TopLevel, "hypot", BuiltinKind::Function, "hypot(x1, x2, /)",
     "Given the legs of a right triangle, return its hypotenuse."},
    {Scope::TopLevel, "copysign", BuiltinKind::Function, "copysign(x1, x2, /)",
     "Change the sign of x1 to that of x2, element-wise."},
    {Scope::TopLevel, "fmod", BuiltinKind::Function, "fmod(x1, x2, /)",
     "Returns the element-wise remainder of division (the sign of the dividend)."},
    {Scope::TopLevel, "fmax", BuiltinKind::Function, "fmax(x1, x2, /)",
     "Element-wise maximum of array elements (NaN-ignoring)."},
    {Scope::TopLevel, "fmin", BuiltinKind::Function, "fmin(x1, x2, /)",
     "Element-wise minimum of array elements (NaN-ignoring)."},
    {Scope::TopLevel, "logical_and", BuiltinKind::Function, "logical_and(x1, x2, /)",
     "Compute the truth value of x1 AND x2 element-wise."},
    {Scope::TopLevel, "logical_or", BuiltinKind::Function, "logical_or(x1, x2, /)",
     "Compute the truth value of x1 OR x2 element-wise."},
    {Scope::TopLevel, "logical_xor", BuiltinKind::Function, "logical_xor(x1, x2, /)",
     "Compute the truth value of x1 XOR x2, element-wise."},
    {Scope::TopLevel, "left_shift", BuiltinKind::Function, "left_shift(x1, x2, /)",
     "Shift the bits of an integer to the left."},
    {Scope::TopLevel, "right_shift", BuiltinKind::Function, "right_shift(x1, x2, /)",
     "Shift the bits of an integer to the right."},
    {Scope::TopLevel, "around", BuiltinKind::Function, "around(a, decimals=0, out=None)",
     "Evenly round to the given number of decimals (half to even)."},
    {Scope::TopLevel, "round", BuiltinKind::Function, "round(a, decimals=0, out=None)",
     "Evenly round to the given number of decimals (numpy.around)."},
    {Scope::TopLevel, "where", BuiltinKind::Function, "where(condition, [x, y], /)",
     "Return elements chosen from x or y depending on condition."},
    // reductions
    {Scope::TopLevel, "sum", BuiltinKind::Function,
     "sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=0, where=True)",
     "Sum of array elements over a given axis."},
    {Scope::TopLevel, "prod", BuiltinKind::Function,
     "prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=1, where=True)",
     "Return the product of array elements over a given axis."},
    {Scope::TopLevel, "min", BuiltinKind::Function,
     "min(a, axis=None, out=None, keepdims=False, initial=<no value>, where=True)",
     "Return the minimum of an array or minimum along an axis (numpy.amin)."},
    {Scope::TopLevel, "max", BuiltinKind::Function,
     "max(a, axis=None, out=None, keepdims=False, initial=<no value>, where=True)",
     "Return the maximum of an array or maximum along an axis (numpy.amax)."},
    {Scope::TopLevel, "amin", BuiltinKind::Function,
     "amin(a, axis=None, out=None, keepdims=False, initial=<no value>, where=True)",
     "Return the minimum of an array or minimum along an axis."},
    {Scope::TopLevel, "amax", BuiltinKind::Function,
     "amax(a, axis=None, out=None, keepdims=False, initial=<no value>, where=True)",
     "Return the maximum of an array or maximum along an axis."},
    {Scope::TopLevel, "mean", BuiltinKind::Function,
     "mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True)",
     "Compute the arithmetic mean along the specified axis."},
    {Scope::TopLevel, "any", BuiltinKind::Function,
     "any(a, axis=None, out=None, keepdims=False, *, where=True)",
     "Test whether any array element along a given axis evaluates to True."},
    {Scope::TopLevel, "all", BuiltinKind::Function,
     "all(a, axis=None, out=None, keepdims=False, *, where=True)",
     "Test whether all array elements along a given axis evaluate to True."},
    // shape
    {Scope::TopLevel, "copy", BuiltinKind::Function, "copy(a, order='K', subok=False)",
     "Return an array copy of the given object."},
    {Scope::TopLevel, "transpose", BuiltinKind::Function, "transpose(a, axes=None)",
     "Returns an array with axes transposed (a view)."},
    {Scope::TopLevel, "reshape", BuiltinKind::Function, "reshape(a, newshape, order='C')",
     "Gives a new shape to an array without changing its data (a view when possible)."},
    {Scope::TopLevel, "ravel", BuiltinKind::Function, "ravel(a, order='C')",
     "Return a contiguous flattened array (a view when possible)."},
    {Scope::TopLevel, "shape", BuiltinKind::Function, "shape(a)", "Return the shape of an array."},
    {Scope::TopLevel, "ndim", BuiltinKind::Function, "ndim(a)",
     "Return the number of dimensions of an array."},
    {Scope::TopLevel, "size", BuiltinKind::Function, "size(a, axis=None)",
     "Return the number of elements along a given axis."},
    // views
    {Scope::TopLevel, "swapaxes", BuiltinKind::Function, "swapaxes(a, axis1, axis2)",
     "Interchange two axes of an array (a view)."},
    {Scope::TopLevel, "moveaxis", BuiltinKind::Function, "moveaxis(a, source, destination)",
     "Move axes of an array to new positions (a view)."},
    {Scope::TopLevel, "expand_dims", BuiltinKind::Function, "expand_dims(a, axis)",
     "Expand the shape of an array by inserting a new axis (a view)."},
    {Scope::TopLevel, "squeeze", BuiltinKind::Function, "squeeze(a, axis=None)",
     "Remove axes of length one from a (a view)."},
    {Scope::TopLevel, "broadcast_to", BuiltinKind::Function,
     "broadcast_to(array, shape, subok=False)",
     "Broadcast an array to a new shape (a read-only view with zero strides)."},
    {Scope::TopLevel, "sliding_window_view", BuiltinKind::Function,
     "sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False)",
     "Create a sliding window view into the array with the given window shape."},
    {Scope::TopLevel, "as_strided", BuiltinKind::Function,
     "as_strided(x, shape=None, strides=None, subok=False, writeable=True)",
     "Create a view into the array with the given shape and strides."},
    {Scope::TopLevel, "ascontiguousarray", BuiltinKind::Function,
     "ascontiguousarray(a, dtype=None)",
     "Return a contiguous array (ndim >= 1) in memory (C order)."},
    {Scope::TopLevel, "flip", BuiltinKind::Function, "flip(m, axis=None)",
     "Reverse the order of elements in an array along the given axis (a view)."},
    {Scope::TopLevel, "fliplr", BuiltinKind::Function, "fliplr(m)",
     "Reverse the order of elements along axis 1 (left/right)."},
    {Scope::TopLevel, "flipud", BuiltinKind::Function, "flipud(m)",
     "Reverse the order of elements along axis 0 (up/down)."},
    {Scope::TopLevel, "atleast_1d", BuiltinKind::Function, "atleast_1d(*arys)",
     "Convert inputs to arrays with at least one dimension."},
    {Scope::TopLevel, "atleast_2d", BuiltinKind::Function, "atleast_2d(*arys)",
     "View inputs as arrays with at least two dimensions."},
    {Scope::TopLevel, "atleast_3d", BuiltinKind::Function, "atleast_3d(*arys)",
     "View inputs as arrays with at least three dimensions."},
    {Scope::TopLevel, "shares_memory", BuiltinKind::Function,
     "shares_memory(a, b, /, max_work=None)", "Determine if two arrays share memory."},
    {Scope::TopLevel, "may_share_memory", BuiltinKind::Function,
     "may_share_memory(a, b, /, max_work=None)", "Determine if two arrays might share memory."},
    {Scope::TopLevel, "asfortranarray", BuiltinKind::Function, "asfortranarray(a, dtype=None)",
     "Return an array (ndim >= 1) laid out in Fortran order in memory."},
    // floating-point error handling
    {Scope::TopLevel, "seterr", BuiltinKind::Function,
     "seterr(all=None, divide=None, over=None, under=None, invalid=None)",
     "Set how floating-point errors are handled; returns the old settings."},
    {Scope::TopLevel, "geterr", BuiltinKind::Function, "geterr()",
     "Get the current way of handling floating-point errors."},
    {Scope::TopLevel, "errstate", BuiltinKind::Function,
     "errstate(*, all=None, divide=None, over=None, under=None, invalid=None)",
     "Context manager for floating-point error handling (with errstate(...):)."},
    // joining
    {Scope::TopLevel, "concatenate", BuiltinKind::Function,
     "concatenate((a1, a2, ...), axis=0, out=None, dtype=None, casting='same_kind')",
     "Join a sequence of arrays along an existing axis."},
    {Scope::TopLevel, "stack", BuiltinKind::Function,
     "stack(arrays, axis=0, out=None, *, dtype=None, casting='same_kind')",
     "Join a sequence of arrays along a new axis."},
    {Scope::TopLevel, "hstack", BuiltinKind::Function,
     "hstack(tup, *, dtype=None, casting='same_kind')",
     "Stack arrays in sequence horizontally (column wise)."},
    {Scope::TopLevel, "vstack", BuiltinKind::Function,
     "vstack(tup, *, dtype=None, casting='same_kind')",
     "Stack arrays in sequence vertically (row wise)."},
    {Scope::TopLevel, "tile", BuiltinKind::Function, "tile(A, reps)",
     "Construct an array by repeating A the number of times given by reps."},
    {Scope::TopLevel, "repeat", BuiltinKind::Function, "repeat(a, repeats, axis=None)",
     "Repeat each element of an array after themselves."},
    {Scope::TopLevel, "clip", BuiltinKind::Function, "clip(a, a_min, a_max, out=None)",
     "Clip (limit) the values in an array."},
    {Scope::TopLevel, "eye", BuiltinKind::Function, "eye(N, M=None, k=0, dtype=float, order='C')",
     "Return a 2-D array with ones on the diagonal and zeros elsewhere."},
    {Scope::TopLevel, "identity", BuiltinKind::Function, "identity(n, dtype=None)",
     "Return the identity array."},
    // statistics (exec/Statistics.cpp)
    {Scope::TopLevel, "argmax", BuiltinKind::Function,
     "argmax(a, axis=None, out=None, *, keepdims=False)",
     "Returns the indices of the maximum values along an axis."},
    {Scope::TopLevel, "argmin", BuiltinKind::Function,
     "argmin(a, axis=None, out=None, *, keepdims=False)",
     "Returns the indices of the minimum values along an axis."},
    {Scope::TopLevel, "cumsum", BuiltinKind::Function, "cumsum(a, axis=None, dtype=None, out=None)",
     "Return the cumulative sum of the elements along a given axis."},
    {Scope::TopLevel, "cumprod", BuiltinKind::Function,
     "cumprod(a, axis=None, dtype=None, out=None)",
     "Return the cumulative product of elements along a given axis."},
    {Scope::TopLevel, "std", BuiltinKind::Function,
     "std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False)",
     "Compute the standard deviation along the specified axis."},
    {Scope::TopLevel, "var", BuiltinKind::Function,
     "var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False)",
     "Compute the variance along the specified axis."},
    {Scope::TopLevel, "ptp", BuiltinKind::Function, "ptp(a, axis=None, out=None, keepdims=False)",
     "Range of values (maximum - minimum) along an axis."},
    {Scope::TopLevel, "diff", BuiltinKind::Function,
     "diff(a, n=1, axis=-1, prepend=<no value>, append=<no value>)",
     "Calculate the n-th discrete difference along the given axis."},
    {Scope::TopLevel, "isclose", BuiltinKind::Function,
     "isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)",
     "Returns a boolean array where two arrays are element-wise equal within a tolerance."},
    {Scope::TopLevel, "allclose", BuiltinKind::Function,
     "allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)",
     "Returns True if two arrays are element-wise equal within a tolerance."},
    {Scope::TopLevel, "array_equal", BuiltinKind::Function, "array_equal(a1, a2, equal_nan=False)",
     "True if two arrays have the same shape and elements, False otherwise."},
    {Scope::TopLevel, "array_equiv", BuiltinKind::Function, "array_equiv(a1, a2)",
     "Returns True if input arrays are shape consistent and all elements equal."},
    {Scope::TopLevel, "nansum", BuiltinKind::Function,
     "nansum(a, axis=None, dtype=None, out=None, keepdims=False)",
     "Return the sum of array elements over a given axis treating NaNs as zero."},
    {Scope::TopLevel, "nanmean", BuiltinKind::Function,
     "nanmean(a, axis=None, dtype=None, out=None, keepdims=False)",
     "Compute the arithmetic mean along the specified axis, ignoring NaNs."},
    {Scope::TopLevel, "nanmax", BuiltinKind::Function,
     "nanmax(a, axis=None, out=None, keepdims=False)",
     "Return the maximum of an array or maximum along an axis, ignoring any NaNs."},
    {Scope::TopLevel, "nanmin", BuiltinKind::Function,
     "nanmin(a, axis=None, out=None, keepdims=False)",
     "Return minimum of an array or minimum along an axis, ignoring any NaNs."},
    {Scope::TopLevel, "average", BuiltinKind::Function,
     "average(a, axis=None, weights=None, returned=False, *, keepdims=False)",
     "Compute the weighted average along the specified axis."},
    // order statistics (exec/Quantiles.cpp)
    {Scope::TopLevel, "median", BuiltinKind::Function,
     "median(a, axis=None, out=None, overwrite_input=False, keepdims=False)",
     "Compute the median along the specified axis."},
    {Scope::TopLevel, "percentile", BuiltinKind::Function,
     "percentile(a, q, axis=None, out=None, overwrite_input=False, method='linear', "
     "keepdims=False)",
     "Compute the q-th percentile of the data along the specified axis."},
    {Scope::TopLevel, "quantile", BuiltinKind::Function,
     "quantile(a, q, axis=None, out=None, overwrite_input=False, method='linear', "
     "keepdims=False)",
     "Compute the q-th quantile of the data along the specified axis."},
    {Scope::TopLevel, "bincount", BuiltinKind::Function,
     "bincount(x, /, weights=None, minlength=0)",
     "Count number of occurrences of each value in array of non-negative ints."},
    // sorting (exec/Sorting.cpp)
    {Scope::TopLevel, "sort", BuiltinKind::Function, "sort(a, axis=-1, kind=None, order=None)",
     "Return a sorted copy of an array."},
    {Scope::TopLevel, "argsort", BuiltinKind::Function,
     "argsort(a, axis=-1, kind=None, order=None)", "Returns the indices that would sort an array."},
    {Scope::TopLevel, "unique", BuiltinKind::Function,
     "unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, "
     "equal_nan=True)",
     "Find the unique elements of an array."},
    {Scope::TopLevel, "searchsorted", BuiltinKind::Function,
     "searchsorted(a, v, side='left', sorter=None)",
     "Find indices where elements should be inserted to maintain order."},
    // advanced indexing
    {Scope::TopLevel, "take", BuiltinKind::Function,
     "take(a, indices, axis=None, out=None, mode='raise')",
     "Take elements from an array along an axis."},
    {Scope::TopLevel, "count_nonzero", BuiltinKind::Function,
     "count_nonzero(a, axis=None, *, keepdims=False)",
     "Counts the number of non-zero values in the array a."},
    {Scope::TopLevel, "flatnonzero", BuiltinKind::Function, "flatnonzero(a)",
     "Return indices that are non-zero in the flattened version of a."},
    {Scope::TopLevel, "roll", BuiltinKind::Function, "roll(a, shift, axis=None)",
     "Roll array elements along a given axis."},
    {Scope::TopLevel, "split", BuiltinKind::Function, "split(ary, indices_or_sections, axis=0)",
     "Split an array into multiple sub-arrays as views into ary."},
    {Scope::TopLevel, "array_split", BuiltinKind::Function,
     "array_split(ary, indices_or_sections, axis=0)",
     "Split an array into multiple sub-arrays (sections may differ in size)."},
    {Scope::TopLevel, "hsplit", BuiltinKind::Function, "hsplit(ary, indices_or_sections)",
     "Split an array into multiple sub-arrays horizontally (column-wise)."},
    {Scope::TopLevel, "vsplit", BuiltinKind::Function, "vsplit(ary, indices_or_sections)",
     "Split an array into multiple sub-arrays vertically (row-wise)."},
    {Scope::TopLevel, "copyto", BuiltinKind::Function,
     "copyto(dst, src, casting='same_kind', where=True)",
     "Copies values from one array to another, broadcasting as necessary."},
    {Scope::TopLevel, "nonzero", BuiltinKind::Function, "nonzero(a)",
     "Return the indices of the elements that are non-zero."},
    {Scope::TopLevel, "argwhere", BuiltinKind::Function, "argwhere(a)",
     "Find the indices of array elements that are non-zero, grouped by element."},
    // matrix products
    {Scope::TopLevel, "matmul", BuiltinKind::Function, "matmul(x1, x2, /)",
     "Matrix product of two arrays."},
    {Scope::TopLevel, "dot", BuiltinKind::Function, "dot(a, b, out=None)",
     "Dot product of two arrays."},
    {Scope::TopLevel, "vdot", BuiltinKind::Function, "vdot(a, b, /)",
     "Return the dot product of two vectors (flattened)."},
    {Scope::TopLevel, "inner", BuiltinKind::Function, "inner(a, b, /)",
     "Inner product of two arrays."},
    {Scope::TopLevel, "outer", BuiltinKind::Function, "outer(a, b, out=None)",
     "Compute the outer product of two vectors."},
    {Scope::TopLevel, "tensordot", BuiltinKind::Function, "tensordot(a, b, axes=2)",
     "Compute tensor dot product along specified axes."},
    {Scope::TopLevel, "kron", BuiltinKind::Function, "kron(a, b)",
     "Kronecker product of two arrays."},
    {Scope::TopLevel, "trace", BuiltinKind::Function,
     "trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None)",
     "Return the sum along diagonals of the array."},
    {Scope::TopLevel, "diag", BuiltinKind::Function, "diag(v, k=0)",
     "Extract a diagonal or construct a diagonal array."},
    {Scope::TopLevel, "diagonal", BuiltinKind::Function, "diagonal(a, offset=0, axis1=0, axis2=1)",
     "Return specified diagonals (a read-only view)."},
    {Scope::TopLevel, "einsum", BuiltinKind::Function,
     "einsum(subscripts, *operands, out=None, dtype=None, order='K', casting='safe', "
     "optimize=False)",
     "Evaluates the Einstein summation convention on the operands."},
    // files
    {Scope::TopLevel, "save", BuiltinKind::Function,
     "save(file, arr, allow_pickle=True, fix_imports=True)",
     "Save an array to a binary file in NumPy .npy format."},
    {Scope::TopLevel, "load", BuiltinKind::Function,
     "load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding='ASCII')",
     "Load arrays from .npy files (memory-mapped with mmap_mode)."},
    {Scope::TopLevel, "memmap", BuiltinKind::Function,
     "memmap(filename, dtype=uint8, mode='r+', offset=0, shape=None, order='C')",
     "Create a memory-map to an array stored in a binary file on disk."},
    // Python builtins
    {Scope::TopLevel, "print", BuiltinKind::Function, "print(*objects, sep=' ', end='\\n')",
     "Print the values to standard output."},
    {Scope::TopLevel, "len", BuiltinKind::Function, "len(obj, /)",
     "Return the number of items in a container (the first axis of an array)."},
    {Scope::TopLevel, "repr", BuiltinKind::Function, "repr(obj, /)",
     "Return the canonical string representation of the object."},
    {Scope::TopLevel, "str", BuiltinKind::Function, "str(object='')",
     "Return a string version of object."},
    {Scope::TopLevel, "float", BuiltinKind::Function, "float(x=0, /)",
     "Convert a number or string to a floating point number."},
    {Scope::TopLevel, "int", BuiltinKind::Function, "int(x=0, /)",
     "Convert a number or string to an integer."},
    {Scope::TopLevel, "bool", BuiltinKind::Function, "bool(x=False, /)",
     "Return True when the argument x is true, False otherwise."},
    {Scope::TopLevel, "range", BuiltinKind::Function, "range(start, stop[, step])",
     "Return an immutable sequence of integers from start to stop by step."},
    {Scope::TopLevel, "zip", BuiltinKind::Function, "zip(*iterables)",
     "Iterate over several iterables in parallel, producing tuples."},
    {Scope::TopLevel, "enumerate", BuiltinKind::Function, "enumerate(iterable, start=0)",
     "Yield pairs (index, item) over an iterable."},
    {Scope::TopLevel, "list", BuiltinKind::Function, "list(iterable=(), /)",
     "Build a list from an iterable."},
    {Scope::TopLevel, "tuple", BuiltinKind::Function, "tuple(iterable=(), /)",
     "Build a tuple from an iterable."},
    // dtypes
    {Scope::TopLevel, "float64", BuiltinKind::DType, "float64(x=0, /)",
     "Double-precision floating-point number type (dtype 'float64')."},
    {Scope::TopLevel, "float32", BuiltinKind::DType, "float32(x=0, /)",
     "Single-precision floating-point number type (dtype 'float32')."},
    {Scope::TopLevel, "double", BuiltinKind::DType, "double(x=0, /)",
     "Double-precision floating-point number type (alias of float64)."},
    {Scope::TopLevel, "single", BuiltinKind::DType, "single(x=0, /)",
     "Single-precision floating-point number type (alias of float32)."},
    {Scope::TopLevel, "int64", BuiltinKind::DType, "int64(x=0, /)",
     "Signed 64-bit integer type (dtype 'int64')."},
    {Scope::TopLevel, "int32", BuiltinKind::DType, "int32(x=0, /)",
     "Signed 32-bit integer type (dtype 'int32')."},
    {Scope::TopLevel, "intc", BuiltinKind::DType, "intc(x=0, /)",
     "Signed integer type, compatible with C int (alias of int32)."},
    {Scope::TopLevel, "bool_", BuiltinKind::DType, "bool_(x=False, /)",
     "Boolean type (True or False), stored as a byte."},
    // constants
    {Scope::TopLevel, "pi", BuiltinKind::Constant, "pi",
     "The ratio of a circle's circumference to its diameter, 3.141592653589793."},
    {Scope::TopLevel, "e", BuiltinKind::Constant, "e",
     "Euler's number, the base of natural logarithms, 2.718281828459045."},
    {Scope::TopLevel, "inf", BuiltinKind::Constant, "inf",
     "IEEE 754 floating point representation of (positive) infinity."},
    {Scope::TopLevel, "Inf", BuiltinKind::Constant, "Inf",
     "IEEE 754 positive infinity (numpy.inf)."},
    {Scope::TopLevel, "nan", BuiltinKind::Constant, "nan",
     "IEEE 754 floating point representation of Not a Number (NaN)."},
    {Scope::TopLevel, "NaN", BuiltinKind::Constant, "NaN", "IEEE 754 Not a Number (numpy.nan)."},
    {Scope::TopLevel, "newaxis", BuiltinKind::Constant, "newaxis",
     "None: an index that inserts a new axis of length one."},
    // modules
    {Scope::TopLevel, "np", BuiltinKind::Module, "np",
     "NumPy's namespace (the same names as the top level)."},
    {Scope::TopLevel, "numpy", BuiltinKind::Module, "numpy",
     "NumPy's namespace (the same names as the top level)."},
    {Scope::TopLevel, "random", BuiltinKind::Module, "random",
     "numpy.random: the legacy MT19937 generator (seed, rand, randn, random, random_sample)."},
    {Scope::TopLevel, "linalg", BuiltinKind::Module, "linalg",
     "numpy.linalg: linear algebra (solve, inv, det, norm, eigh, svd, ...)."},
    // numpy.random
    {Scope::Random, "seed", BuiltinKind::Function, "seed(seed=None)",
     "Reseed the legacy MT19937 random number generator."},
    {Scope::Random, "rand", BuiltinKind::Function, "rand(d0, d1, ..., dn)",
     "Random values in a given shape, uniform over [0, 1)."},
    {Scope::Random, "randn", BuiltinKind::Function, "randn(d0, d1, ..., dn)",
     "Return samples from the standard normal distribution."},
    {Scope::Random, "random", BuiltinKind::Function, "random(size=None)",
     "Return random floats in the half-open interval [0.0, 1.0)."},
    {Scope::Random, "random_sample", BuiltinKind::Function, "random_sample(size=None)",
     "Return random floats in the half-open interval [0.0, 1.0)."},
    // numpy.linalg
    {Scope::Linalg, "solve", BuiltinKind::Function, "solve(a, b)",
     "Solve a linear matrix equation, or system of linear scalar equations."},
    {Scope::Linalg, "inv", BuiltinKind::Function, "inv(a)",
     "Compute the (multiplicative) inverse of a matrix."},
    {Scope::Linalg, "det", BuiltinKind::Function, "det(a)", "Compute the determinant of an array."},
    {Scope::Linalg, "slogdet", BuiltinKind::Function, "slogdet(a)",
     "Compute the sign and (natural) logarithm of the determinant of an array."},
    {Scope::Linalg, "norm", BuiltinKind::Function, "norm(x, ord=None, axis=None, keepdims=False)",
     "Matrix or vector norm."},
    {Scope::Linalg, "cholesky", BuiltinKind::Function, "cholesky(a)", "Cholesky decomposition."},
    {Scope::Linalg, "qr", BuiltinKind::Function, "qr(a, mode='reduced')",
     "Compute the qr factorization of a matrix."},
    {Scope::Linalg, "eigh", BuiltinKind::Function, "eigh(a, UPLO='L')",
     "Return the eigenvalues and eigenvectors of a symmetric matrix."},
    {Scope::Linalg, "eigvalsh", BuiltinKind::Function, "eigvalsh(a, UPLO='L')",
     "Compute the eigenvalues of a symmetric matrix."},
    {Scope::Linalg, "eig", BuiltinKind::Function, "eig(a)",
     "Compute the eigenvalues and right eigenvectors of a square array."},
    {Scope::Linalg, "eigvals", BuiltinKind::Function, "eigvals(a)",
     "Compute the eigenvalues of a general matrix."},
    {Scope::Linalg, "svd", BuiltinKind::Function,
     "svd(a, full_matrices=True, compute_uv=True, hermitian=False)",
     "Singular Value Decomposition."},
    {Scope::Linalg, "lstsq", BuiltinKind::Function, "lstsq(a, b, rcond='warn')",
     "Return the least-squares solution to a linear matrix equation."},
    {Scope::Linalg, "pinv", BuiltinKind::Function, "pinv(a, rcond=1e-15, hermitian=False)",
     "Compute the (Moore-Penrose) pseudo-inverse of a matrix."},
    {Scope::Linalg, "matrix_rank", BuiltinKind::Function,
     "matrix_rank(A, tol=None, hermitian=False)", "Return matrix rank of array using SVD method."},
    {Scope::Linalg, "matrix_power", BuiltinKind::Function, "matrix_power(a, n)",
     "Raise a square matrix to the (integer) power n."},
    {Scope::Linalg, "cond", BuiltinKind::Function, "cond(x, p=None)",
     "Compute the condition number of a matrix."},
    {Scope::Linalg, "multi_dot", BuiltinKind::Function, "multi_dot(arrays, *, out=None)",
     "Compute the dot product of two or more arrays, in the cheapest order."},
    // ndarray methods
    {Scope::NdArray, "argmax", BuiltinKind::Function,
     "a.argmax(axis=None, out=None, *, keepdims=False)",
     "Return indices of the maximum values along the given axis."},
    {Scope::NdArray, "argmin", BuiltinKind::Function,
     "a.argmin(axis=None, out=None, *, keepdims=False)",
     "Return indices of the minimum values along the given axis."},
    {Scope::NdArray, "cumsum", BuiltinKind::Function, "a.cumsum(axis=None, dtype=None, out=None)",
     "Return the cumulative sum of the elements along the given axis."},
    {Scope::NdArray, "cumprod", BuiltinKind::Function, "a.cumprod(axis=None, dtype=None, out=None)",
     "Return the cumulative product of the elements along the given axis."},
    {Scope::NdArray, "std", BuiltinKind::Function,
     "a.std(axis=None, dtype=None, out=None, ddof=0, keepdims=False)",
     "Returns the standard deviation of the array elements along given axis."},
    {Scope::NdArray, "var", BuiltinKind::Function,
     "a.var(axis=None, dtype=None, out=None, ddof=0, keepdims=False)",
     "Returns the variance of the array elements, along given axis."},
    {Scope::NdArray, "ptp", BuiltinKind::Function, "a.ptp(axis=None, out=None, keepdims=False)",
     "Peak to peak (maximum - minimum) value along a given axis."},
    {Scope::NdArray, "sort", BuiltinKind::Function, "a.sort(axis=-1, kind=None, order=None)",
     "Sort an array in-place."},
    {Scope::NdArray, "argsort", BuiltinKind::Function, "a.argsort(axis=-1, kind=None, order=None)",
     "Returns the indices that would sort this array."},
    {Scope::NdArray, "searchsorted", BuiltinKind::Function,
     "a.searchsorted(v, side='left', sorter=None)",
     "Find indices where elements of v should be inserted in a to maintain order."},
    {Scope::NdArray, "sum", BuiltinKind::Function,
     "a.sum(axis=None, dtype=None, out=None, keepdims=False)",
     "Return the sum of the array elements over the given axis."},
    {Scope::NdArray, "prod", BuiltinKind::Function,
     "a.prod(axis=None, dtype=None, out=None, keepdims=False)",
     "Return the product of the array elements over the given axis."},
    {Scope::NdArray, "min", BuiltinKind::Function, "a.min(axis=None, out=None, keepdims=False)",
     "Return the minimum along a given axis."},
    {Scope::NdArray, "max", BuiltinKind::Function, "a.max(axis=None, out=None, keepdims=False)",
     "Return the maximum along a given axis."},
    {Scope::NdArray, "mean", BuiltinKind::Function,
     "a.mean(axis=None, dtype=None, out=None, keepdims=False)",
     "Returns the average of the array elements along given axis."},
    {Scope::NdArray, "any", BuiltinKind::Function, "a.any(axis=None, out=None, keepdims=False)",
     "Returns True if any of the elements of a evaluate to True."},
    {Scope::NdArray, "all", BuiltinKind::Function, "a.all(axis=None, out=None, keepdims=False)",
     "Returns True if all elements evaluate to True."},
    {Scope::NdArray, "reshape", BuiltinKind::Function, "a.reshape(shape, order='C')",
     "Returns an array containing the same data with a new shape."},
    {Scope::NdArray, "astype", BuiltinKind::Function,
     "a.astype(dtype, order='K', casting='unsafe', subok=True, copy=True)",
     "Copy of the array, cast to a specified type."},
    {Scope::NdArray, "round", BuiltinKind::Function, "a.round(decimals=0, out=None)",
     "Return a with each element rounded to the given number of decimals."},
    {Scope::NdArray, "copy", BuiltinKind::Function, "a.copy(order='C')",
     "Return a copy of the array."},
    {Scope::NdArray, "transpose", BuiltinKind::Function, "a.transpose(*axes)",
     "Returns a view of the array with axes transposed."},
    {Scope::NdArray, "ravel", BuiltinKind::Function, "a.ravel(order='C')",
     "Return a flattened array (a view when possible)."},
    {Scope::NdArray, "item", BuiltinKind::Function, "a.item(*args)",
     "Copy an element of an array to a standard Python scalar and return it."},
    {Scope::NdArray, "flatten", BuiltinKind::Function, "a.flatten(order='C')",
     "Return a copy of the array collapsed into one dimension."},
    {Scope::NdArray, "swapaxes", BuiltinKind::Function, "a.swapaxes(axis1, axis2)",
     "Return a view of the array with axis1 and axis2 interchanged."},
    {Scope::NdArray, "squeeze", BuiltinKind::Function, "a.squeeze(axis=None)",
     "Remove axes of length one from a."},
    {Scope::NdArray, "take", BuiltinKind::Function,
     "a.take(indices, axis=None, out=None, mode='raise')",
     "Return an array formed from the elements of a at the given indices."},
    {Scope::NdArray, "nonzero", BuiltinKind::Function, "a.nonzero()",
     "Return the indices of the elements that are non-zero."},
    {Scope::NdArray, "clip", BuiltinKind::Function, "a.clip(min=None, max=None, out=None)",
     "Return an array whose values are limited to [min, max]."},
    {Scope::NdArray, "repeat", BuiltinKind::Function, "a.repeat(repeats, axis=None)",
     "Repeat elements of an array."},
    {Scope::NdArray, "flush", BuiltinKind::Function, "a.flush()",
     "Write any changes in a memmap to the file on disk."},
    {Scope::NdArray, "fill", BuiltinKind::Function, "a.fill(value)",
     "Fill the array with a scalar value."},
    {Scope::NdArray, "dot", BuiltinKind::Function, "a.dot(b, out=None)",
     "Dot product of two arrays."},
    {Scope::NdArray, "trace", BuiltinKind::Function,
     "a.trace(offset=0, axis1=0, axis2=1, dtype=None, out=None)",
     "Return the sum along diagonals of the array."},
    {Scope::NdArray, "diagonal", BuiltinKind::Function, "a.diagonal(offset=0, axis1=0, axis2=1)",
     "Return specified diagonals (a read-only view)."},
    // ndarray attributes
    {Scope::NdArray, "T", BuiltinKind::Constant, "a.T", "View of the transposed array."},
    {Scope::NdArray, "shape", BuiltinKind::Constant, "a.shape", "Tuple of array dimensions."},
    {Scope::NdArray, "strides", BuiltinKind::Constant, "a.strides",
     "Tuple of bytes to step in each dimension when traversing an array."},
    {Scope::NdArray, "dtype", BuiltinKind::Constant, "a.dtype",
     "Data-type of the array's elements."},
    {Scope::NdArray, "ndim", BuiltinKind::Constant, "a.ndim", "Number of array dimensions."},
    {Scope::NdArray, "size", BuiltinKind::Constant, "a.size", "Number of elements in the array."},
    {Scope::NdArray, "itemsize", BuiltinKind::Constant, "a.itemsize",
     "Length of one array element in bytes."},
    {Scope::NdArray, "nbytes", BuiltinKind::Constant, "a.nbytes",
     "Total bytes consumed by the elements of the array."},
    {Scope::NdArray, "base", BuiltinKind::Constant, "a.base",
     "Base object if memory is from some other object (a view), else None."},
    {Scope::NdArray, "flags", BuiltinKind::Constant, "a.flags",
     "Information about the memory layout of the array."},
};

/// CPython's suggestion distance: insertions, deletions and substitutions
/// cost 2, a change of case only 1.
constexpr size_t kMoveCost = 2, kCaseCost = 1;

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j * kMoveCost;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i * kMoveCost;
    for (size_t j = 1; j <= b.size(); ++j) {
      char x = a[i - 1], y = b[j - 1];
      size_t sub = x == y ? 0 : std::tolower(x) == std::tolower(y) ? kCaseCost : kMoveCost;
      cur[j] = std::min({prev[j] + kMoveCost, cur[j - 1] + kMoveCost, prev[j - 1] + sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

} // namespace

std::optional<BuiltinKind> lookupBuiltin(std::string_view name) {
  for (const Entry& e : kBuiltins)
    if (e.scope == Scope::TopLevel && name == e.name) return e.kind;
  return std::nullopt;
}

namespace {

bool inScope(Scope scope, std::string_view name, std::optional<BuiltinKind> kind = std::nullopt) {
  for (const Entry& e : kBuiltins)
    if (e.scope == scope && name == e.name && (!kind || e.kind == *kind)) return true;
  return false;
}

std::optional<Scope> scopeNamed(std::string_view space) {
  if (space.empty() || space == "np" || space == "numpy") return Scope::TopLevel;
  if (space == "random" || space == "np.random" || space == "numpy.random") return Scope::Random;
  if (space == "linalg" || space == "np.linalg" || space == "numpy.linalg") return Scope::Linalg;
  if (space == "ndarray" || space == "np.ndarray" || space == "numpy.ndarray")
    return Scope::NdArray;
  return std::nullopt;
}

BuiltinDoc docOf(const Entry& e) {
  return {e.name, e.signature, e.doc, e.kind};
}

} // namespace

bool isRandomFunction(std::string_view name) {
  return inScope(Scope::Random, name);
}

bool isLinalgFunction(std::string_view name) {
  return inScope(Scope::Linalg, name);
}

bool isArrayMethod(std::string_view name) {
  return inScope(Scope::NdArray, name, BuiltinKind::Function);
}

bool isStrideTricksFunction(std::string_view name) {
  return name == "as_strided" || name == "sliding_window_view";
}

std::vector<std::string> builtinNames() {
  std::vector<std::string> names;
  for (const Entry& e : kBuiltins)
    if (e.scope == Scope::TopLevel) names.emplace_back(e.name);
  return names;
}

std::vector<BuiltinDoc> builtinsIn(std::string_view space) {
  std::vector<BuiltinDoc> docs;
  std::optional<Scope> scope = scopeNamed(space);
  if (!scope) return docs;
  for (const Entry& e : kBuiltins)
    if (e.scope == *scope) docs.push_back(docOf(e));
  return docs;
}

std::optional<BuiltinDoc> builtinDoc(std::string_view name) {
  std::string_view space;
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos) {
    space = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  std::optional<Scope> scope = scopeNamed(space);
  if (!scope) return std::nullopt;
  for (const Entry& e : kBuiltins)
    if (e.scope == *scope && name == e.name) return docOf(e);
  return std::nullopt;
}

std::vector<BuiltinDoc> allBuiltinDocs() {
  std::vector<BuiltinDoc> docs;
  for (const Entry& e : kBuiltins) docs.push_back(docOf(e));
  return docs;
}

bool isNumpyName(std::string_view scope, std::string_view name) {
  struct Entry {
    std::string_view scope, name;
  };
  static const Entry kNames[] = {
#define NUMPY_NAME(scope, name) {scope, name},
#include "compiler/sema/NumpyNames.def"
#undef NUMPY_NAME
  };
  for (const Entry& e : kNames)
    if (e.scope == scope && e.name == name) return true;
  return false;
}

std::string notInRavelYet(std::string_view scope, std::string_view name) {
  const std::string qualified = scope == "ndarray" ? "numpy.ndarray." : std::string(scope) + ".";
  return qualified + std::string(name) + " is not in ravel yet";
}

void raiseIfNumpyName(std::string_view scope, std::string_view name, Span span) {
  if (isNumpyName(scope, name)) raise(ErrorKind::Name, span, notInRavelYet(scope, name));
}

std::string suggestName(const std::string& name, const std::vector<std::string>& candidates) {
  // Python's rule: the closest candidate within (len(a) + len(b) + 3) / 3 moves.
  std::string best;
  size_t bestDistance = SIZE_MAX;
  for (const std::string& c : candidates) {
    if (c == name) continue;
    size_t limit = (name.size() + c.size() + 3) * kMoveCost / 6;
    size_t d = editDistance(name, c);
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best.empty() ? "" : "did you mean '" + best + "'?";
}

} // namespace ravel::sema
