//===- CudaLowering.h - linalg on tensors to GPU kernels and PTX -*- C++
//-*-===//
//
// The CUDA back end's compiler half as one pass pipeline: the CPU pipeline's
// tensor and buffer phases, GEMMs as cuBLAS calls, every memory access in a
// parallel loop, loops mapped to GPU kernels, kernels lowered to NVVM and PTX
// (optionally assembled into cubins with the toolkit's ptxas).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_PIPELINES_CUDALOWERING_H
#define ZO_PIPELINES_CUDALOWERING_H

#include "mlir/Pass/PassOptions.h"
#include "mlir/Support/LLVM.h"

#include <memory>
#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
class Pass;
} // namespace mlir

namespace mlir::zo {

/// Where `zo-cuda-lowering` stops (each stage's IR is readable, see
/// docs/cuda.md).
enum class CudaStage {
  /// Buffers, cuBLAS calls, scf.parallel loop nests: runs on the CPU too.
  Loops,
  /// gpu.launch_func of outlined gpu.func kernels, gpu.alloc/dealloc.
  Gpu,
  /// The gpu.module bodies in the NVVM/LLVM dialects.
  Nvvm,
  /// gpu.binary ops holding PTX (or cubins).
  Ptx,
};

/// Options of `zo-cuda-lowering`; also usable from C++.
struct CudaLoweringOptions : public PassPipelineOptions<CudaLoweringOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("GPU architecture: sm_80 or sm_90"),
                           llvm::cl::init("sm_80")};
  Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX ISA version as an NVPTX feature (+ptx80 or newer)"),
      llvm::cl::init("+ptx80")};
  Option<unsigned> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of the elementwise / reduction "
                     "kernels: 32..1024, a multiple of 32"),
      llvm::cl::init(256)};
  Option<std::string> stopAt{
      *this, "stop-at", llvm::cl::desc("Last stage: loops, gpu, nvvm or ptx"),
      llvm::cl::init("ptx")};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Kernel binary format of the ptx stage: isa (PTX text, "
                     "made in-process) or cubin (the toolkit's ptxas run on "
                     "that PTX; found via CUDA_PATH or /usr/local/cuda)"),
      llvm::cl::init("isa")};
  Option<std::string> dumpPtx{
      *this, "dump-ptx",
      llvm::cl::desc("Also write the PTX of every gpu.module to this file"),
      llvm::cl::init("")};
  Option<std::string> gemmPrefix{
      *this, "gemm-prefix",
      llvm::cl::desc("Name prefix of the GEMM entry points (zo_cuda_ calls "
                     "the CUDA runtime's cuBLAS wrappers)"),
      llvm::cl::init("zo_cuda_")};
  Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Write the static traffic report (zo-traffic-report) "
                     "of the step's fused loop nests (the loops stage: one "
                     "kernel per top-level loop) to this file ('-': "
                     "stderr); past the loops stage, with the launches left "
                     "after launch merging"),
      llvm::cl::init("")};
  Option<std::string> reportFormat{
      *this, "report-format",
      llvm::cl::desc("Format of the report: table or json"),
      llvm::cl::init("table")};
  Option<bool> inlineGenerators{
      *this, "inline-generators",
      llvm::cl::desc("Recompute perturbed biases / norm gains (loops filling "
                     "a buffer from arguments only) in the kernels reading "
                     "them (zo-cuda-inline-generators)"),
      llvm::cl::init(true)};
  Option<bool> rowChains{
      *this, "row-chains",
      llvm::cl::desc("Make each softmax / norm / log-softmax chain one kernel "
                     "with a block per row and block reductions "
                     "(zo-cuda-fuse-row-chains, zo-cuda-map-row-chains)"),
      llvm::cl::init(true)};
  Option<bool> lockstep{
      *this, "lockstep",
      llvm::cl::desc("Run the +eps and -eps forwards of a ZO step side by "
                     "side: one kernel writes both perturbed copies of a "
                     "GEMM weight (zo-cuda-lockstep); both forwards' "
                     "activations are then alive at once"),
      llvm::cl::init(true)};
  Option<bool> mergeLaunches{
      *this, "merge-launches",
      llvm::cl::desc("Launch independent neighbouring kernels as one "
                     "(zo-cuda-merge-launches)"),
      llvm::cl::init(true)};
};

/// Checks the options; on failure `error` holds one line naming the bad one.
LogicalResult verifyCudaLoweringOptions(const CudaLoweringOptions &options,
                                        std::string &error);

/// The stage named by `stop-at`, if any.
std::optional<CudaStage> parseCudaStage(StringRef name);

/// Appends the CUDA lowering to `pm` (anchored on builtin.module). Input: the
/// linalg-on-tensors module the CPU pipeline takes. The options must have
/// been verified.
void buildCudaLoweringPipeline(OpPassManager &pm,
                               const CudaLoweringOptions &options);

