//===- CudaLowering.cpp - linalg on tensors to GPU kernels and PTX --------===//
//
// Stages (docs/cuda.md shows the IR of each; `stop-at` cuts after one):
// 1-2. tensor and buffer phases shared with the CPU pipeline, plus three
//    steps before bufferizing: math the CPU leaves to libm (powf) becomes
//    polynomial arithmetic, scalars the host would read (seed, lr,
//    projected gradient) become operands of the generics using them, and a
//    ZO step's two forwards run in lockstep (one kernel makes both
//    perturbed copies of a GEMM weight);
// 3. GEMMs -> calls of the CUDA runtime's cuBLAS wrappers (the CPU BLAS ABI
//    with device pointers);
// 4. deallocation, as on the CPU;
// 5. "loops": linalg and scf.forall -> scf.parallel (scf.for inside for
//    reduction dims), adjacent loops over the same space fused; loops
//    filling a small buffer from arguments only (perturbed biases)
//    recomputed where read; each row-reduction chain (softmax, norms) one
//    loop over the rows with nested loops and reductions; what remains on
//    the host and touches memory goes into one-iteration scf.parallel
//    loops. This is the loop nest the CPU can run (zo-cuda-loops-on-cpu)
//    to check the kernels' arithmetic;
// 6. "gpu": row chains -> a gpu.launch with one block per row and
//    gpu.all_reduce; every other outermost loop -> 1-D, tiled by the block
//    size -> gpu.launch;
//    allocations -> gpu.alloc; the contract check (no host access of device
//    memory); outlining into one gpu.module; async tokens;
// 7. "nvvm" / "ptx": NVVM target (chip, PTX ISA), kernels to NVVM with
//    IEEE math and no libdevice, PTX in-process, optionally cubin via ptxas.
// No canonicalization runs between the wrapping of host accesses and the
// mapping to gpu.launch: it would fold the one-iteration loops back into host
// code.
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"
#include "zo/Analysis/TrafficReportPass.h"

#include "zo/Conversion/LinalgToBlas.h"
#include "zo/Pipelines/CpuLowering.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

std::optional<zo::CudaStage> zo::parseCudaStage(StringRef name) {
  return llvm::StringSwitch<std::optional<CudaStage>>(name)
      .Case("loops", CudaStage::Loops)
      .Case("gpu", CudaStage::Gpu)
      .Case("nvvm", CudaStage::Nvvm)
      .Case("ptx", CudaStage::Ptx)
      .Default(std::nullopt);
}

LogicalResult zo::verifyCudaLoweringOptions(const CudaLoweringOptions &options,
                                            std::string &error) {
  llvm::raw_string_ostream os(error);
  StringRef chip = options.chip;
  if (chip != "sm_80" && chip != "sm_90") {
    os << "zo-cuda-lowering: unsupported chip '" << chip
       << "' (expected sm_80 or sm_90)";
    return failure();
  }
  // ptxas of CUDA 13 reads PTX ISA up to 9.0; sm_90 needs 7.8 or newer.
  StringRef features = options.features;
  unsigned version = 0;
  if (!features.consume_front("+ptx") || features.getAsInteger(10, version) ||
      version < 80 || version > 90) {
    os << "zo-cuda-lowering: unsupported features '"
       << options.features.getValue()
       << "' (expected a PTX ISA version +ptx80 ... +ptx90)";
    return failure();
  }
  unsigned block = options.blockSize;
  if (block < 32 || block > 1024 || block % 32 != 0) {
    os << "zo-cuda-lowering: block-size " << block
       << " is not a multiple of 32 between 32 and 1024";
    return failure();
  }
  if (!parseCudaStage(options.stopAt)) {
    os << "zo-cuda-lowering: unknown stop-at stage '"
       << options.stopAt.getValue() << "' (expected loops, gpu, nvvm or ptx)";
    return failure();
  }
  if (options.format != "isa" && options.format != "cubin") {
    os << "zo-cuda-lowering: unknown format '" << options.format.getValue()
       << "' (expected isa or cubin)";
    return failure();
  }
  if (!options.dumpPtx.empty() &&
      *parseCudaStage(options.stopAt) != CudaStage::Ptx) {
    os << "zo-cuda-lowering: dump-ptx needs stop-at=ptx";
    return failure();
  }
  if (options.reportFormat != "table" && options.reportFormat != "json") {
    os << "zo-cuda-lowering: unknown report-format '"
       << options.reportFormat.getValue() << "' (expected table or json)";
    return failure();
  }
  if (options.gemmPrefix.empty()) {
    os << "zo-cuda-lowering: gemm-prefix must not be empty";
    return failure();
  }
  return success();
}

