//===- FirstOrder.cpp - gradient-based training steps ---------------------===//
//
// Builds @train_step from @forward: the forward, then the reverse sweep of
// `buildVjp`, and each trained parameter's update right where its gradient
// becomes complete (`VjpOptions::onGradient`), written into the
// parameter's own buffer. The backward sweep runs from the loss to the
// inputs, so the last layer's weights are updated first and each gradient
// dies right after its update ("fused backward update"): at most one
// parameter's gradient is alive beyond the activation gradients in flight.
//
//   sgd     b <- mu b + (g + wd p) (momentum state only if mu > 0),
//           p <- p - lr b (or p - lr (g + wd p) without momentum);
//   adamw   m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2,
//           p <- p (1 - lr wd) - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + e);
//   sinkgd  p <- p - (s lr) SR-Sinkhorn(g) for the block matrices, AdamW
//           for the rest (FirstOrder.h);
//   swan    p <- p - (s lr) GradWhitening(GradNorm(g)) likewise.
//
//===----------------------------------------------------------------------===//

#include "zo/Dialect/Graph/GraphDialect.h"
#include "zo/Train/FirstOrder.h"
#include "zo/Train/Passes.h"
#include "zo/Train/Vjp.h"
#include "zo/Train/ZerothOrder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Regex.h"

namespace mlir::zo {
#define GEN_PASS_DEF_ZOFIRSTORDER
#include "zo/Train/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;

namespace {

/// In the order of getFirstOrderMethods().
enum class Method { Sgd, AdamW, SinkGD, Swan };

/// How one trained parameter is updated.
enum class Rule { Sgd, AdamW, Matrix };

struct ZoFirstOrderPass : zo::impl::ZoFirstOrderBase<ZoFirstOrderPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  std::optional<Method> checkOptions();
  /// True if forward argument `arg` (a trained parameter) takes the
  /// normalized (SinkGD/SWAN) update: a 2-D weight read only by matrix
  /// products (directly or through a transpose), none of which is the
  /// model's head, and not named like an embedding or head;
  /// `matrices` overrides the shape rule.
  bool isBlockMatrix(BlockArgument arg, StringRef name) const;
};

} // namespace

ArrayRef<StringRef> mlir::zo::getFirstOrderMethods() {
  // In `Method` order.
  static const StringRef names[] = {"sgd", "adamw", "sinkgd", "swan"};
  return names;
}

std::optional<Method> ZoFirstOrderPass::checkOptions() {
  Location loc = getOperation().getLoc();
  ArrayRef<StringRef> names = getFirstOrderMethods();
  const StringRef *found = llvm::find(names, method);
  if (found == names.end()) {
    emitError(loc) << "zo-first-order: unknown method '" << method
                   << "' (known: " << llvm::join(names, ", ") << ")";
    return std::nullopt;
  }
  std::optional<Method> m = static_cast<Method>(found - names.begin());
  for (auto [name, value] :
       {std::pair<StringRef, double>{"momentum", momentum},
        {"beta1", beta1},
        {"beta2", beta2}})
    if (!(value >= 0.0 && value < 1.0)) {
      emitError(loc) << "zo-first-order: " << name
                     << " must be in [0, 1), got "
                     << llvm::formatv("{0}", value).str();
      return std::nullopt;
    }
  if (!(weightDecay >= 0.0) || !(adamEps > 0.0) || !(normClamp > 0.0)) {
    emitError(loc) << "zo-first-order: weight-decay must be >= 0 and "
                      "adam-eps, norm-clamp > 0";
    return std::nullopt;
  }
  if (sinkhornIterations < 1 || newtonSchulzIterations < 1) {
    emitError(loc) << "zo-first-order: sinkhorn-iterations and "
                      "newton-schulz-iterations must be >= 1";
    return std::nullopt;
  }
  for (auto [name, pattern] :
       {std::pair<StringRef, StringRef>{"trainable", trainable},
        {"frozen", frozen},
        {"matrices", matrices},
        {"adamw-params", adamwParams}}) {
    std::string why;
    if (!pattern.empty() && !llvm::Regex(pattern).isValid(why)) {
      emitError(loc) << "zo-first-order: invalid " << name << " regex '"
                     << pattern << "': " << why;
      return std::nullopt;
    }
  }
  return m;
}

