//===- RuntimeSymbols.cpp - what JIT-compiled code may call ---------------===//
//
// Also defines memrefCopy, which finalize-memref-to-llvm calls for copies of
// non-contiguous memrefs (upstream has it in libmlir_c_runner_utils; one
// strided loop here spares us loading that library into the JIT).
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/RuntimeSymbols.h"

#include "zo/Runtime/MemoryAccounting.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"

#include <cstring>
#include <vector>

using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;

extern "C" {
void _mlir_ciface_zo_rt_sgemm(StridedMemRefType<float, 2> *,
                              StridedMemRefType<float, 2> *,
                              StridedMemRefType<float, 2> *, float);
void _mlir_ciface_zo_rt_dgemm(StridedMemRefType<double, 2> *,
                              StridedMemRefType<double, 2> *,
                              StridedMemRefType<double, 2> *, double);
void _mlir_ciface_zo_rt_sgemm_batched(StridedMemRefType<float, 3> *,
                                      StridedMemRefType<float, 3> *,
                                      StridedMemRefType<float, 3> *, float);
void _mlir_ciface_zo_rt_dgemm_batched(StridedMemRefType<double, 3> *,
                                      StridedMemRefType<double, 3> *,
                                      StridedMemRefType<double, 3> *, double);
void _mlir_ciface_zo_rt_gemm_bf16(StridedMemRefType<uint16_t, 2> *,
                                  StridedMemRefType<uint16_t, 2> *,
                                  StridedMemRefType<uint16_t, 2> *, float);
void _mlir_ciface_zo_rt_gemm_bf16_batched(StridedMemRefType<uint16_t, 3> *,
                                          StridedMemRefType<uint16_t, 3> *,
                                          StridedMemRefType<uint16_t, 3> *,
                                          float);

/// Descriptor layout of any rank: {alloc, aligned, offset, sizes[r],
/// strides[r]}. The trailing dims that are contiguous in both memrefs are
/// copied as one block; the dims before them are walked with running
/// offsets (a concat's insert into a slice of the result is a few rows of
/// contiguous memory each).
static void zoMemrefCopy(int64_t elemSize, UnrankedMemRefType<char> *src,
                         UnrankedMemRefType<char> *dst) {
  int64_t rank = src->rank;
  auto *s = static_cast<char **>(src->descriptor);
  auto *d = static_cast<char **>(dst->descriptor);
  const int64_t *sMeta = reinterpret_cast<const int64_t *>(s + 2);
  const int64_t *dMeta = reinterpret_cast<const int64_t *>(d + 2);
  const int64_t *sizes = sMeta + 1, *sStrides = sMeta + 1 + rank;
  const int64_t *dStrides = dMeta + 1 + rank;
  char *sBase = s[1] + sMeta[0] * elemSize;
  char *dBase = d[1] + dMeta[0] * elemSize;
  for (int64_t i = 0; i < rank; ++i)
    if (sizes[i] == 0)
      return;
  // Dims [outer, rank) form one contiguous block of `block` elements.
  int64_t outer = rank, block = 1;
  while (outer > 0 && (sizes[outer - 1] == 1 ||
                       (sStrides[outer - 1] == block &&
                        dStrides[outer - 1] == block))) {
    block *= sizes[outer - 1];
    --outer;
  }
  size_t bytes = static_cast<size_t>(block * elemSize);
  if (outer == 0) {
    std::memmove(dBase, sBase, bytes);
    return;
  }
  std::vector<int64_t> index(outer, 0);
  int64_t so = 0, dof = 0;
  while (true) {
    std::memcpy(dBase + dof * elemSize, sBase + so * elemSize, bytes);
    int64_t axis = outer - 1;
    while (axis >= 0 && ++index[axis] == sizes[axis]) {
      so -= (sizes[axis] - 1) * sStrides[axis];
      dof -= (sizes[axis] - 1) * dStrides[axis];
      index[axis--] = 0;
    }
    if (axis < 0)
      return;
    so += sStrides[axis];
    dof += dStrides[axis];
  }
}
}

std::vector<std::pair<llvm::StringRef, void *>>
mlir::zo::rt::getRuntimeSymbols() {
  return {
      {"_mlir_memref_to_llvm_alloc",
       reinterpret_cast<void *>(&_mlir_memref_to_llvm_alloc)},
      {"_mlir_memref_to_llvm_aligned_alloc",
       reinterpret_cast<void *>(&_mlir_memref_to_llvm_aligned_alloc)},
      {"_mlir_memref_to_llvm_free",
       reinterpret_cast<void *>(&_mlir_memref_to_llvm_free)},
      {"memrefCopy", reinterpret_cast<void *>(&zoMemrefCopy)},
      {"_mlir_ciface_zo_rt_sgemm",
       reinterpret_cast<void *>(&_mlir_ciface_zo_rt_sgemm)},
      {"_mlir_ciface_zo_rt_dgemm",
       reinterpret_cast<void *>(&_mlir_ciface_zo_rt_dgemm)},
      {"_mlir_ciface_zo_rt_sgemm_batched",
       reinterpret_cast<void *>(&_mlir_ciface_zo_rt_sgemm_batched)},
      {"_mlir_ciface_zo_rt_dgemm_batched",
       reinterpret_cast<void *>(&_mlir_ciface_zo_rt_dgemm_batched)},
      {"_mlir_ciface_zo_rt_gemm_bf16",
       reinterpret_cast<void *>(&_mlir_ciface_zo_rt_gemm_bf16)},
      {"_mlir_ciface_zo_rt_gemm_bf16_batched",
       reinterpret_cast<void *>(&_mlir_ciface_zo_rt_gemm_bf16_batched)},
  };
}
