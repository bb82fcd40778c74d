// Memmap: file regions mapped as arrays (see Memmap.h).
//
// mapFile, in order:
//  1. open (w+: O_CREAT | O_EXCL, so an existing file is never replaced) and
//     fstat; only regular files map; w+ reserves the file's blocks
//     (posix_fallocate) so a full disk is an error here, not SIGBUS later;
//  2. the region: shape given -> offset + size x itemsize must fit in the
//     file (w+ first sizes its new file so); no shape -> the rest of the file,
//     which must be a whole number of elements;
//  3. mmap from the page holding `offset` (mmap offsets are page-aligned):
//     'r' PROT_READ + MAP_SHARED, 'r+'/'w+' read-write MAP_SHARED, 'c'
//     read-write MAP_PRIVATE; the descriptor is closed, the mapping stays;
//  4. an Array borrows the mapping and its Buffer takes over the release
//     (msync for shared writable mappings, then munmap).
// A failure at any step unmaps, and w+ removes the file it created.
#include "runtime/Memmap.h"

#include "runtime/Npy.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ravel {
namespace {

std::string quoted(const std::string& path) {
  std::string out = "'";
  for (char c : path) out += c == '\0' ? std::string("\\x00") : std::string(1, c);
  return out + "'";
}

[[noreturn]] void fail(ErrorKind kind, const std::string& path, const std::string& what) {
  throw RuntimeError(kind, "cannot memmap " + quoted(path) + ": " + what);
}

[[noreturn]] void failOs(const std::string& path, int err) {
  fail(ErrorKind::File, path, std::strerror(err));
}

/// Owns the descriptor, and a file created for w+ until the mapping exists.
struct OpenFile {
  int fd = -1;
  std::string createdPath; // removed on failure
  bool keep = false;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
    if (!createdPath.empty() && !keep) ::unlink(createdPath.c_str());
  }
};

Strides fortranStrides(const Shape& shape, int64_t itemsize) {
  Strides s(shape.size());
  int64_t stride = itemsize;
  for (size_t i = 0; i < shape.size(); ++i) {
    s[i] = stride;
    stride *= shape[i];
  }
  return s;
}

} // namespace

std::optional<MapMode> parseMapMode(std::string_view mode) {
  if (mode == "r" || mode == "readonly") return MapMode::ReadOnly;
  if (mode == "r+" || mode == "readwrite") return MapMode::ReadWrite;
  if (mode == "w+" || mode == "write") return MapMode::Create;
  if (mode == "c" || mode == "copyonwrite") return MapMode::CopyOnWrite;
  return std::nullopt;
}

