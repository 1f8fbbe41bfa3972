//===- BlasLibrary.cpp - load OpenBLAS with the right kernels -------------===//

#include "zo/Runtime/Blas.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#ifndef ZO_OPENBLAS_LIBRARY
#define ZO_OPENBLAS_LIBRARY "libopenblas.so.0"
#endif

using namespace mlir::zo::rt;

/// The OpenBLAS kernel family for this CPU, or null to let OpenBLAS decide.
static const char *chooseCoreType() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return "Haswell";
#endif
  return nullptr;
}

[[noreturn]] static void fatal(const char *what, const char *detail) {
  std::fprintf(stderr, "zo runtime: error: %s: %s\n", what,
               detail ? detail : "unknown error");
  std::exit(1);
}

const BlasLibrary &mlir::zo::rt::getBlasLibrary() {
  static BlasLibrary library;
  static std::once_flag once;
  std::call_once(once, [] {
    // OpenBLAS reads OPENBLAS_CORETYPE once, when it is loaded; a value the
    // user set (e.g. to avoid kernels that misbehave on a CPU) wins.
    if (!std::getenv("OPENBLAS_CORETYPE"))
      if (const char *core = chooseCoreType())
        setenv("OPENBLAS_CORETYPE", core, /*overwrite=*/0);
    void *handle = dlopen(ZO_OPENBLAS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      fatal("cannot load OpenBLAS (" ZO_OPENBLAS_LIBRARY ")", dlerror());
    library.sgemm =
        reinterpret_cast<decltype(&cblas_sgemm)>(dlsym(handle, "cblas_sgemm"));
    library.dgemm =
        reinterpret_cast<decltype(&cblas_dgemm)>(dlsym(handle, "cblas_dgemm"));
    if (!library.sgemm || !library.dgemm)
      fatal("OpenBLAS lacks cblas_sgemm/cblas_dgemm", ZO_OPENBLAS_LIBRARY);
    using CoreNameFn = char *(*)();
    if (auto coreName = reinterpret_cast<CoreNameFn>(
            dlsym(handle, "openblas_get_corename")))
      library.coreName = coreName();
  });
  return library;
}
