//===- TestJvp.cpp - zo-test-jvp: expose the JVP of every function --------===//
//
// A test and debugging pass: for each function @f it adds
// @f_jvp(args, tangents) -> (results, result tangents), built by the same
// driver as Forward-Grad, so each rule can be compiled, run and compared
// with finite differences (test/Train/jvp-*.test).
//
//===----------------------------------------------------------------------===//

#include "JvpUtils.h"
#include "zo/Train/Passes.h"
#include "zo/Train/ZerothOrder.h"

namespace mlir::zo {
#define GEN_PASS_DEF_ZOTESTJVP
#include "zo/Train/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;
using jvputil::isFloatTensor;

namespace {
struct ZoTestJvpPass : zo::impl::ZoTestJvpBase<ZoTestJvpPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult addJvpOf(func::FuncOp f);
  /// "tangent:<name>" (one direction) or "tangent<k>:<name>".
  std::string tangentName(StringRef name, int64_t dir) const {
    return (directions == 1 ? std::string("tangent:")
                            : "tangent" + std::to_string(dir) + ":") +
           name.str();
  }
};
} // namespace

void ZoTestJvpPass::runOnOperation() {
  if (directions < 1) {
    emitError(getOperation().getLoc())
        << "zo-test-jvp: directions must be >= 1, got "
        << static_cast<int64_t>(directions);
    return signalPassFailure();
  }
  SmallVector<func::FuncOp> functions(getOperation().getOps<func::FuncOp>());
  for (func::FuncOp f : functions)
    if (!f.isExternal() && failed(addJvpOf(f)))
      return signalPassFailure();
}

LogicalResult ZoTestJvpPass::addJvpOf(func::FuncOp f) {
  MLIRContext *ctx = &getContext();
  std::string name = (f.getName() + "_jvp").str();
  if (Operation *existing = getOperation().lookupSymbol(name))
    return existing->emitError()
           << "zo-test-jvp: @" << name << " exists already";
  if (!f.getBody().hasOneBlock())
    return f.emitError() << "zo-test-jvp: @" << f.getName()
                         << " must have one block";

  auto nameOf = [&](DictionaryAttr attrs, StringRef fallback, unsigned i) {
    auto named = attrs ? attrs.getAs<StringAttr>("zo.name") : StringAttr();
    return named ? named.getValue().str() : fallback.str() + std::to_string(i);
  };
  // Tangent arguments are inputs (role "input"); results carry no role.
  auto tangentAttrs = [&](std::string primalName, int64_t dir, bool isArg) {
    return StepSignature::named(ctx, tangentName(primalName, dir),
                                isArg ? "input" : "");
  };

  // Arguments: f's, then per direction one tangent per float argument.
  // Results: f's, then per direction one tangent per float result.
  FunctionType type = f.getFunctionType();
  SmallVector<Type> argTypes(type.getInputs()), resultTypes(type.getResults());
  SmallVector<Attribute> argAttrs, resultAttrs;
  auto attrsOr = [&](DictionaryAttr d) {
    return d ? Attribute(d) : Attribute(DictionaryAttr::get(ctx));
  };
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    argAttrs.push_back(attrsOr(f.getArgAttrDict(i)));
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    resultAttrs.push_back(attrsOr(f.getResultAttrDict(i)));
  // tangentArg[dir][i]: position of argument i's tangent (or -1).
  SmallVector<SmallVector<int64_t>> tangentArg(directions);
  for (int64_t dir = 0; dir < directions; ++dir) {
    for (auto [i, t] : llvm::enumerate(type.getInputs())) {
      tangentArg[dir].push_back(isFloatTensor(t) ? argTypes.size() : -1);
      if (!isFloatTensor(t))
        continue;
      argTypes.push_back(t);
      argAttrs.push_back(
          tangentAttrs(nameOf(f.getArgAttrDict(i), "arg", i), dir, true));
    }
    for (auto [i, t] : llvm::enumerate(type.getResults())) {
      if (!isFloatTensor(t))
        continue;
      resultTypes.push_back(t);
      resultAttrs.push_back(tangentAttrs(
          nameOf(f.getResultAttrDict(i), "result", i), dir, false));
    }
  }

  OpBuilder b(ctx);
  b.setInsertionPointAfter(f);
  auto jvpFn = func::FuncOp::create(
      b, f.getLoc(), name, FunctionType::get(ctx, argTypes, resultTypes));
  jvpFn.setAllArgAttrs(argAttrs);
  jvpFn.setAllResultAttrs(resultAttrs);
  Block *entry = jvpFn.addEntryBlock();
  b.setInsertionPointToStart(entry);

  IRMapping map;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    map.map(f.getArgument(i), entry->getArgument(i));
  JvpOptions options;
  options.numDirections = directions;
  auto seed = [&](OpBuilder &, Location, BlockArgument arg,
                  int64_t dir) -> Value {
    int64_t pos = tangentArg[dir][arg.getArgNumber()];
    return pos < 0 ? Value() : entry->getArgument(pos);
  };
  options.argTangent = seed;
  FailureOr<JvpValues> values = buildJvp(b, f.getBody().front(), map, options);
  if (failed(values)) {
    jvpFn.erase();
    return failure();
  }
  SmallVector<Value> returned(values->primals);
  for (int64_t dir = 0; dir < directions; ++dir)
    for (auto [primal, tangent] :
         llvm::zip_equal(values->primals, values->tangents[dir]))
      if (isFloatTensor(primal.getType()))
        returned.push_back(tangent ? tangent
                                   : jvputil::zerosLike(b, f.getLoc(), primal));
  func::ReturnOp::create(b, f.getLoc(), returned);
  return success();
}