bool ZoFirstOrderPass::isBlockMatrix(BlockArgument arg,
                                     StringRef name) const {
  auto type = dyn_cast<RankedTensorType>(arg.getType());
  if (!type || type.getRank() != 2)
    return false;
  if (!matrices.empty())
    return llvm::Regex(matrices).match(name);
  if (!adamwParams.empty() && llvm::Regex(adamwParams).match(name))
    return false;
  // A product that is the model's head (logits) reaches the loss without
  // passing through another matrix product. Exports often leave the LM head
  // unnamed (GPT-2's `onnx::MatMul_2636`), so the name alone cannot tell.
  auto isHead = [](Operation *product) {
    SmallVector<Value> work(product->getResults());
    DenseSet<Operation *> seen;
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (OpOperand &use : v.getUses()) {
        Operation *user = use.getOwner();
        if (isa<func::ReturnOp>(user) && use.getOperandNumber() == 0)
          return true;
        if (isa<graph::MatMulOp, graph::GemmOp>(user) ||
            !seen.insert(user).second)
          continue;
        llvm::append_range(work, user->getResults());
      }
    }
    return false;
  };
  std::function<bool(Value)> onlyProducts = [&](Value v) {
    return llvm::all_of(v.getUsers(), [&](Operation *user) {
      if (isa<graph::MatMulOp, graph::GemmOp>(user))
        return !isHead(user);
      return isa<graph::TransposeOp>(user) &&
             onlyProducts(user->getResult(0));
    });
  };
  return !arg.use_empty() && onlyProducts(arg);
}

