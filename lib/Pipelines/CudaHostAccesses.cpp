//===- CudaHostAccesses.cpp - every memory access inside a kernel ---------===//
//
// On the GPU the host cannot read or write the buffers: they are device
// memory. After linalg becomes loops, the accesses that are not in an
// scf.parallel (rank-0 arithmetic such as the loss division, full reductions
// that linalg lowers to scf.for only, copies) are put in a one-iteration
// scf.parallel, which the mapping turns into a one-thread kernel. Three
// passes:
// - zo-cuda-copies-to-linalg (before the loops): memref.copy as linalg.copy,
//   so a copy becomes a copy loop like everything else;
// - zo-cuda-wrap-host-accesses (on the loops): maximal runs of host ops that
//   touch memref contents, with the pure arithmetic between them, each in one
//   scf.parallel. Runs end at allocations, calls (cuBLAS), views and loops
//   that are parallel already, so the order of side effects is unchanged;
// - zo-cuda-check-host (after the mapping): the contract; any host op left
//   that reads or writes memref contents is an error, and so is a kernel
//   using host memory (a memref.alloca or memref.get_global of the host).
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CudaLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

/// Whether `op` itself reads or writes the contents of a memref (allocation
/// and freeing are host-side bookkeeping, calls are runtime entry points
/// taking device pointers).
bool accessesMemrefContents(Operation *op) {
  if (isa<func::CallOp, func::ReturnOp, memref::AllocOp, memref::AllocaOp,
          memref::DeallocOp, gpu::AllocOp, gpu::DeallocOp, gpu::WaitOp,
          gpu::LaunchFuncOp, gpu::LaunchOp, gpu::MemcpyOp, gpu::MemsetOp>(op))
    return false;
  if (isa<memref::LoadOp, memref::StoreOp, memref::CopyOp, memref::AtomicRMWOp,
          memref::GenericAtomicRMWOp, linalg::LinalgOp>(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return false;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect()) &&
           e.getValue() && isa<BaseMemRefType>(e.getValue().getType());
  });
}

