//===- CudaDeviceMemory.cpp - buffers in device memory, one kernel module -===//
//
// Two passes around kernel outlining:
// - zo-cuda-device-memory (before outlining): the step's local buffers are
//   device allocations: host memref.alloc / memref.dealloc become gpu.alloc /
//   gpu.dealloc (gpu-async-region later gives them the async form MLIR 22
//   lowers). A constant (memref.get_global) read by a kernel is fetched in
//   the kernel: outlining then copies the memref.global into the gpu.module,
//   so it lives in device memory, not host memory the kernel cannot read.
// - zo-cuda-merge-kernel-modules (after outlining): outlining makes one
//   gpu.module per kernel; they are merged into one, `<name>_kernels`, so a
//   step is one PTX module (one ptxas run, one module load at run time).
//   Each kernel is renamed after its former module (unique names).
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {

struct CudaDeviceMemoryPass
    : PassWrapper<CudaDeviceMemoryPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaDeviceMemoryPass)

  StringRef getArgument() const override { return "zo-cuda-device-memory"; }
  StringRef getDescription() const override {
    return "Host memref.alloc/dealloc as gpu.alloc/dealloc; constants read "
           "by a gpu.launch fetched inside it";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<gpu::GPUDialect>();
  }
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    SmallVector<Operation *> allocs, deallocs;
    SmallVector<memref::GetGlobalOp> globals;
    fn.walk([&](Operation *op) {
      if (op->getParentOfType<gpu::LaunchOp>())
        return;
      if (isa<memref::AllocOp>(op))
        allocs.push_back(op);
      else if (isa<memref::DeallocOp>(op))
        deallocs.push_back(op);
      else if (auto global = dyn_cast<memref::GetGlobalOp>(op))
        globals.push_back(global);
    });
    for (Operation *op : allocs) {
      auto alloc = cast<memref::AllocOp>(op);
      OpBuilder b(alloc);
      auto gpuAlloc = gpu::AllocOp::create(
          b, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
          /*asyncDependencies=*/ValueRange(), alloc.getDynamicSizes(),
          alloc.getSymbolOperands(), /*hostShared=*/nullptr);
      alloc.replaceAllUsesWith(gpuAlloc.getMemref());
      alloc.erase();
    }
    for (Operation *op : deallocs) {
      auto dealloc = cast<memref::DeallocOp>(op);
      OpBuilder b(dealloc);
      gpu::DeallocOp::create(b, dealloc.getLoc(), /*asyncToken=*/Type(),
                             /*asyncDependencies=*/ValueRange(),
                             dealloc.getMemref());
      dealloc.erase();
    }
    for (memref::GetGlobalOp global : globals) {
      // One fetch per launch that uses the constant.
      DenseMap<Operation *, Value> perLaunch;
      for (OpOperand &use : llvm::make_early_inc_range(global->getUses())) {
        auto launch = use.getOwner()->getParentOfType<gpu::LaunchOp>();
        if (!launch)
          continue;
        Value &local = perLaunch[launch];
        if (!local) {
          OpBuilder b = OpBuilder::atBlockBegin(&launch.getBody().front());
          local = b.clone(*global)->getResult(0);
        }
        use.set(local);
      }
      if (global->use_empty())
        global.erase();
    }
  }
};

struct CudaMergeKernelModulesPass
    : PassWrapper<CudaMergeKernelModulesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaMergeKernelModulesPass)

  StringRef getArgument() const override {
    return "zo-cuda-merge-kernel-modules";
  }
  StringRef getDescription() const override {
    return "Merge the gpu.modules of outlined kernels into one";
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> kernelModules(
        module.getOps<gpu::GPUModuleOp>());
    if (kernelModules.size() < 2)
      return;
    MLIRContext *ctx = &getContext();
    SymbolTable table(module);
    OpBuilder b(kernelModules.front());
    std::string name =
        (module.getSymName() ? module.getSymName()->str() : "zo") + "_kernels";
    auto merged = gpu::GPUModuleOp::create(b, module.getLoc(), name);
    table.insert(merged);
    SymbolTable mergedTable(merged);

    // Old @module::@kernel -> new @merged::@kernel.
    DenseMap<Attribute, SymbolRefAttr> renamed;
    for (gpu::GPUModuleOp kernelModule : kernelModules) {
      StringRef moduleName = kernelModule.getSymName();
      for (Operation &op : llvm::make_early_inc_range(
               kernelModule.getBody()->getOperations())) {
        if (auto fn = dyn_cast<gpu::GPUFuncOp>(op)) {
          SymbolRefAttr oldRef = SymbolRefAttr::get(
              ctx, moduleName, {FlatSymbolRefAttr::get(ctx, fn.getName())});
          op.remove();
          fn.setName(moduleName);
          mergedTable.insert(fn);
          renamed[oldRef] =
              SymbolRefAttr::get(ctx, merged.getSymName(),
                                 {FlatSymbolRefAttr::get(ctx, fn.getName())});
          continue;
        }
        // Globals and helper declarations cloned into every module that uses
        // them: keep one copy.
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (symbol && mergedTable.lookup(symbol.getName()))
          continue;
        op.remove();
        mergedTable.insert(&op);
      }
      kernelModule.erase();
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = renamed.find(launch.getKernelAttr());
      if (it != renamed.end())
        launch.setKernelAttr(it->second);
    });
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaDeviceMemoryPass() {
  return std::make_unique<CudaDeviceMemoryPass>();
}

std::unique_ptr<Pass> mlir::zo::createCudaMergeKernelModulesPass() {
  return std::make_unique<CudaMergeKernelModulesPass>();
}
