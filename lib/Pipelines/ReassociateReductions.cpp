//===- ReassociateReductions.cpp - let LLVM vectorize f32 reductions ------===//
//
// A linalg reduction becomes a loop carrying `acc = acc + f(x)`; without
// permission to reorder the additions LLVM keeps that loop scalar, and with
// it everything else in the body: softmax's exp, layer norm's squares, the
// loss's log-sum-exp ran one element at a time (GPT-2 small at 1024 tokens:
// 151M exponentials per forward in attention alone). Marking the combining
// op `reassoc` lets the loop vectorizer keep one partial sum per vector lane
// and add them at the end. The order is fixed by the compiled code, so a
// module still gives the same bits on every run; it may differ in the last
// bits from the sequential sum (and between CPUs with other vector widths,
// as BLAS already does).
//
//===----------------------------------------------------------------------===//

#include "zo/Pipelines/CpuLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {

/// The op combining the running value of a reduction output with the new
/// element: the yielded value, computed by an add or a multiply that reads
/// the output's block argument directly.
arith::ArithFastMathInterface combiner(linalg::GenericOp op,
                                       OpOperand *init) {
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  unsigned result = cast<OpResult>(op.getTiedOpResult(init)).getResultNumber();
  Operation *def = yield.getOperand(result).getDefiningOp();
  if (!isa_and_nonnull<arith::AddFOp, arith::MulFOp>(def))
    return nullptr;
  BlockArgument acc = op.getMatchingBlockArgument(init);
  if (!llvm::is_contained(def->getOperands(), Value(acc)))
    return nullptr;
  return dyn_cast<arith::ArithFastMathInterface>(def);
}

struct ReassociateReductionsPass
    : PassWrapper<ReassociateReductionsPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ReassociateReductionsPass)

  StringRef getArgument() const override {
    return "zo-reassociate-reductions";
  }
  StringRef getDescription() const override {
    return "Mark the combining add/mul of linalg f32 reductions `reassoc` so "
           "LLVM vectorizes the reduction loops";
  }
  void runOnOperation() override {
    getOperation()->walk([](linalg::GenericOp op) {
      if (op.getNumReductionLoops() == 0)
        return;
      for (OpOperand &init : op.getDpsInitsMutable()) {
        arith::ArithFastMathInterface add = combiner(op, &init);
        if (!add)
          continue;
        auto flags = add.getFastMathFlagsAttr();
        auto reassoc = arith::FastMathFlagsAttr::get(
            op.getContext(),
            (flags ? flags.getValue() : arith::FastMathFlags::none) |
                arith::FastMathFlags::reassoc);
        add->setAttr(add.getFastMathAttrName(), reassoc);
      }
    });
  }
};
} // namespace

std::unique_ptr<Pass> mlir::zo::createReassociateReductionsPass() {
  return std::make_unique<ReassociateReductionsPass>();
}
