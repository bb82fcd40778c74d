// RAVEL_VECTOR_CLONES: one clone of a vector loop per instruction set
// (AVX-512, AVX2, baseline), picked once at load time by an IFUNC resolver,
// so a portable binary still uses the host's full vector width.
//
// Under ThreadSanitizer the resolvers would run during relocation, before
// the TSan runtime is initialised, and crash at start-up (seen with GCC 12):
// there only the baseline version is built.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define RAVEL_VECTOR_CLONES
#define RAVEL_INTEGER_VECTOR_CLONES
#else
#define RAVEL_VECTOR_CLONES [[gnu::target_clones("avx512f", "avx2", "default")]]
// Integer kernels want AVX-512DQ's 64-bit multiply (vpmullq), which plain
// avx512f lacks: x86-64-v4 is AVX-512 F+BW+CD+DQ+VL.
#define RAVEL_INTEGER_VECTOR_CLONES [[gnu::target_clones("arch=x86-64-v4", "avx2", "default")]]
#endif