/// Appends the CPU lowering of a `stop-at=loops` module: GEMM calls renamed
/// to the CPU runtime's zo_rt_* shims, then the CPU pipeline's loop-to-LLVM
/// tail. The result runs with `zo-run --signatures`.
void buildCudaLoopsOnCpuPipeline(OpPassManager &pm);

/// Registers `zo-cuda-lowering`, `zo-cuda-loops-on-cpu` and the passes below.
void registerCudaLoweringPipeline();

/// `zo-cuda-scalars-to-operands`: a `tensor.extract` outside any linalg op
/// whose value is used inside linalg.generic bodies becomes a rank-0 input
/// operand of those generics (so the load happens in the kernel).
std::unique_ptr<Pass> createCudaScalarsToOperandsPass();

/// `zo-cuda-lockstep`: the twin forward clones of a ZO step interleaved
/// (each -eps op right after its +eps twin), the two perturbed copies of a
/// GEMM weight made by one generic with two results (CudaLockstep.cpp).
std::unique_ptr<Pass> createCudaLockstepPass();

/// `zo-cuda-copies-to-linalg`: memref.copy between buffers as linalg.copy
/// (a copy loop, hence a kernel).
std::unique_ptr<Pass> createCudaCopiesToLinalgPass();

/// `zo-cuda-wrap-host-accesses`: runs of host ops that touch memref
/// contents outside any scf.parallel are wrapped in a one-iteration
/// scf.parallel.
std::unique_ptr<Pass> createCudaWrapHostAccessesPass();

/// `zo-cuda-inline-generators`: a parallel loop filling a buffer from its
/// indices and function arguments only (a perturbed bias or norm gain) is
/// recomputed in each later loop that loads from the buffer; the loop and
/// the buffer go (CudaInlineGenerators.cpp).
std::unique_ptr<Pass> createCudaInlineGeneratorsPass();

/// `zo-cuda-fuse-row-chains`: neighbouring loops over the same rows around
/// a row reduction (softmax, layer norm, ...) fused into one scf.parallel
/// over the rows (marked `zo.row_chain`) with nested loops and reductions
/// (CudaRowChains.cpp).
std::unique_ptr<Pass> createCudaFuseRowChainsPass();

/// `zo-cuda-map-row-chains`: each `zo.row_chain` loop as a gpu.launch with
/// one block per row, thread-strided nested loops and gpu.all_reduce.
std::unique_ptr<Pass> createCudaMapRowChainsPass(unsigned blockSize);

/// `zo-cuda-lower-all-reduce` (on gpu.module): gpu.all_reduce to warp
/// shuffles and workgroup memory.
std::unique_ptr<Pass> createCudaLowerAllReducePass();

/// `zo-cuda-tile-parallel-loops`: each outermost scf.parallel is collapsed to
/// one dimension, tiled by the block size and annotated with the GPU
/// mapping (grid x, block x; nested loops sequential). A loop whose noise
/// lane is one of its dimensions drops it first: each thread generates one
/// Philox block and computes its four lanes' elements.
std::unique_ptr<Pass> createCudaTileParallelLoopsPass(unsigned blockSize);

/// `zo-cuda-device-memory`: host memref.alloc/dealloc as gpu.alloc/dealloc;
/// memref.get_global used in a gpu.launch moves into it (the global becomes
/// device memory on outlining).
std::unique_ptr<Pass> createCudaDeviceMemoryPass();

/// `zo-cuda-merge-kernel-modules`: the gpu.modules of outlined kernels
/// merged into one (one PTX module per step).
std::unique_ptr<Pass> createCudaMergeKernelModulesPass();

/// `zo-cuda-merge-launches`: a gpu.launch merged into the one before it when
/// neither touches a buffer the other writes (CudaMergeLaunches.cpp).
std::unique_ptr<Pass> createCudaMergeLaunchesPass();

/// `zo-cuda-check-host`: fails on any host op that reads or writes memref
/// contents (a host access of device memory).
std::unique_ptr<Pass> createCudaCheckHostPass();

/// `zo-cuda-libdevice-to-intrinsics`: the __nv_* libdevice calls that
/// convert-gpu-to-nvvm makes of sqrt/fma/floor/... become LLVM intrinsics
/// (IEEE results, no libdevice); any other __nv_* call is an error.
std::unique_ptr<Pass> createCudaLibdeviceToIntrinsicsPass();

/// `zo-cuda-assemble`: gpu.modules to PTX in gpu.binary ops (in-process, no
/// toolkit), the PTX written to `dumpPtx` (if set) and, for format=cubin,
/// replaced with the toolkit ptxas's cubin for the chip of the NVVM target.
std::unique_ptr<Pass> createCudaAssemblePass(StringRef format,
                                             StringRef dumpPtx);

/// `zo-rename-gemm-calls`: calls and declarations of `<from>*` GEMM entry
/// points renamed to `<to>*`.
std::unique_ptr<Pass> createRenameGemmCallsPass(StringRef from, StringRef to);

} // namespace mlir::zo

#endif // ZO_PIPELINES_CUDALOWERING_H
