//===- LaneNarrowing.cpp - 64-bit lane idioms as 32-bit shuffles ----------===//
//
// See zo/Runtime/LaneNarrowing.h. Both rewrites compute the same bits as
// the instruction they replace on a little-endian target: the low 32 bits
// of 64-bit lane i are 32-bit element 2i of the same register, the high
// ones element 2i + 1.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/LaneNarrowing.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/PatternMatch.h"

using namespace llvm;

namespace {
/// `v` (a vector of i64) as twice as many i32.
Value *asHalves(IRBuilder<> &b, Value *v) {
  auto *type = cast<FixedVectorType>(v->getType());
  return b.CreateBitCast(
      v, FixedVectorType::get(b.getInt32Ty(), 2 * type->getNumElements()));
}

/// lshr <N x i64> %p, 32 -> the odd halves moved down, the even ones cleared.
bool rewriteHighHalves(BinaryOperator *shift) {
  using namespace PatternMatch;
  auto *type = dyn_cast<FixedVectorType>(shift->getType());
  if (!type || !type->getElementType()->isIntegerTy(64) ||
      !match(shift->getOperand(1), m_SpecificInt(32)))
    return false;
  IRBuilder<> b(shift);
  SmallVector<int> mask;
  for (unsigned i = 0, e = type->getNumElements(); i < e; ++i)
    mask.append({int(2 * i + 1), int(2 * i + 1)});
  Value *odd = b.CreateShuffleVector(asHalves(b, shift->getOperand(0)), mask);
  Value *high = b.CreateAnd(b.CreateBitCast(odd, type),
                            ConstantInt::get(type, 0xffffffffull));
  high->takeName(shift);
  shift->replaceAllUsesWith(high);
  shift->eraseFromParent();
  return true;
}

/// trunc <N x i64> to <N x i32>, N >= 16 -> the even halves.
bool rewriteTruncation(TruncInst *trunc) {
  auto *from = dyn_cast<FixedVectorType>(trunc->getSrcTy());
  auto *to = dyn_cast<FixedVectorType>(trunc->getDestTy());
  if (!from || !to || !from->getElementType()->isIntegerTy(64) ||
      !to->getElementType()->isIntegerTy(32) || from->getNumElements() < 16)
    return false;
  IRBuilder<> b(trunc);
  SmallVector<int> mask;
  for (unsigned i = 0, e = from->getNumElements(); i < e; ++i)
    mask.push_back(int(2 * i));
  Value *even = b.CreateShuffleVector(asHalves(b, trunc->getOperand(0)), mask);
  even->takeName(trunc);
  trunc->replaceAllUsesWith(even);
  trunc->eraseFromParent();
  return true;
}
} // namespace

bool mlir::zo::rt::narrowVectorLanes(Function &f) {
  SmallVector<Instruction *> candidates;
  for (Instruction &inst : instructions(f))
    if (isa<TruncInst>(inst) || inst.getOpcode() == Instruction::LShr)
      candidates.push_back(&inst);
  bool changed = false;
  for (Instruction *inst : candidates) {
    if (auto *trunc = dyn_cast<TruncInst>(inst))
      changed |= rewriteTruncation(trunc);
    else
      changed |= rewriteHighHalves(cast<BinaryOperator>(inst));
  }
  return changed;
}