/// Whether `op` or an op nested in it accesses memref contents, outside any
/// nested scf.parallel / gpu.launch.
bool touchesDeviceMemory(Operation *op) {
  if (isa<scf::ParallelOp, gpu::LaunchOp>(op))
    return false;
  if (accessesMemrefContents(op))
    return true;
  bool found = false;
  op->walk<WalkOrder::PreOrder>([&](Operation *nested) {
    if (nested == op)
      return WalkResult::advance();
    if (isa<scf::ParallelOp, gpu::LaunchOp>(nested))
      return WalkResult::skip();
    if (accessesMemrefContents(nested)) {
      found = true;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

/// Pure, region-free host arithmetic that may sit between two accesses of
/// one run (it then moves into the kernel with them).
bool isMovableArithmetic(Operation *op) {
  return op->getNumRegions() == 0 && isPure(op) &&
         !isa<memref::MemRefDialect, gpu::GPUDialect>(op->getDialect()) &&
         llvm::none_of(op->getResultTypes(), llvm::IsaPred<BaseMemRefType>);
}

struct CopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct CudaCopiesToLinalgPass
    : PassWrapper<CudaCopiesToLinalgPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaCopiesToLinalgPass)

  StringRef getArgument() const override { return "zo-cuda-copies-to-linalg"; }
  StringRef getDescription() const override {
    return "Rewrite memref.copy into linalg.copy (a copy loop)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect>();
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

/// Moves the memory accesses of `run` (consecutive ops of one block) and
/// the arithmetic computed from them into a one-iteration scf.parallel placed
/// after the run; arithmetic independent of the run stays on the host. Fails
/// if a value read from memory is used after the run.
LogicalResult wrapRun(ArrayRef<Operation *> run) {
  llvm::SmallPtrSet<Operation *, 16> moved;
  SmallVector<Operation *> toMove;
  for (Operation *op : run) {
    bool move = touchesDeviceMemory(op) ||
                llvm::any_of(op->getOperands(), [&](Value v) {
                  return moved.contains(v.getDefiningOp());
                });
    if (move) {
      moved.insert(op);
      toMove.push_back(op);
    }
  }
  for (Operation *op : toMove)
    for (Operation *user : op->getUsers()) {
      Operation *owner = op->getBlock()->findAncestorOpInBlock(*user);
      if (!owner || !moved.contains(owner))
        return user->emitError()
               << "zo-cuda: host code uses a value read from device memory "
                  "(defined by '"
               << op->getName() << "'); it must be computed in a kernel";
    }
  OpBuilder b(run.front()->getContext());
  b.setInsertionPointAfter(run.back());
  Location loc = toMove.front()->getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto parallel = scf::ParallelOp::create(b, loc, ValueRange{zero},
                                          ValueRange{one}, ValueRange{one});
  Operation *terminator = parallel.getBody()->getTerminator();
  for (Operation *op : toMove)
    op->moveBefore(terminator);
  return success();
}

struct CudaWrapHostAccessesPass
    : PassWrapper<CudaWrapHostAccessesPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaWrapHostAccessesPass)

  StringRef getArgument() const override {
    return "zo-cuda-wrap-host-accesses";
  }
  StringRef getDescription() const override {
    return "Wrap host ops that read or write memref contents (outside "
           "scf.parallel) in one-iteration scf.parallel loops";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, scf::SCFDialect>();
  }
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isDeclaration())
      return;
    // Every block reachable without entering a parallel loop: host code.
    SmallVector<Block *> blocks;
    fn.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<scf::ParallelOp, gpu::LaunchOp>(op))
        return WalkResult::skip();
      // A host loop that itself holds parallel loops stays on the host; its
      // body is host code too. Any other op touching memory is wrapped whole.
      bool holdsParallel = false;
      op->walk([&](Operation *nested) {
        if (nested != op && isa<scf::ParallelOp, gpu::LaunchOp>(nested))
          holdsParallel = true;
      });
      if (op != fn && !holdsParallel)
        return WalkResult::skip();
      for (Region &region : op->getRegions())
        for (Block &block : region)
          blocks.push_back(&block);
      return WalkResult::advance();
    });
    for (Block *block : blocks) {
      SmallVector<SmallVector<Operation *>> runs;
      SmallVector<Operation *> current;
      auto close = [&] {
        while (!current.empty() && !touchesDeviceMemory(current.back()))
          current.pop_back();
        if (!current.empty())
          runs.push_back(current);
        current.clear();
      };
      for (Operation &op : *block) {
        bool holdsParallel = false;
        op.walk([&](Operation *nested) {
          if (isa<scf::ParallelOp, gpu::LaunchOp>(nested))
            holdsParallel = true;
        });
        if (!holdsParallel && touchesDeviceMemory(&op)) {
          current.push_back(&op);
          continue;
        }
        if (!current.empty() && isMovableArithmetic(&op)) {
          current.push_back(&op);
          continue;
        }
        close();
      }
      close();
      for (ArrayRef<Operation *> run : runs)
        if (failed(wrapRun(run)))
          return signalPassFailure();
    }
  }
};

struct CudaCheckHostPass
    : PassWrapper<CudaCheckHostPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CudaCheckHostPass)

  StringRef getArgument() const override { return "zo-cuda-check-host"; }
  StringRef getDescription() const override {
    return "Fail on host ops that read or write memref contents (device "
           "memory) outside GPU kernels";
  }
  void runOnOperation() override {
    bool failedCheck = false;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto launch = dyn_cast<gpu::LaunchOp>(op)) {
        // A kernel must not be handed host memory: a stack buffer or a
        // global fetched on the host.
        launch.getBody().walk([&](Operation *inner) {
          for (Value v : inner->getOperands()) {
            Operation *def = v.getDefiningOp();
            if (!isa_and_nonnull<memref::AllocaOp, memref::GetGlobalOp>(def) ||
                launch->isAncestor(def))
              continue;
            inner->emitError() << "zo-cuda: a kernel uses host memory ('"
                               << def->getName() << "' outside the launch)";
            failedCheck = true;
          }
        });
        return WalkResult::skip();
      }
      if (isa<gpu::GPUModuleOp, memref::GlobalOp>(op))
        return WalkResult::skip();
      if (accessesMemrefContents(op)) {
        op->emitError() << "zo-cuda: host code accesses device memory; "
                           "only kernels may";
        failedCheck = true;
      }
      return WalkResult::advance();
    });
    if (failedCheck)
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> mlir::zo::createCudaCopiesToLinalgPass() {
  return std::make_unique<CudaCopiesToLinalgPass>();
}

std::unique_ptr<Pass> mlir::zo::createCudaWrapHostAccessesPass() {
  return std::make_unique<CudaWrapHostAccessesPass>();
}

std::unique_ptr<Pass> mlir::zo::createCudaCheckHostPass() {
  return std::make_unique<CudaCheckHostPass>();
}
