// Memmap: NumPy's np.memmap, an array whose memory is a mapping of a file's
// raw bytes (no header), and the mapping of a .npy file's data
// (np.load(mmap_mode=...)). The result is an ordinary Array whose Buffer is
// the mapping, so kernels stream the file's pages directly; the mapping is
// msync'ed and unmapped when the last Array using it goes away.
//
// Differences from NumPy, on purpose: a file shorter than the requested
// region is an error in every mode (NumPy's r+ and w+ silently extend it),
// and w+ refuses to replace an existing file (NumPy truncates it). w+
// reserves the new file's blocks before mapping it, so a full disk or the
// file-size limit is a File error then, not SIGBUS at the first write. A file
// truncated by another process while it is mapped makes the next access to
// a lost page raise SIGBUS, which ends the process.
#pragma once

#include "runtime/Array.h"

#include <optional>
#include <string>
#include <string_view>

namespace ravel {

enum class MapMode {
  ReadOnly,    // 'r': PROT_READ; writes are rejected (the Array is not writeable)
  ReadWrite,   // 'r+': MAP_SHARED; writes reach the file
  Create,      // 'w+': a new zero-filled file of the requested size, then as 'r+'
  CopyOnWrite, // 'c': MAP_PRIVATE; writes stay in this process
};

/// NumPy's mode names: 'r' 'readonly', 'r+' 'readwrite', 'w+' 'write',
/// 'c' 'copyonwrite'; nullopt for anything else.
std::optional<MapMode> parseMapMode(std::string_view mode);

/// What to map: np.memmap's arguments.
struct MapRequest {
  std::string path;
  DType dtype = DType::Float64;
  MapMode mode = MapMode::ReadWrite;
  int64_t offset = 0;         // bytes from the file start to the first element
  std::optional<Shape> shape; // nullopt: the rest of the file as a 1-d array
  bool fortranOrder = false;  // F strides instead of C strides
};

/// Maps a file region as an array. Throws RuntimeError: File for what the
/// system refuses (a missing file, an existing file in w+ mode, mmap
/// failing), Value for a region the file cannot hold (a short or empty file,
/// an offset past the end, a size that is not a whole number of elements).
Array mapFile(const MapRequest& request);

/// memmap.flush(): writes the mapping's changed pages to the file now (they
/// are written when the last array using the mapping goes away anyway).
/// Returns false for an array that is not a file mapping.
bool flushMapping(const Array& a);

/// np.load(path, mmap_mode=mode): the data of a .npy file, mapped. The file
/// must be in native byte order; w+ is not a load mode.
Array mapNpy(const std::string& path, MapMode mode);

} // namespace ravel
