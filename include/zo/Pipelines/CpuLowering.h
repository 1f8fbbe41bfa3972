//===- CpuLowering.h - linalg on tensors to the LLVM dialect ----*- C++ -*-===//
//
// The CPU back end as one pass pipeline: fuse, bufferize (caller-owned out-
// params), GEMMs to BLAS, polynomial math, loops, LLVM with accounted allocs.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_PIPELINES_CPULOWERING_H
#define ZO_PIPELINES_CPULOWERING_H

#include "mlir/Pass/PassOptions.h"

#include <memory>

namespace mlir {
class OpPassManager;
class Pass;
} // namespace mlir

namespace mlir::zo {

/// Options of `zo-cpu-lowering`; also usable from C++ (`CpuLoweringOptions
/// opts; opts.useBlas = false;`).
struct CpuLoweringOptions : public PassPipelineOptions<CpuLoweringOptions> {
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer elementwise linalg ops"),
      llvm::cl::init(true)};
  Option<bool> useBlas{
      *this, "use-blas",
      llvm::cl::desc("Rewrite f32/f64 matmul and batch_matmul into BLAS calls"),
      llvm::cl::init(true)};
  Option<bool> approximateMath{
      *this, "approximate-math",
      llvm::cl::desc("Expand f32 math (erf, tanh, exp, log, ...) into "
                     "polynomials instead of libm calls, so loops vectorize"),
      llvm::cl::init(true)};
  Option<bool> reassociateReductions{
      *this, "reassociate-reductions",
      llvm::cl::desc("Let LLVM reorder f32 reduction sums so the loops "
                     "vectorize (deterministic per compiled module)"),
      llvm::cl::init(true)};
  Option<bool> rematerializeInputs{
      *this, "rematerialize-inputs",
      llvm::cl::desc("Recompute small values derived only from arguments "
                     "and constants at each reader instead of keeping one "
                     "buffer alive between them (zo-rematerialize-inputs)"),
      llvm::cl::init(true)};
  Option<bool> elementwiseInPlace{
      *this, "elementwise-in-place",
      llvm::cl::desc("An elementwise loop writes the same-typed input "
                     "buffer that dies at it instead of a fresh one "
                     "(zo-elementwise-in-place: a lower or equal peak)"),
      llvm::cl::init(true)};
  Option<bool> reuseFreedBuffers{
      *this, "reuse-freed-buffers",
      llvm::cl::desc("An allocation right after the dealloc of a buffer of "
                     "its type takes that buffer (zo-reuse-freed-buffers: "
                     "fewer allocations, the same peak)"),
      llvm::cl::init(true)};
  Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Add llvm.emit_c_interface to every defined function"),
      llvm::cl::init(true)};
};

/// Appends the CPU lowering to `pm` (anchored on builtin.module). Input:
/// linalg/tensor/arith/math/func with static shapes. Output: LLVM dialect in
/// which every function result tensor has become a trailing out-param memref
/// the caller owns, and every heap allocation calls
/// `_mlir_memref_to_llvm_alloc/_aligned_alloc/_free`.
void buildCpuLoweringPipeline(OpPassManager &pm,
                              const CpuLoweringOptions &options);

/// The phases of the CPU lowering the CUDA one shares (CudaLowering.h):
/// tensor level (fusion, polynomial math), buffers (one-shot bufferization,
/// in-place updates, out-params), then after the GEMM rewrite, deallocation.
void buildTensorPhase(OpPassManager &pm, const CpuLoweringOptions &options);
void buildBufferPhase(OpPassManager &pm);
void buildDeallocationPhase(OpPassManager &pm);

/// The tail of the CPU lowering, from bufferized code with deallocations
/// (linalg on memrefs or loops) to the LLVM dialect; also used to run the
/// CUDA pipeline's loop nests on the CPU.
void buildCpuLoopsToLlvmPipeline(OpPassManager &pm,
                                 const CpuLoweringOptions &options);

/// Registers the `zo-cpu-lowering` pipeline and the passes below.
void registerCpuLoweringPipeline();

/// `zo-fuse-elementwise`: linalg-fuse-elementwise-ops minus the rewriting
/// of matmul / batch_matmul into generics (they must stay named for BLAS).
std::unique_ptr<Pass> createFuseElementwisePass();

/// `zo-rematerialize-inputs`: small values computed from function arguments
/// and constants alone (shifted labels, padding masks) recomputed right
/// before each op reading them, so CSE'd copies shared by a step's forward
/// clones hold no buffer between them.
std::unique_ptr<Pass> createRematerializeInputsPass();

/// `zo-approximate-math`: f32 math ops as MLIR's polynomial approximations.
std::unique_ptr<Pass> createApproximateMathPass();

/// `zo-reassociate-reductions`: the combining add/mul of f32 linalg
/// reductions gets the `reassoc` fast-math flag so LLVM vectorizes the loop
/// (fixed order per compiled module: same bits on every run).
std::unique_ptr<Pass> createReassociateReductionsPass();

/// `zo-mark-read-only-args`: tensor arguments not donated (zo.role other
/// than "param"/"state") get `bufferization.writable = false`.
std::unique_ptr<Pass> createMarkReadOnlyArgsPass();

/// `zo-emit-c-interface`: puts `llvm.emit_c_interface` on every defined
/// func.func, so the runtime can call it with memref descriptors.
std::unique_ptr<Pass> createEmitCInterfacePass();

} // namespace mlir::zo

#endif // ZO_PIPELINES_CPULOWERING_H
