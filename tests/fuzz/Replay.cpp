// Replays a libFuzzer target without libFuzzer: runs LLVMFuzzerTestOneInput
// over every file in the directories given on the command line (the
// target's corpus and the inputs that once crashed it), in name order. A
// crash, an abort or a failed check in the target fails the test; a missing
// directory or an empty first directory (the corpus) does too, so the test
// cannot pass without running anything.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s corpus-dir [more-dirs...]\n", argv[0]);
    return 2;
  }
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  for (int d = 1; d < argc; ++d) {
    const fs::path dir = argv[d];
    if (!fs::is_directory(dir)) {
      std::fprintf(stderr, "replay: %s is not a directory\n", dir.c_str());
      return 1;
    }
    std::vector<fs::path> files;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (d == 1 && files.empty()) {
      std::fprintf(stderr, "replay: the corpus %s is empty\n", dir.c_str());
      return 1;
    }
    for (const fs::path& f : files) {
      std::ifstream in(f, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), {});
      if (!in.good() && !in.eof()) {
        std::fprintf(stderr, "replay: cannot read %s\n", f.c_str());
        return 1;
      }
      // Named before running, so a crash's log says which input it was.
      std::fprintf(stderr, "replay: %s\n", f.c_str());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("replay: %zu inputs from %s\n", files.size(), dir.c_str());
  }
  return 0;
}
