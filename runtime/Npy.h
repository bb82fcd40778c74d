// Npy: NumPy's .npy file format (numpy/lib/format.py), read and written
// without Python. A file is the magic "\x93NUMPY", a version byte pair, the
// header length (2 bytes in version 1.0, 4 in 2.0 and 3.0, little-endian),
// the header (a Python dict literal: descr, fortran_order, shape, padded
// with spaces and a newline) and then the raw elements.
//
// Reading never trusts the file: the header is parsed by a strict literal
// parser (no eval), and the data size implied by the header is compared
// with the file size before any memory is allocated. Writing is atomic: the
// bytes go to a temporary file in the destination's directory, which is
// fsync'ed and renamed over the destination; a failed write (a full disk,
// the file-size limit: SIGXFSZ is ignored) removes the temporary file.
//
// Errors are RuntimeError: ErrorKind::File for what the operating system
// refused (a missing file, a directory, a full disk), ErrorKind::Value for
// malformed content. Every message names the file.
#pragma once

#include "runtime/Array.h"

#include <string>
#include <string_view>

namespace ravel {

/// The largest header np.load accepts without allow_pickle (NumPy 1.24's
/// max_header_size).
constexpr int64_t kNpyMaxHeaderSize = 10000;

/// What a .npy header says about the data that follows it.
struct NpyHeader {
  int majorVersion = 1;
  DType dtype = DType::Float64;
  bool bigEndian = false;    // the elements need a byte swap on this (little-endian) host
  bool fortranOrder = false; // the elements are stored in Fortran (column-major) order
  Shape shape;
  int64_t dataOffset = 0; // bytes from the file start to the first element
  int64_t dataBytes = 0;  // size of the data the shape implies
};

/// Parses the start of a .npy file. `fileStart` holds the file's first bytes
/// (the whole header at least, or the whole file when it is shorter);
/// `fileSize` is the file's length, against which the header and the data
/// it implies are checked. `path` names the file in messages.
NpyHeader parseNpyHeader(std::string_view fileStart, int64_t fileSize, const std::string& path,
                         int64_t maxHeaderSize = kNpyMaxHeaderSize);

/// Opens a .npy file and parses its header (for np.load and for mapping a
/// .npy file's data). The file is checked to hold all the data.
NpyHeader readNpyHeader(const std::string& path, int64_t maxHeaderSize = kNpyMaxHeaderSize);

/// np.load of a .npy file: a new array in native byte order; Fortran-order
/// data loads as an F-strided array (read once, not reordered); bool bytes
/// other than 0 and 1 read as True.
Array loadNpy(const std::string& path, int64_t maxHeaderSize = kNpyMaxHeaderSize);

/// Python's ValueError "embedded null byte" for a path holding a NUL (the
/// system would see only the part before it), in ravel's form: "cannot
/// <verb> 't.npy\x00junk': embedded null byte". Every file function checks.
void checkPathHasNoNul(const char* verb, const std::string& path);

/// Ignores SIGXFSZ, as Python does at start-up: a write past the file-size
/// limit (ulimit -f) then fails with EFBIG, reported as a File error, instead
/// of killing the process. A handler the host program installed is kept.
void ignoreFileSizeSignal();

/// The path np.save writes to: `path` with ".npy" appended unless it ends so.
std::string npySavePath(const std::string& path);

/// The bytes np.save writes before the data of an array with this dtype,
/// order and shape: magic, version 1.0 (2.0 if the header needs it), and the
/// dict padded so that the data starts at a multiple of 64.
std::string encodeNpyHeader(DType dtype, bool fortranOrder, const Shape& shape);

/// np.save to exactly `path` (see npySavePath): an F-contiguous array that
/// is not C-contiguous is written in Fortran order, anything else in C
/// order. Atomic: on any failure the destination is left as it was.
void saveNpy(const std::string& path, const Array& a);

} // namespace ravel
