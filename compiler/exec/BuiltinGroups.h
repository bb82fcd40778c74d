// Groups of builtin functions and array methods, one file each, that
// Interpreter::callBuiltin consults after its own core set. Each returns
// nullopt when it does not know the name. Methods arrive as ".name" with the
// receiver array as args[0].
#pragma once

#include "compiler/exec/Args.h"
#include "runtime/Print.h"

#include <optional>
#include <string>

namespace ravel::exec {

struct BuiltinCall; // Registry.h: the implementations listed in Builtins.def take one

/// Views and layout (ViewFunctions.cpp).
Value builtinSwapaxes(BuiltinCall& call);
Value builtinSqueeze(BuiltinCall& call);
Value builtinMoveaxis(BuiltinCall& call);
Value builtinExpandDims(BuiltinCall& call);
Value builtinBroadcastTo(BuiltinCall& call);
Value builtinSlidingWindowView(BuiltinCall& call);
Value builtinAsStrided(BuiltinCall& call);
Value builtinFlip(BuiltinCall& call);
Value builtinFlipLrUd(BuiltinCall& call);
Value builtinAtleastNd(BuiltinCall& call);
Value builtinSharesMemory(BuiltinCall& call);
Value builtinAscontiguousarray(BuiltinCall& call);
Value builtinAsfortranarray(BuiltinCall& call);

/// Joining, splitting, repeating, clipping and identity matrices (Joining.cpp).
Value builtinSplit(BuiltinCall& call);
Value builtinHVSplit(BuiltinCall& call);
Value builtinCopyto(BuiltinCall& call);
Value builtinRoll(BuiltinCall& call);
Value builtinRepeat(BuiltinCall& call);
Value builtinClip(BuiltinCall& call);
Value builtinConcatenate(BuiltinCall& call);
Value builtinStack(BuiltinCall& call);
Value builtinHVStack(BuiltinCall& call);
Value builtinTile(BuiltinCall& call);
Value builtinEye(BuiltinCall& call);
Value builtinIdentity(BuiltinCall& call);
Value builtinColumnStack(BuiltinCall& call);
Value builtinDstack(BuiltinCall& call);
Value builtinBlock(BuiltinCall& call);

/// Advanced-indexing functions (AdvancedIndexing.cpp); take and nonzero are
/// also the ndarray methods.
Value builtinTake(BuiltinCall& call);
Value builtinNonzero(BuiltinCall& call);
Value builtinCountNonzero(BuiltinCall& call);
Value builtinFlatnonzero(BuiltinCall& call);
Value builtinArgwhere(BuiltinCall& call);
/// Statistics (Statistics.cpp): argmax/argmin, cumsum/cumprod, std/var and
/// ptp (also as methods), diff, isclose/allclose, array_equal, array_equiv,
/// nansum/nanmean, nanmax/nanmin, average. Impls shared by a pair tell them
/// apart by call.name.
Value builtinArgExtreme(BuiltinCall& call);
Value builtinAccumulate(BuiltinCall& call);
Value builtinVariance(BuiltinCall& call);
Value builtinPtp(BuiltinCall& call);
Value builtinDiff(BuiltinCall& call);
Value builtinEdiff1d(BuiltinCall& call);
Value builtinTrapz(BuiltinCall& call);
Value builtinIsclose(BuiltinCall& call);
Value builtinArrayEqual(BuiltinCall& call);
Value builtinArrayEquiv(BuiltinCall& call);
Value builtinNanSum(BuiltinCall& call);
Value builtinNanExtreme(BuiltinCall& call);
Value builtinAverage(BuiltinCall& call);
/// nanstd/nanvar, nanprod, nancumsum/nancumprod, nanargmax/nanargmin.
Value builtinNanVariance(BuiltinCall& call);
Value builtinNanProd(BuiltinCall& call);
Value builtinNanAccumulate(BuiltinCall& call);
Value builtinNanArgExtreme(BuiltinCall& call);
/// Sorting (Sorting.cpp): sort (the `a.sort()` method sorts in place),
/// argsort, searchsorted (also as methods), unique.
Value builtinSort(BuiltinCall& call);
Value builtinArgsort(BuiltinCall& call);
Value builtinSearchsorted(BuiltinCall& call);
Value builtinUnique(BuiltinCall& call);
/// partition/argpartition (also as methods; `a.partition()` is in place).
Value builtinPartition(BuiltinCall& call);
/// Order statistics (Quantiles.cpp): median, percentile/quantile, bincount.
Value builtinMedian(BuiltinCall& call);
Value builtinQuantile(BuiltinCall& call);
Value builtinBincount(BuiltinCall& call);
/// Sets (Sets.cpp): isin/in1d, intersect1d, union1d, setdiff1d, setxor1d.
Value builtinIn1d(BuiltinCall& call);
Value builtinIntersect1d(BuiltinCall& call);
Value builtinUnion1d(BuiltinCall& call);
Value builtinSetdiff1d(BuiltinCall& call);
Value builtinSetxor1d(BuiltinCall& call);
/// Binning (Histograms.cpp): digitize, histogram, histogram_bin_edges, interp.
Value builtinDigitize(BuiltinCall& call);
Value builtinHistogram(BuiltinCall& call);
Value builtinHistogramBinEdges(BuiltinCall& call);
Value builtinInterp(BuiltinCall& call);
/// A reduction's `axis=` (None, an int or a tuple of ints) as sorted,
/// normalized axes, with NumPy's AxisError and duplicate-axis errors.
std::vector<int> reductionAxes(const Value& axis, int ndim, Span span);
/// A reduction's result with size-1 axes put back where `axes` were reduced
/// (keepdims=True), as a new array owning its memory like NumPy's
/// (Statistics.cpp); computed now. Given the reduced value, the length-1
/// axes take their place in its memory order, as NumPy's iterator
/// allocates the result (they show in `.strides`).
Value ownedKeepDims(Interpreter& in, const Value& r, const std::vector<int>& axes, int ndim,
                    Span span, const Value* reduced = nullptr);

/// Creation (Creation.cpp): meshgrid, tri, tril, triu, pad, logspace,
/// geomspace, indices.
Value builtinMeshgrid(BuiltinCall& call);
Value builtinTri(BuiltinCall& call);
Value builtinTril(BuiltinCall& call);
Value builtinTriu(BuiltinCall& call);
Value builtinPad(BuiltinCall& call);
Value builtinLogspace(BuiltinCall& call);
Value builtinGeomspace(BuiltinCall& call);
Value builtinIndices(BuiltinCall& call);

/// numpy.mgrid / numpy.ogrid subscripted: `grid[index]` (Grids.cpp).
Value gridSubscript(Interpreter& in, const Value& grid, const std::vector<Value>& index, Span span);

/// numpy.iinfo and numpy.finfo (MachineLimits.cpp): the constructors, an
/// info object's attributes (nullopt when it has none of that name), and
/// its str and repr.
Value builtinIinfo(BuiltinCall& call);
Value builtinFinfo(BuiltinCall& call);
std::optional<Value> machInfoAttribute(Interpreter& in, const Value& info, const std::string& attr);
std::string machInfoStr(const Value& info);
std::string machInfoRepr(const Value& info);

/// Shaping (Shaping.cpp): rot90, take_along_axis, put_along_axis,
/// trim_zeros, resize, select, diagflat, put, choose.
Value builtinRot90(BuiltinCall& call);
Value builtinTakeAlongAxis(BuiltinCall& call);
Value builtinPutAlongAxis(BuiltinCall& call);
Value builtinTrimZeros(BuiltinCall& call);
Value builtinResize(BuiltinCall& call);
Value builtinSelect(BuiltinCall& call);
Value builtinDiagflat(BuiltinCall& call);
Value builtinPut(BuiltinCall& call);
Value builtinChoose(BuiltinCall& call);

/// numpy.random (RandomStreams.cpp): the legacy RandomState functions and
/// default_rng with its Generator's methods.
Value randomRandomState(BuiltinCall& call);
Value randomSeed(BuiltinCall& call);
Value randomRand(BuiltinCall& call); // rand and randn
Value randomRandomSample(BuiltinCall& call);
Value randomRandint(BuiltinCall& call);
Value randomUniform(BuiltinCall& call);
Value randomNormal(BuiltinCall& call);
Value randomStandardNormal(BuiltinCall& call);
Value randomExponential(BuiltinCall& call);
Value randomLognormal(BuiltinCall& call);
Value randomLaplace(BuiltinCall& call);
Value randomGumbel(BuiltinCall& call);
Value randomLogistic(BuiltinCall& call);
Value randomWeibull(BuiltinCall& call);
Value randomPareto(BuiltinCall& call);
Value randomPower(BuiltinCall& call);
Value randomStandardGamma(BuiltinCall& call);
Value randomGamma(BuiltinCall& call);
Value randomChisquare(BuiltinCall& call);
Value randomStandardT(BuiltinCall& call);
Value randomBeta(BuiltinCall& call);
Value randomPoisson(BuiltinCall& call);
Value randomChoice(BuiltinCall& call);
Value randomShuffle(BuiltinCall& call);
Value randomPermutation(BuiltinCall& call);
Value randomDefaultRng(BuiltinCall& call);
Value generatorRandom(BuiltinCall& call);
Value generatorIntegers(BuiltinCall& call);
Value generatorUniform(BuiltinCall& call);
Value generatorPoisson(BuiltinCall& call);
Value generatorChoice(BuiltinCall& call);
Value generatorPermutation(BuiltinCall& call);
Value generatorShuffle(BuiltinCall& call);
/// numpy.random's distributions with broadcast array parameters
/// (RandomDistributions.cpp): the legacy binomial and the Generator's
/// ziggurat normal and exponential and binomial.
Value randomBinomial(BuiltinCall& call);
Value generatorStandardNormal(BuiltinCall& call);
Value generatorNormal(BuiltinCall& call);
Value generatorStandardExponential(BuiltinCall& call);
Value generatorExponential(BuiltinCall& call);
Value generatorBinomial(BuiltinCall& call);
Value generatorStandardGammaMethod(BuiltinCall& call);
Value generatorGamma(BuiltinCall& call);
Value generatorChisquare(BuiltinCall& call);
Value generatorStandardT(BuiltinCall& call);
Value generatorLognormal(BuiltinCall& call);

/// Index arithmetic (IndexMath.cpp): unravel_index, ravel_multi_index, lexsort.
Value builtinUnravelIndex(BuiltinCall& call);
Value builtinRavelMultiIndex(BuiltinCall& call);
Value builtinLexsort(BuiltinCall& call);

/// Files (Files.cpp): save, load, memmap, and a memmap's flush().
Value builtinSave(BuiltinCall& call);
Value builtinSavetxt(BuiltinCall& call);
Value builtinLoadtxt(BuiltinCall& call);
Value builtinLoad(BuiltinCall& call);
Value builtinMemmap(BuiltinCall& call);
Value builtinFlush(BuiltinCall& call);

/// The core builtins (Builtins.cpp): creation, reductions and their
/// methods, shaping, where/around, Python's print/len/repr/str/float/int/bool,
/// and the ndarray methods astype, copy, fill, item, reshape, ravel, flatten,
/// transpose. One impl serves names NumPy implements alike (call.name tells).
Value builtinReduction(BuiltinCall& call);
Value builtinAround(BuiltinCall& call);
Value builtinAstype(BuiltinCall& call);
Value builtinCopy(BuiltinCall& call);
Value builtinFill(BuiltinCall& call);
Value builtinItem(BuiltinCall& call);
Value builtinToList(BuiltinCall& call);
Value builtinReshape(BuiltinCall& call);
Value builtinRavelOrFlatten(BuiltinCall& call);
Value builtinTranspose(BuiltinCall& call);
Value builtinWhere(BuiltinCall& call);
Value builtinPrint(BuiltinCall& call);
Value builtinArrayOrAsarray(BuiltinCall& call);
Value builtinZerosOnesEmpty(BuiltinCall& call);
Value builtinFull(BuiltinCall& call);
Value builtinLike(BuiltinCall& call);
Value builtinArange(BuiltinCall& call);
Value builtinLinspace(BuiltinCall& call);
Value builtinReprOrStr(BuiltinCall& call);
Value builtinLen(BuiltinCall& call);
Value builtinPythonNumber(BuiltinCall& call);
Value builtinShapeNdimSize(BuiltinCall& call);

/// Math functions composed of elementwise ops (MathFunctions.cpp).
Value builtinFix(BuiltinCall& call);
Value builtinIsPosNegInf(BuiltinCall& call);
Value builtinModf(BuiltinCall& call);
Value builtinFrexp(BuiltinCall& call);
Value builtinDivmod(BuiltinCall& call);
Value builtinNanToNum(BuiltinCall& call);
Value builtinConjugate(BuiltinCall& call);
Value builtinRealImag(BuiltinCall& call);

/// Floating-point error modes (FpErrors.cpp): geterr; seterr and errstate
/// (one impl: errstate checks its keywords now, `with` applies them).
Value builtinSetPrintoptions(BuiltinCall& call);
Value builtinGetPrintoptions(BuiltinCall& call);
Value builtinPrintoptions(BuiltinCall& call);
/// `options` with set_printoptions' keywords applied (NumPy's checks);
/// `fname` names the function in messages.
PrintOptions applyPrintOptions(Interpreter& in, PrintOptions options, const Kwargs& kwargs,
                               const std::string& fname, Span span);
Value builtinGeterr(BuiltinCall& call);
Value builtinSeterrOrErrstate(BuiltinCall& call);

/// Python's iteration builtins (ControlFlow.cpp): range, zip, enumerate,
/// list and tuple (one impl).
Value builtinRange(BuiltinCall& call);
Value builtinSlice(BuiltinCall& call);
Value builtinZip(BuiltinCall& call);
Value builtinEnumerate(BuiltinCall& call);
Value builtinListOrTuple(BuiltinCall& call);

/// Matrix products (Products.cpp); dot, trace and diagonal are also the
/// ndarray methods.
Value builtinMatmul(BuiltinCall& call);
Value builtinDot(BuiltinCall& call);
Value builtinVdot(BuiltinCall& call);
Value builtinInner(BuiltinCall& call);
Value builtinOuter(BuiltinCall& call);
Value builtinTensordot(BuiltinCall& call);
Value builtinKron(BuiltinCall& call);
Value builtinTrace(BuiltinCall& call);
Value builtinDiag(BuiltinCall& call);
Value builtinDiagonal(BuiltinCall& call);
Value builtinEinsum(BuiltinCall& call);
/// `a @ b`: NumPy's matmul, or Python's TypeError when neither is an array.
Value matmulOperator(Interpreter& in, const Value& a, const Value& b, Span span);
/// `a @ b + c` (or `c + a @ b`): the add folded into the product when c fits
/// its dtype and shape (gemm's beta), else the product, then the add.
Value matmulAddOperator(Interpreter& in, const Value& a, const Value& b, const Value& c,
                        Span matmulSpan, Span addSpan, bool addendFirst);
/// numpy.linalg (Linalg.cpp), on LAPACK.
Value builtinLinalgSolve(BuiltinCall& call);
Value builtinLinalgInv(BuiltinCall& call);
Value builtinLinalgDet(BuiltinCall& call);
Value builtinLinalgSlogdet(BuiltinCall& call);
Value builtinLinalgNorm(BuiltinCall& call);
Value builtinLinalgCholesky(BuiltinCall& call);
Value builtinLinalgQr(BuiltinCall& call);
Value builtinLinalgEigh(BuiltinCall& call);
Value builtinLinalgEigvalsh(BuiltinCall& call);
Value builtinLinalgEig(BuiltinCall& call);
Value builtinLinalgEigvals(BuiltinCall& call);
Value builtinLinalgSvd(BuiltinCall& call);
Value builtinLinalgLstsq(BuiltinCall& call);
Value builtinLinalgPinv(BuiltinCall& call);
Value builtinLinalgMatrixRank(BuiltinCall& call);
Value builtinLinalgMatrixPower(BuiltinCall& call);
Value builtinLinalgCond(BuiltinCall& call);
Value builtinLinalgMultiDot(BuiltinCall& call);
/// append, insert, delete (InsertDelete.cpp).
Value builtinAppend(BuiltinCall& call);
Value builtinInsert(BuiltinCall& call);
Value builtinDelete(BuiltinCall& call);
/// cov, corrcoef (Covariance.cpp).
Value builtinCov(BuiltinCall& call);
Value builtinCorrcoef(BuiltinCall& call);
/// convolve, correlate, cross (Signal.cpp).
Value builtinConvolve(BuiltinCall& call);
Value builtinCorrelate(BuiltinCall& call);
Value builtinCross(BuiltinCall& call);
/// gradient (Gradient.cpp).
Value builtinGradient(BuiltinCall& call);
/// Index helpers and broadcasting (IndexHelpers.cpp).
Value builtinTriangleIndices(BuiltinCall& call);
Value builtinTriangleIndicesFrom(BuiltinCall& call);
Value builtinDiagIndices(BuiltinCall& call);
Value builtinDiagIndicesFrom(BuiltinCall& call);
Value builtinFillDiagonal(BuiltinCall& call);
Value builtinBroadcastShapes(BuiltinCall& call);
Value builtinBroadcastArrays(BuiltinCall& call);
/// isscalar, result_type, promote_types, can_cast (TypeQueries.cpp).
Value builtinIsscalar(BuiltinCall& call);
Value builtinResultType(BuiltinCall& call);
Value builtinPromoteTypes(BuiltinCall& call);
Value builtinCanCast(BuiltinCall& call);
/// polyval, vander, sinc (Polynomials.cpp).
Value builtinPolyval(BuiltinCall& call);
Value builtinVander(BuiltinCall& call);
Value builtinSinc(BuiltinCall& call);
Value builtinPolyfit(BuiltinCall& call);
/// polyder, polyint, polyadd, polysub, polymul, polydiv, poly, roots
/// (PolynomialAlgebra.cpp).
Value builtinPolyder(BuiltinCall& call);
Value builtinPolyint(BuiltinCall& call);
Value builtinPolyadd(BuiltinCall& call);
Value builtinPolysub(BuiltinCall& call);
Value builtinPolymul(BuiltinCall& call);
Value builtinPolydiv(BuiltinCall& call);
Value builtinPoly(BuiltinCall& call);
Value builtinRoots(BuiltinCall& call);
Value builtinWindow(BuiltinCall& call);
/// kaiser (Windows.cpp), from i0 (Bessel.cpp).
Value builtinKaiser(BuiltinCall& call);
Value builtinI0(BuiltinCall& call);
/// NumPy's i0(x) as a value: float64 for non-float x, float32 kept.
Value besselI0(Interpreter& in, const Value& x, Span span);
/// unwrap (Unwrap.cpp).
Value builtinUnwrap(BuiltinCall& call);
/// histogram2d, histogramdd (HistogramDD.cpp).
Value builtinHistogramdd(BuiltinCall& call);
/// NumPy's old spellings (Aliases.cpp).
Value builtinAlias(BuiltinCall& call);
Value builtinMsort(BuiltinCall& call);
/// A function of numpy.linalg that ravel has.
bool isLinalgFunction(const std::string& name);

/// Array attributes that are not methods, beyond the core set (`.flags`);
/// nullopt when unknown.
std::optional<Value> viewAttribute(Interpreter& in, const ArrayRef& a, const std::string& attr,
                                   Span span);

/// Every array method name (`x.name(...)`), for attribute lookup.
bool isArrayMethod(const std::string& name);

} // namespace ravel::exec