Array mapFile(const MapRequest& req) {
  const std::string& path = req.path;
  checkPathHasNoNul("memmap", path);
  ignoreFileSizeSignal();
  const int64_t itemsize = itemSize(req.dtype);
  if (req.offset < 0)
    fail(ErrorKind::Value, path, "offset must be non-negative, got " + std::to_string(req.offset));
  if (req.mode == MapMode::Create && !req.shape)
    fail(ErrorKind::Value, path, "shape must be given for mode 'w+'");

  // The region's size, from the shape when there is one.
  int64_t count = 0, needed = 0;
  if (req.shape) {
    try {
      count = checkedSize(*req.shape, itemsize);
    } catch (const RuntimeError& e) {
      fail(e.kind(), path, e.what());
    }
    if (__builtin_add_overflow(req.offset, count * itemsize, &needed))
      fail(ErrorKind::Value, path, "offset plus the data size is too large");
  }

  OpenFile file;
  if (req.mode == MapMode::Create) {
    file.fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (file.fd < 0 && errno == EEXIST)
      fail(ErrorKind::File, path,
           "the file exists; mode 'w+' never replaces a file in ravel (use 'r+' to change it)");
    if (file.fd >= 0) file.createdPath = path;
  } else {
    file.fd =
        ::open(path.c_str(), (req.mode == MapMode::ReadWrite ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  }
  if (file.fd < 0) failOs(path, errno);
  struct stat st;
  if (::fstat(file.fd, &st) != 0) failOs(path, errno);
  if (!S_ISREG(st.st_mode)) failOs(path, S_ISDIR(st.st_mode) ? EISDIR : ENODEV);
  if (req.mode == MapMode::Create) {
    // Reserve the blocks now: a sparse file on a full disk maps fine, and
    // the first write to a page the disk cannot hold is SIGBUS.
    if (needed > 0)
      if (int err = ::posix_fallocate(file.fd, 0, off_t(needed)); err != 0)
        fail(ErrorKind::File, path,
             std::string(std::strerror(err)) + " (reserving " + std::to_string(needed) + " bytes)");
    if (::ftruncate(file.fd, off_t(needed)) != 0) failOs(path, errno);
    st.st_size = off_t(needed);
  }
  const int64_t fileSize = int64_t(st.st_size);

  Shape shape;
  if (req.shape) {
    shape = *req.shape;
    if (fileSize == 0) fail(ErrorKind::Value, path, "cannot map an empty file");
    if (fileSize < needed)
      fail(ErrorKind::Value, path,
           "the file has " + std::to_string(fileSize) + " bytes; shape " + formatShape(shape) +
               " of " + std::string(dtypeName(req.dtype)) + " at offset " +
               std::to_string(req.offset) + " needs " + std::to_string(needed) +
               " (ravel never extends a file)");
  } else {
    if (fileSize == 0) fail(ErrorKind::Value, path, "cannot map an empty file");
    if (req.offset > fileSize)
      fail(ErrorKind::Value, path,
           "offset " + std::to_string(req.offset) + " is past the end of the file (" +
               std::to_string(fileSize) + " bytes)");
    const int64_t available = fileSize - req.offset;
    if (available % itemsize != 0)
      fail(ErrorKind::Value, path,
           "size of available data (" + std::to_string(available) +
               " bytes) is not a multiple of the data-type size (" + std::to_string(itemsize) +
               ")");
    count = available / itemsize;
    shape = {count};
    needed = fileSize;
  }
  const Strides strides =
      req.fortranOrder ? fortranStrides(shape, itemsize) : contiguousStrides(shape, itemsize);

  if (count == 0) { // nothing to map (mmap refuses length 0)
    file.keep = true;
    Array empty = Array::empty(shape, req.dtype);
    return req.mode == MapMode::ReadOnly ? empty.readOnly() : empty;
  }

  const int64_t page = ::sysconf(_SC_PAGESIZE);
  const int64_t start = req.offset - req.offset % page;
  const int64_t length = needed - start;
  const int prot = req.mode == MapMode::ReadOnly ? PROT_READ : PROT_READ | PROT_WRITE;
  const int flags = req.mode == MapMode::CopyOnWrite ? MAP_PRIVATE : MAP_SHARED;
  void* mapped = ::mmap(nullptr, size_t(length), prot, flags, file.fd, off_t(start));
  if (mapped == MAP_FAILED) failOs(path, errno);
  char* base = static_cast<char*>(mapped);
  // Kernels stream a mapping front to back: read ahead, and let the system
  // drop pages behind the loop instead of keeping the whole file resident.
  ::madvise(mapped, size_t(length), MADV_SEQUENTIAL);
  const bool syncOnRelease = req.mode == MapMode::ReadWrite || req.mode == MapMode::Create;
  auto release = [base, length, syncOnRelease] {
    if (syncOnRelease) ::msync(base, size_t(length), MS_SYNC);
    ::munmap(base, size_t(length));
  };

  Array a;
  try {
    const int64_t skip = req.offset - start;
    a = Array::borrow(base + skip, length - skip, shape, strides, req.dtype);
  } catch (...) {
    release();
    throw;
  }
  a.buffer()->setRelease(release);
  file.keep = true;
  return req.mode == MapMode::ReadOnly ? a.readOnly() : a;
}

bool flushMapping(const Array& a) {
  const Buffer& b = *a.buffer();
  if (!b.adopted()) return false;
  const auto page = uintptr_t(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<uintptr_t>(b.data());
  const uintptr_t aligned = begin - begin % page; // msync wants a page boundary
  if (b.nbytes() > 0 && ::msync(reinterpret_cast<void*>(aligned),
                                size_t(begin - aligned) + size_t(b.nbytes()), MS_SYNC) != 0)
    throw RuntimeError(ErrorKind::File, std::string("flush failed: ") + std::strerror(errno));
  return true;
}

Array mapNpy(const std::string& path, MapMode mode) {
  if (mode == MapMode::Create)
    fail(ErrorKind::Value, path,
         "mmap_mode 'w+' would replace the file; load maps with 'r', "
         "'r+' or 'c'");
  const NpyHeader h = readNpyHeader(path);
  if (h.bigEndian)
    fail(ErrorKind::Value, path,
         "memmap requires native byte order; the file holds big-endian " +
             std::string(dtypeName(h.dtype)) + " (load it without mmap_mode to convert)");
  MapRequest req;
  req.path = path;
  req.dtype = h.dtype;
  req.mode = mode;
  req.offset = h.dataOffset;
  req.shape = h.shape;
  req.fortranOrder = h.fortranOrder;
  return mapFile(req);
}

} // namespace ravel
