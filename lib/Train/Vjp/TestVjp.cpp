//===- TestVjp.cpp - zo-test-vjp: expose the VJP of every function --------===//
//
// A test and debugging pass: for each function @f it adds
// @f_vjp(args, result cotangents) -> (results, argument gradients), built by
// the reverse-mode driver the first-order training steps use, so each rule
// can be compiled, run and compared with finite differences
// (test/Train/vjp-*.mlir) and whole models with torch autograd.
//
//===----------------------------------------------------------------------===//

#include "VjpUtils.h"
#include "zo/Train/Passes.h"
#include "zo/Train/ZerothOrder.h"

namespace mlir::zo {
#define GEN_PASS_DEF_ZOTESTVJP
#include "zo/Train/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;
using vjputil::isFloatTensor;

namespace {
struct ZoTestVjpPass : zo::impl::ZoTestVjpBase<ZoTestVjpPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult addVjpOf(func::FuncOp f);
};
} // namespace

void ZoTestVjpPass::runOnOperation() {
  SmallVector<func::FuncOp> functions(getOperation().getOps<func::FuncOp>());
  for (func::FuncOp f : functions)
    if (!f.isExternal() && failed(addVjpOf(f)))
      return signalPassFailure();
}

LogicalResult ZoTestVjpPass::addVjpOf(func::FuncOp f) {
  MLIRContext *ctx = &getContext();
  std::string name = (f.getName() + "_vjp").str();
  if (Operation *existing = getOperation().lookupSymbol(name))
    return existing->emitError()
           << "zo-test-vjp: @" << name << " exists already";
  if (!f.getBody().hasOneBlock())
    return f.emitError() << "zo-test-vjp: @" << f.getName()
                         << " must have one block";

  auto nameOf = [&](DictionaryAttr attrs, StringRef fallback, unsigned i) {
    auto named = attrs ? attrs.getAs<StringAttr>("zo.name") : StringAttr();
    return named ? named.getValue().str() : fallback.str() + std::to_string(i);
  };
  auto attrsOr = [&](DictionaryAttr d) {
    return d ? Attribute(d) : Attribute(DictionaryAttr::get(ctx));
  };
  auto named = [&](std::string n, bool isInput) {
    return StepSignature::named(ctx, n, isInput ? "input" : "");
  };

  // Arguments: f's, then one cotangent per float result ("cotangent:<name>",
  // role input). Results: f's, then one gradient per float argument
  // ("grad:<name>").
  FunctionType type = f.getFunctionType();
  SmallVector<Type> argTypes(type.getInputs()), resultTypes(type.getResults());
  SmallVector<Attribute> argAttrs, resultAttrs;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    argAttrs.push_back(attrsOr(f.getArgAttrDict(i)));
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    resultAttrs.push_back(attrsOr(f.getResultAttrDict(i)));
  SmallVector<int64_t> cotangentArg; // per result: its argument, or -1
  for (auto [i, t] : llvm::enumerate(type.getResults())) {
    cotangentArg.push_back(isFloatTensor(t) ? argTypes.size() : -1);
    if (!isFloatTensor(t))
      continue;
    argTypes.push_back(t);
    argAttrs.push_back(named(
        "cotangent:" + nameOf(f.getResultAttrDict(i), "result", i), true));
  }
  SmallVector<BlockArgument> wrt;
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    if (!isFloatTensor(t))
      continue;
    wrt.push_back(f.getArgument(i));
    resultTypes.push_back(t);
    resultAttrs.push_back(
        named("grad:" + nameOf(f.getArgAttrDict(i), "arg", i), false));
  }

  OpBuilder b(ctx);
  b.setInsertionPointAfter(f);
  auto vjpFn = func::FuncOp::create(
      b, f.getLoc(), name, FunctionType::get(ctx, argTypes, resultTypes));
  vjpFn.setAllArgAttrs(argAttrs);
  vjpFn.setAllResultAttrs(resultAttrs);
  Block *entry = vjpFn.addEntryBlock();
  b.setInsertionPointToStart(entry);

  IRMapping map;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    map.map(f.getArgument(i), entry->getArgument(i));
  VjpOptions options;
  options.wrt = wrt;
  auto seed = [&](OpBuilder &, Location, unsigned index, Value) -> Value {
    int64_t pos = cotangentArg[index];
    return pos < 0 ? Value() : entry->getArgument(pos);
  };
  options.resultCotangent = seed;
  // Checks the driver's completion contract: each gradient is reported
  // once, and no later backward op adds to it.
  // With mark-complete, the gradient is wrapped where it was reported, so
  // a test can see where in the backward pass that happens.
  SmallVector<Value> reported(wrt.size()), marked(wrt.size());
  SmallVector<bool> seen(wrt.size(), false);
  auto onGradient = [&](OpBuilder &ob, unsigned i, BlockArgument arg,
                        Value grad) {
    seen[i] = true;
    reported[i] = marked[i] = grad;
    if (!markComplete || !grad)
      return;
    auto mark = graph::IdentityOp::create(ob, grad.getLoc(), grad);
    mark->setAttr(
        "zo.gradient_complete",
        StringAttr::get(ctx, nameOf(f.getArgAttrDict(arg.getArgNumber()), "arg",
                                    arg.getArgNumber())));
    marked[i] = mark;
  };
  options.onGradient = onGradient;
  FailureOr<VjpValues> values = buildVjp(b, f.getBody().front(), map, options);
  if (failed(values)) {
    vjpFn.erase();
    return failure();
  }
  SmallVector<Value> returned(values->primals);
  for (auto [i, grad] : llvm::enumerate(values->gradients)) {
    if (!seen[i] || reported[i] != grad) {
      vjpFn.erase();
      return f.emitError() << "zo-test-vjp: the gradient of argument #"
                           << wrt[i].getArgNumber()
                           << " changed after it was reported final";
    }
    returned.push_back(grad ? marked[i]
                            : vjputil::zerosLike(b, f.getLoc(), wrt[i]));
  }
  func::ReturnOp::create(b, f.getLoc(), returned);
  return success();
}
