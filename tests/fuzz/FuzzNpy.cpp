// fuzz_npy: arbitrary bytes as a .npy file. The header parser runs on the
// bytes in memory; then the bytes are written to a temporary file and go
// through np.load (loadNpy), np.load(mmap_mode='r' and 'c') (mapNpy) and a
// memmap of the raw file (mapFile). Every array that loads is printed, and
// saved and loaded again, which must give back the same dtype, shape and
// bytes. Malformed files must end in RuntimeError (File or Value), never a
// crash, an InternalError, or a read outside the file.
#include "runtime/Memmap.h"
#include "runtime/Npy.h"
#include "runtime/Print.h"
#include "tests/fuzz/FuzzSupport.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

using namespace ravel;

std::string gDir;

/// Writes `bytes` to `path`, replacing it.
void writeFile(const std::string& path, const uint8_t* data, size_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fuzz::unexpected("fuzz_npy", ("cannot write " + path).c_str());
  size_t done = 0;
  while (done < size) {
    const ssize_t w = ::write(fd, data + done, size - done);
    if (w <= 0) fuzz::unexpected("fuzz_npy", ("cannot write " + path).c_str());
    done += size_t(w);
  }
  ::close(fd);
}

/// The elements of `a` in C order, as bytes (bool bytes as 0 or 1: a
/// mapping shows a file's bytes as they are, a load normalises them).
std::string cOrderBytes(const Array& a) {
  const Array c = a.isCContiguous() ? a : a.copy();
  std::string out(c.data(), size_t(c.nbytes()));
  if (a.dtype() == DType::Bool)
    for (char& b : out) b = b != 0;
  return out;
}

/// Prints `a`, reads every element, and checks that save + load round-trips.
void exercise(const Array& a) {
  (void)formatArrayStr(a);
  (void)formatArrayRepr(a);
  const std::string bytes = cOrderBytes(a);
  const std::string saved = gDir + "/saved.npy";
  saveNpy(saved, a);
  const Array back = loadNpy(saved);
  if (back.dtype() != a.dtype() || back.shape() != a.shape() || cOrderBytes(back) != bytes)
    fuzz::unexpected("fuzz_npy", "save then load changed the array");
}

/// Runs one step; a RuntimeError is a fine answer to a malformed file.
template <class Body> void attempt(Body body) {
  try {
    body();
  } catch (const RuntimeError& e) {
    if (std::strlen(e.what()) == 0) fuzz::unexpected("fuzz_npy", "an empty error message");
  } catch (const InternalError& e) {
    fuzz::unexpected("fuzz_npy", (std::string("InternalError: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    fuzz::unexpected("fuzz_npy", e.what());
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Files claim at most what they hold, but keep allocations small anyway.
  setAllocationLimit(int64_t(256) << 20);
  // In memory when possible: save fsyncs every file it writes.
  std::string tmpl = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm/ravel-fuzz-npy-XXXXXX"
                                                     : "/tmp/ravel-fuzz-npy-XXXXXX";
  if (!::mkdtemp(tmpl.data())) fuzz::unexpected("fuzz_npy", "mkdtemp failed");
  gDir = tmpl;
  std::atexit([] { std::filesystem::remove_all(gDir); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  attempt([&] { (void)parseNpyHeader(bytes, int64_t(size), "<fuzz>"); });
  const std::string path = gDir + "/input.npy";
  writeFile(path, data, size);
  attempt([&] { exercise(loadNpy(path)); });
  attempt([&] { exercise(mapNpy(path, MapMode::ReadOnly)); });
  attempt([&] { exercise(mapNpy(path, MapMode::CopyOnWrite)); });
  // The raw bytes as a memmap: the file's first byte picks the dtype and the
  // second an offset.
  attempt([&] {
    MapRequest req;
    req.path = path;
    req.mode = MapMode::ReadOnly;
    static const DType kTypes[] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32,
                                   DType::Float64};
    req.dtype = kTypes[size > 0 ? data[0] % 5 : 0];
    req.offset = size > 1 ? data[1] % 16 : 0;
    exercise(mapFile(req));
  });
  return 0;
}
