// Files: np.save, np.load and np.memmap. The formats and the system calls
// live in runtime/Npy and runtime/Memmap; this file binds NumPy's
// signatures, computes the array being saved, and wraps what comes back as
// a materialized array value (a memmap is an ordinary array whose memory is
// the mapping, so kernels read and write the file's pages directly).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Memmap.h"
#include "runtime/Npy.h"

namespace ravel::exec {
namespace {

/// A path argument: a str (NumPy also takes bytes, path objects and open
/// files, which ravel does not have).
std::string toPath(const Value& v, Span span) {
  if (v.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span,
          std::string("expected str, bytes or os.PathLike object, not ") + typeName(v));
  return v.name;
}

std::string toModeText(const Value& v, const char* what, Span span) {
  if (v.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, std::string(what) + " must be a str, not " + typeName(v));
  return v.name;
}

/// A memmap mode argument ('r', 'r+', 'w+', 'c' or NumPy's long names).
MapMode toMapMode(const Value& v, const char* what, Span span) {
  const std::string mode = toModeText(v, what, span);
  if (std::optional<MapMode> m = parseMapMode(mode)) return *m;
  raise(ErrorKind::Value, span,
        "mode must be one of ['r', 'c', 'r+', 'w+', 'readonly', 'copyonwrite', 'readwrite', "
        "'write'] (got '" +
            mode + "')");
}

/// A file mapping as a value: an array that repr shows as memmap(...).
Value memmapValue(Interpreter& in, Array mapped) {
  Value v = in.materializedValue(std::move(mapped));
  v.array->isMemmap = true;
  return v;
}

} // namespace

Value builtinSave(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"file", {}},
                      {"arr", {}},
                      {"allow_pickle", Value::ofBool(true)},
                      {"fix_imports", Value::ofBool(true)}});
  const std::string path = npySavePath(toPath(a[0], span));
  Value arr = toArrayValue(in, a[1], span);
  Array data = in.materialize(arr.array, span);
  // A dry run (explain) plans kernels without running them: the data is not
  // computed, and the user's file must not be touched.
  if (in.dryRun()) return Value::none();
  try {
    saveNpy(path, data);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  return Value::none();
}

Value builtinLoad(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"file", {}},
                      {"mmap_mode", kNone},
                      {"allow_pickle", Value::ofBool(false)},
                      {"fix_imports", Value::ofBool(true)},
                      {"encoding", Value::ofStr("ASCII")},
                      {"max_header_size", Value::ofInt(kNpyMaxHeaderSize)}});
  const std::string path = toPath(a[0], span);
  // allow_pickle, fix_imports and encoding only matter for pickled data,
  // which ravel never reads: object arrays are an unsupported dtype.
  const int64_t maxHeaderSize = toInt(a[5], span);
  try {
    if (a[1].kind == Value::Kind::None) return in.materializedValue(loadNpy(path, maxHeaderSize));
    return memmapValue(in, mapNpy(path, toMapMode(a[1], "mmap_mode", span)));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value builtinMemmap(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"filename", {}},
                      {"dtype", kNone},
                      {"mode", Value::ofStr("r+")},
                      {"offset", Value::ofInt(0)},
                      {"shape", kNone},
                      {"order", Value::ofStr("C")}});
  MapRequest req;
  req.path = toPath(a[0], span);
  std::optional<DType> dtype = toDType(a[1], span);
  if (!dtype)
    raise(ErrorKind::Type, span,
          "memmap() needs a dtype in ravel: NumPy's default, uint8, is not a ravel dtype");
  req.dtype = *dtype;
  req.mode = toMapMode(a[2], "mode", span);
  req.offset = toInt(a[3], span);
  if (a[4].kind != Value::Kind::None) req.shape = toShape(a[4], span);
  const std::string order = toModeText(a[5], "order", span);
  if (order != "C" && order != "F")
    raise(ErrorKind::Value, span, "order must be one of 'C', 'F' (got '" + order + "')");
  req.fortranOrder = order == "F";
  if (in.dryRun() && req.mode == MapMode::Create) {
    // explain must not create (or refuse to create) the file: stand in an
    // uninitialized array of the shape the mapping would have.
    if (!req.shape) raise(ErrorKind::Value, span, "shape must be given if no data is loaded");
    return in.materializedValue(Array::empty(*req.shape, req.dtype));
  }
  try {
    return memmapValue(in, mapFile(req));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value builtinFlush(BuiltinCall& call) {
  call.bind({{"self", {}}});
  Array a = call.in.materialize(call.args[0].array, call.span);
  try {
    if (call.in.dryRun() || flushMapping(a)) return Value::none();
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, call.span);
  }
  // Only a memmap has flush().
  raise(ErrorKind::Name, call.span, "'numpy.ndarray' object has no attribute 'flush'");
}

} // namespace ravel::exec