void zo::buildCudaLoweringPipeline(OpPassManager &pm,
                                   const CudaLoweringOptions &options) {
  CudaStage stop = parseCudaStage(options.stopAt).value_or(CudaStage::Ptx);

  // 1-4: the CPU pipeline's phases; scalars into the kernels; cuBLAS GEMMs.
  CpuLoweringOptions shared;
  // Each recomputed copy would be a kernel launch of its own; the few KiB
  // it saves do not pay for that on a GPU.
  shared.rematerializeInputs = false;
  buildTensorPhase(pm, shared);
  // What the CPU leaves to libm (pow for Adam's bias correction, ...) is
  // written with exp/log here and those approximated: kernels need no
  // libdevice.
  math::MathExpandOpsPassOptions expand;
  expand.opMnemonics = {"powf", "fpowi", "tan",   "sinh",
                        "cosh", "asinh", "acosh", "atanh"};
  pm.addPass(math::createMathExpandOpsPass(expand));
  pm.addPass(createApproximateMathPass());
  pm.addNestedPass<func::FuncOp>(createCudaScalarsToOperandsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // The two forwards side by side: a GEMM weight is read once for both
  // perturbed copies (CSE leaves one noise computation in the fused body).
  if (options.lockstep) {
    pm.addNestedPass<func::FuncOp>(createCudaLockstepPass());
    pm.addPass(createCSEPass());
  }
  buildBufferPhase(pm);
  pm.addPass(createLinalgToBlasPass(options.gemmPrefix));
  buildDeallocationPhase(pm);

  // 5: loops; every memory access inside one. scf.forall (graph.scatter_add:
  // one iteration per table column, each writing only its column) is a
  // parallel loop like any other.
  pm.addPass(createForallToParallelLoopPass());
  pm.addNestedPass<func::FuncOp>(createCudaCopiesToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Adjacent loops over the same space become one kernel (a reduction's
  // init fill and the reduction, a GEMM epilogue and what follows it).
  pm.addNestedPass<func::FuncOp>(createParallelLoopFusionPass());
  // Perturbed biases and norm gains are recomputed where they are read
  // (noise never touches memory; no launch of their own), which may make
  // more neighbours fusable.
  if (options.inlineGenerators) {
    pm.addNestedPass<func::FuncOp>(createCudaInlineGeneratorsPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    pm.addNestedPass<func::FuncOp>(createParallelLoopFusionPass());
  }
  // Softmax / norm chains: one loop over the rows, reductions nested.
  if (options.rowChains)
    pm.addNestedPass<func::FuncOp>(createCudaFuseRowChainsPass());
  pm.addNestedPass<func::FuncOp>(createCudaWrapHostAccessesPass());
  // The traffic report models the kernels as they are now fused (each
  // top-level loop one kernel); launch merging changes launches, not bytes,
  // so the report is written after the gpu stage with the launches left.
  std::shared_ptr<TrafficReportHandoff> report;
  if (!options.report.empty()) {
    if (stop != CudaStage::Loops)
      report = createTrafficReportHandoff();
    pm.addPass(
        createTrafficReportPass(options.report, options.reportFormat, report));
  }
  if (stop == CudaStage::Loops)
    return;

  // 6: kernels.
  pm.addNestedPass<func::FuncOp>(
      createCudaMapRowChainsPass(options.blockSize));
  pm.addNestedPass<func::FuncOp>(
      createCudaTileParallelLoopsPass(options.blockSize));
  pm.addPass(createConvertParallelLoopToGpuPass());
  pm.addNestedPass<func::FuncOp>(createCudaDeviceMemoryPass());
  pm.addPass(createCudaCheckHostPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // A weight's perturbed copy rides along with the kernel before its GEMM;
  // a step's parameter updates become one launch.
  if (options.mergeLaunches) {
    pm.addNestedPass<func::FuncOp>(createCudaMergeLaunchesPass());
    pm.addPass(createCanonicalizerPass());
  }
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createCudaMergeKernelModulesPass());
  // Constants now live in the kernel module; drop the host copies.
  pm.addPass(createSymbolDCEPass());
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(createCanonicalizerPass());
  if (report)
    pm.addPass(createTrafficReportLaunchesPass(report));
  if (stop == CudaStage::Gpu)
    return;

  // 7: device code.
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  device.addPass(createStripDebugInfoPass());
  device.addPass(createSCFToControlFlowPass());
  // After scf-to-cf: the lowering splits blocks (an all-reduce may sit in
  // an scf.if of a merged launch, whose regions must stay one block).
  device.addPass(createCudaLowerAllReducePass());
  device.addPass(memref::createExpandStridedMetadataPass());
  device.addPass(createLowerAffinePass());
  device.addPass(createConvertGpuOpsToNVVMOps());
  device.addPass(createCudaLibdeviceToIntrinsicsPass());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  if (stop == CudaStage::Nvvm)
    return;

  pm.addPass(createCudaAssemblePass(options.format, options.dumpPtx));
}

void zo::buildCudaLoopsOnCpuPipeline(OpPassManager &pm) {
  pm.addPass(createRenameGemmCallsPass(kCudaGemmPrefix, kCpuGemmPrefix));
  buildCpuLoopsToLlvmPipeline(pm, CpuLoweringOptions());
}

void zo::registerCudaLoweringPipeline() {
  registerPass([] { return createCudaScalarsToOperandsPass(); });
  registerPass([] { return createCudaLockstepPass(); });
  registerPass([] { return createCudaCopiesToLinalgPass(); });
  registerPass([] { return createCudaWrapHostAccessesPass(); });
  registerPass([] { return createCudaInlineGeneratorsPass(); });
  registerPass([] { return createCudaFuseRowChainsPass(); });
  registerPass([] { return createCudaMapRowChainsPass(256); });
  registerPass([] { return createCudaLowerAllReducePass(); });
  registerPass([] { return createCudaTileParallelLoopsPass(256); });
  registerPass([] { return createCudaDeviceMemoryPass(); });
  registerPass([] { return createCudaMergeKernelModulesPass(); });
  registerPass([] { return createCudaCheckHostPass(); });
  registerPass([] { return createCudaMergeLaunchesPass(); });
  registerPass([] { return createCudaLibdeviceToIntrinsicsPass(); });
  registerPass([] { return createCudaAssemblePass("isa", ""); });
  registerPass([] {
    return createRenameGemmCallsPass(kCudaGemmPrefix, kCpuGemmPrefix);
  });
  registerPassPipeline(
      "zo-cuda-lowering",
      "Lower linalg on tensors (static shapes) to GPU kernels: bufferization "
      "with out-params, cuBLAS GEMMs, parallel loops, gpu.launch, NVVM, PTX "
      "(or cubin)",
      [](OpPassManager &pm, StringRef optionString,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        CudaLoweringOptions options;
        if (failed(options.parseFromString(optionString)))
          return failure();
        std::string error;
        if (failed(verifyCudaLoweringOptions(options, error)))
          return errorHandler(error);
        buildCudaLoweringPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(CudaLoweringOptions());
      });
  PassPipelineRegistration<>(
      "zo-cuda-loops-on-cpu",
      "Lower a zo-cuda-lowering{stop-at=loops} module for the CPU (GEMMs "
      "renamed to the CPU runtime's) to run its kernels' loop nests with "
      "zo-run --signatures",
      buildCudaLoopsOnCpuPipeline);
}
