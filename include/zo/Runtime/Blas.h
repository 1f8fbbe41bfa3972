//===- Blas.h - the BLAS library behind compiled GEMMs ----------*- C++ -*-===//
//
// The runtime loads OpenBLAS itself, after choosing its kernel family, instead
// of linking it: Debian's OpenBLAS 0.3.21 does not know CPUs newer than Cooper
// Lake and would fall back to its SSE3 ("Prescott") kernels, 3-4x slower.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_BLAS_H
#define ZO_RUNTIME_BLAS_H

#include <cblas.h>

#include <string>

namespace mlir::zo::rt {

struct BlasLibrary {
  decltype(&cblas_sgemm) sgemm = nullptr;
  decltype(&cblas_dgemm) dgemm = nullptr;
  /// OpenBLAS's name of the kernels in use (e.g. "SkylakeX", "Haswell").
  std::string coreName;
};

/// Loads OpenBLAS on first use. Unless the user set OPENBLAS_CORETYPE, it is
/// set from the CPU's features first: SkylakeX with AVX-512 (F, BW, DQ, VL),
/// Haswell with AVX2 + FMA, else OpenBLAS's own choice. Exits with a message
/// naming the library if it cannot be loaded.
const BlasLibrary &getBlasLibrary();

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_BLAS_H