void ZoFirstOrderPass::runOnOperation() {
  ModuleOp module = getOperation();
  std::optional<Method> kind = checkOptions();
  if (!kind)
    return signalPassFailure();
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal()) {
    emitError(module.getLoc())
        << "zo-first-order: no @forward function with a body";
    return signalPassFailure();
  }
  if (module.lookupSymbol("train_step")) {
    emitError(module.getLoc())
        << "zo-first-order: the module already has a @train_step";
    return signalPassFailure();
  }
  MLIRContext *ctx = &getContext();
  auto f32Scalar = RankedTensorType::get({}, Float32Type::get(ctx));
  auto i64Scalar = RankedTensorType::get({}, IntegerType::get(ctx, 64));
  FunctionType forwardType = forward.getFunctionType();
  if (forwardType.getNumResults() == 0 ||
      forwardType.getResult(0) != f32Scalar || !forward.getBody().hasOneBlock()) {
    forward.emitError() << "zo-first-order: @forward must have one block and "
                           "the loss (a tensor<f32>) as its first result";
    return signalPassFailure();
  }
  Block &body = forward.getBody().front();

  // Arguments: forward's non-parameters, its parameters, the state of each
  // trained parameter, then lr and the 1-based step count.
  StepSignature sig(forward);
  ArrayRef<unsigned> order = sig.order, paramOrder = sig.paramOrder;
  auto nameOf = [&](unsigned i) -> StringRef {
    auto name = forward.getArgAttrOfType<StringAttr>(i, "zo.name");
    return name ? name.getValue() : StringRef("arg");
  };

  llvm::Regex trainableRe(trainable), frozenRe(frozen);
  SmallVector<std::optional<Rule>> ruleOf(forward.getNumArguments());
  for (unsigned i : paramOrder) {
    StringRef n = nameOf(i);
    auto type = dyn_cast<RankedTensorType>(forward.getArgument(i).getType());
    if (!type || !isa<FloatType>(type.getElementType()) ||
        (!trainable.empty() && !trainableRe.match(n)) ||
        (!frozen.empty() && frozenRe.match(n)))
      continue;
    switch (*kind) {
    case Method::Sgd:
      ruleOf[i] = Rule::Sgd;
      break;
    case Method::AdamW:
      ruleOf[i] = Rule::AdamW;
      break;
    case Method::SinkGD:
    case Method::Swan:
      ruleOf[i] = isBlockMatrix(forward.getArgument(i), n) ? Rule::Matrix
                                                           : Rule::AdamW;
      break;
    }
  }
  auto stateKinds = [&](Rule rule) -> SmallVector<StringRef, 2> {
    if (rule == Rule::AdamW)
      return {"adam_m", "adam_v"};
    if (rule == Rule::Sgd && momentum > 0.0)
      return {"momentum"};
    return {};
  };

  auto named = [&](StringRef name, StringRef role) {
    return StepSignature::named(ctx, name, role);
  };
  SmallVector<unsigned> stateBase(forward.getNumArguments(), 0);
  for (unsigned i : paramOrder) {
    if (!ruleOf[i])
      continue;
    stateBase[i] = sig.types.size();
    for (StringRef k : stateKinds(*ruleOf[i]))
      sig.append(getUpdateType(forward.getArgument(i).getType()),
                 (k + ":" + nameOf(i)).str(), "state");
  }
  unsigned stepBase = sig.types.size();
  sig.append(f32Scalar, "lr", "step");
  sig.append(i64Scalar, "step", "step");
  ArrayRef<Type> argTypes = sig.types;
  ArrayRef<Attribute> argAttrs = sig.attrs;

  Location loc = forward.getLoc();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(forward);
  auto step = func::FuncOp::create(b, loc, "train_step",
                                   FunctionType::get(ctx, argTypes, {f32Scalar}));
  step.setAllArgAttrs(argAttrs);
  step.setAllResultAttrs(ArrayRef<Attribute>{named("loss", "")});
  Block *entry = step.addEntryBlock();
  b.setInsertionPointToStart(entry);

  IRMapping map;
  for (auto [pos, i] : llvm::enumerate(order))
    map.map(body.getArgument(i), entry->getArgument(pos));
  Value lr = entry->getArgument(stepBase);
  Value stepCount = entry->getArgument(stepBase + 1);

  // Step-level scalars, built once and only for the rules that use them:
  // AdamW's bias corrections 1 - b^t and decay factor 1 - lr wd, the
  // normalized methods' matrix learning rate.
  auto uses = [&](Rule rule) {
    return llvm::is_contained(ruleOf, std::optional<Rule>(rule));
  };
  Value correction1, correction2, decayFactor;
  if (uses(Rule::AdamW)) {
    Value one = buildScalar(b, loc, 1.0f);
    Value t = graph::CastOp::create(b, loc, f32Scalar, stepCount);
    auto correction = [&](double beta) -> Value {
      return graph::SubOp::create(
          b, loc, one,
          graph::PowOp::create(
              b, loc, buildScalar(b, loc, static_cast<float>(beta)), t));
    };
    correction1 = correction(beta1);
    correction2 = correction(beta2);
    if (weightDecay > 0.0)
      decayFactor = graph::SubOp::create(
          b, loc, one,
          graph::MulOp::create(
              b, loc, lr,
              buildScalar(b, loc, static_cast<float>(weightDecay))));
  }
  double scale = matrixLrScale >= 0.0 ? static_cast<double>(matrixLrScale)
                 : *kind == Method::SinkGD ? 0.05
                                           : 1.0;
  Value matrixLr =
      uses(Rule::Matrix)
          ? Value(graph::MulOp::create(b, loc, lr, buildScalar(b, loc, scale)))
          : Value();

  auto blend = [&](OpBuilder &b, double x, Value u, double y, Value v) {
    return graph::AddOp::create(
        b, loc,
        graph::MulOp::create(b, loc, u,
                             buildScalar(b, loc, static_cast<float>(x))),
        graph::MulOp::create(b, loc, v,
                             buildScalar(b, loc, static_cast<float>(y))));
  };

  // The update of forward argument `arg`, at `b`, from its gradient `g`.
  auto update = [&](OpBuilder &b, BlockArgument arg, Value g) {
    unsigned i = arg.getArgNumber();
    Value param = map.lookup(arg);
    Location ploc = arg.getLoc();
    // A bf16 parameter and its gradient are widened, the rule runs in f32
    // with f32 state, and the result is rounded once (getUpdateType).
    Type wide = getUpdateType(param.getType());
    Value p = buildCastTo(b, ploc, param, wide);
    g = buildCastTo(b, ploc, g, wide);
    Rule rule = *ruleOf[i];
    SmallVector<Value, 2> state;
    for (unsigned s = 0; s < stateKinds(rule).size(); ++s)
      state.push_back(entry->getArgument(stateBase[i] + s));
    Value next;
    switch (rule) {
    case Rule::Sgd: {
      Value d = g;
      if (weightDecay > 0.0)
        d = graph::AddOp::create(
            b, ploc, d,
            graph::MulOp::create(
                b, ploc, p,
                buildScalar(b, ploc, static_cast<float>(weightDecay))));
      // Later reads go through the written state (its own buffer), so the
      // new momentum needs no scratch buffer.
      if (momentum > 0.0)
        d = buildWriteBack(b, ploc, blend(b, momentum, state[0], 1.0, d),
                           state[0]);
      next = graph::SubOp::create(b, ploc, p,
                                  graph::MulOp::create(b, ploc, lr, d));
      break;
    }
    case Rule::AdamW: {
      Value m = buildWriteBack(b, ploc,
                               blend(b, beta1, state[0], 1.0 - beta1, g),
                               state[0]);
      Value v = buildWriteBack(
          b, ploc,
          blend(b, beta2, state[1], 1.0 - beta2,
                graph::MulOp::create(b, ploc, g, g)),
          state[1]);
      Value vHat = graph::DivOp::create(b, ploc, v, correction2);
      Value denom = graph::AddOp::create(
          b, ploc, graph::SqrtOp::create(b, ploc, vHat.getType(), vHat),
          buildScalar(b, ploc, static_cast<float>(adamEps)));
      Value delta = graph::MulOp::create(
          b, ploc, lr,
          graph::DivOp::create(
              b, ploc, graph::DivOp::create(b, ploc, m, correction1), denom));
      Value decayed =
          decayFactor && cast<RankedTensorType>(p.getType()).getRank() >= 2
              ? Value(graph::MulOp::create(b, ploc, p, decayFactor))
              : p;
      next = graph::SubOp::create(b, ploc, decayed, delta);
      break;
    }
    case Rule::Matrix: {
      Value direction =
          *kind == Method::SinkGD
              ? buildSinkhornDirection(b, ploc, g, sinkhornIterations,
                                       normClamp)
              : buildSwanDirection(b, ploc, g, newtonSchulzIterations,
                                   normClamp);
      next = graph::SubOp::create(
          b, ploc, p, graph::MulOp::create(b, ploc, matrixLr, direction));
      break;
    }
    }
    buildWriteBack(b, ploc, buildCastTo(b, ploc, next, param.getType()),
                   param);
  };

  SmallVector<BlockArgument> wrt;
  for (unsigned i : paramOrder)
    if (ruleOf[i])
      wrt.push_back(body.getArgument(i));
  VjpOptions options;
  options.wrt = wrt;
  auto seedLoss = [&](OpBuilder &b, Location l, unsigned index,
                      Value primal) -> Value {
    return index == 0 ? buildScalar(b, l, 1.0f) : Value();
  };
  options.resultCotangent = seedLoss;
  // Fused: each update where its gradient is complete. Otherwise (for
  // comparison) every update after the whole sweep, all gradients alive.
  SmallVector<std::pair<BlockArgument, Value>> deferred;
  auto onGradient = [&](OpBuilder &b, unsigned, BlockArgument arg,
                        Value grad) {
    if (!grad)
      return;
    if (fusedUpdate)
      update(b, arg, grad);
    else
      deferred.push_back({arg, grad});
  };
  options.onGradient = onGradient;
  FailureOr<VjpValues> vjp = buildVjp(b, body, map, options);
  if (failed(vjp)) {
    step.erase();
    return signalPassFailure();
  }
  for (auto [arg, grad] : deferred)
    update(b, arg, grad);
  func::ReturnOp::create(b, loc, ValueRange{vjp->primals[0]});
}
