#include "compiler/aot/CpuCheck.h"

#include <cstdlib>
#include <sstream>
#include <vector>

namespace ravel::aot {

namespace {

struct Feature {
  const char* name;
  int level; // the first x86-64 level that has it
  bool (*present)();
};

// __builtin_cpu_supports takes a string literal only, hence one lambda each.
const Feature kFeatures[] = {
    {"sse4.2", 2, [] { return bool(__builtin_cpu_supports("sse4.2")); }},
    {"popcnt", 2, [] { return bool(__builtin_cpu_supports("popcnt")); }},
    {"avx", 3, [] { return bool(__builtin_cpu_supports("avx")); }},
    {"avx2", 3, [] { return bool(__builtin_cpu_supports("avx2")); }},
    {"fma", 3, [] { return bool(__builtin_cpu_supports("fma")); }},
    {"bmi", 3, [] { return bool(__builtin_cpu_supports("bmi")); }},
    {"bmi2", 3, [] { return bool(__builtin_cpu_supports("bmi2")); }},
    {"avx512f", 4, [] { return bool(__builtin_cpu_supports("avx512f")); }},
    {"avx512bw", 4, [] { return bool(__builtin_cpu_supports("avx512bw")); }},
    {"avx512dq", 4, [] { return bool(__builtin_cpu_supports("avx512dq")); }},
    {"avx512vl", 4, [] { return bool(__builtin_cpu_supports("avx512vl")); }},
    {"avx512cd", 4, [] { return bool(__builtin_cpu_supports("avx512cd")); }},
};

int levelOf(const std::string& cpu) {
  return cpu == "x86-64-v2" ? 2 : cpu == "x86-64-v3" ? 3 : cpu == "x86-64-v4" ? 4 : 0;
}

} // namespace

bool knownCpu(const std::string& cpu) {
  return cpu == "native" || levelOf(cpu) != 0;
}

std::string requiredFeatures(const std::string& cpu) {
  const int level = levelOf(cpu);
  std::string list;
  for (const Feature& f : kFeatures)
    if (level ? f.level <= level : f.present())
      list += (list.empty() ? "" : ",") + std::string(f.name);
  return list;
}

std::string missingFeatures(const std::string& required) {
  // RAVEL_AOT_PRETEND_MISSING=avx2,fma: features to treat as absent, so the
  // refusal can be tested on a machine that has them.
  const char* pretend = std::getenv("RAVEL_AOT_PRETEND_MISSING");
  const std::string absent = pretend ? "," + std::string(pretend) + "," : "";
  std::string missing;
  std::stringstream names(required);
  for (std::string name; std::getline(names, name, ',');) {
    for (const Feature& f : kFeatures)
      if (name == f.name && (!f.present() || absent.find("," + name + ",") != std::string::npos))
        missing += (missing.empty() ? "" : ", ") + name;
  }
  return missing;
}

} // namespace ravel::aot
