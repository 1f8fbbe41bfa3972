//===- CpuLowering.cpp - linalg on tensors to the LLVM dialect ------------===//
//
// Every result becomes an out-param, even one equal to an argument (no
// drop-equivalent-buffer-results): the ABI must not depend on the body.
// Phase order matters in three places: math is approximated before
// bufferization (so it happens once, inside fused bodies); out-params are
// introduced before deallocation (so no returned buffer needs ownership); the
// BLAS rewrite runs on buffers, before linalg becomes loops; parameter
// updates are redirected into the donated buffers right after bufferization,
// before canonicalization erases the scratch buffers this frees.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CpuLowering.h"

#include "zo/Conversion/LinalgToBlas.h"

#include "ShortenBufferLifetimes.h"
#include "WriteUpdatesInPlace.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void zo::buildCpuLoweringPipeline(OpPassManager &pm,
                                  const CpuLoweringOptions &options) {
  buildTensorPhase(pm, options);
  buildBufferPhase(pm);
  if (options.useBlas)
    pm.addPass(zo::createLinalgToBlasPass());
  buildDeallocationPhase(pm);
  // An elementwise loop writes the input buffer that dies at it instead of
  // a fresh one; same-shaped temporaries take the buffer freed right before
  // them (ShortenBufferLifetimes.cpp).
  if (options.elementwiseInPlace)
    pm.addPass(zo::createElementwiseInPlacePass());
  if (options.reuseFreedBuffers)
    pm.addPass(zo::createReuseFreedBuffersPass());
  buildCpuLoopsToLlvmPipeline(pm, options);
}

void zo::buildTensorPhase(OpPassManager &pm,
                          const CpuLoweringOptions &options) {
  // Tensor level: fuse elementwise chains into single loop nests.
  pm.addPass(createCanonicalizerPass());
  if (options.fuseElementwise) {
    pm.addPass(zo::createFuseElementwisePass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
  if (options.approximateMath)
    pm.addPass(createApproximateMathPass());
  if (options.reassociateReductions)
    pm.addPass(createReassociateReductionsPass());
  // Last: nothing may CSE the copies back together before bufferization.
  if (options.rematerializeInputs)
    pm.addPass(createRematerializeInputsPass());
}

void zo::buildBufferPhase(OpPassManager &pm) {
  // Buffers: only donated arguments may be written in place; identity layouts
  // at function boundaries so the runtime passes plain contiguous descriptors;
  // results become caller-owned out-params.
  pm.addPass(zo::createMarkReadOnlyArgsPass());
  // One tensor.empty / zero fill per use: short-lived buffers, not one per
  // shape shared across the whole step (ShortenBufferLifetimes.cpp).
  pm.addPass(zo::createSplitEmptyTensorsPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  bufferize.unknownTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Parameter updates: the loop writes the donated buffer, no scratch + copy.
  pm.addPass(zo::createWriteUpdatesInPlacePass());
  pm.addPass(createCanonicalizerPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // A result computed on a reshaped view: the loop writes the out-param.
  pm.addPass(zo::createWriteUpdatesInPlacePass());
}

void zo::buildDeallocationPhase(OpPassManager &pm) {
  bufferization::buildBufferDeallocationPipeline(pm);
  // Free each local buffer after its last use, not at the end of the block.
  pm.addPass(zo::createDeallocAtLastUsePass());
}

void zo::buildCpuLoopsToLlvmPipeline(OpPassManager &pm,
                                     const CpuLoweringOptions &options) {
  // Loops; LLVM's O3 vectorizes the innermost ones (math is plain arithmetic).
  // scf.forall (graph.scatter_add's loop over table columns) runs its
  // iterations in order.
  pm.addPass(createForallToForLoopPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());

  // LLVM dialect. Leftover math (f64) goes to intrinsics, then libm.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  if (options.emitCInterface)
    pm.addPass(zo::createEmitCInterfacePass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void zo::registerCpuLoweringPipeline() {
  registerPass([] { return createApproximateMathPass(); });
  registerPass([] { return createEmitCInterfacePass(); });
  registerPass([] { return createFuseElementwisePass(); });
  registerPass([] { return createMarkReadOnlyArgsPass(); });
  registerPass([] { return createReassociateReductionsPass(); });
  registerPass([] { return createWriteUpdatesInPlacePass(); });
  registerPass([] { return createRematerializeInputsPass(); });
  registerPass([] { return createSplitEmptyTensorsPass(); });
  registerPass([] { return createDeallocAtLastUsePass(); });
  registerPass([] { return createReuseFreedBuffersPass(); });
  registerPass([] { return createElementwiseInPlacePass(); });
  registerLinalgToBlasPass();
  PassPipelineRegistration<CpuLoweringOptions>(
      "zo-cpu-lowering",
      "Lower linalg on tensors (static shapes) to the LLVM dialect for the "
      "CPU runtime: fusion, bufferization with out-params, BLAS GEMMs, "
      "polynomial math, loops, accounted allocations",
      buildCpuLoweringPipeline);
}
