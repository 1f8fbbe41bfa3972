//===- ZerothOrder.cpp - the zeroth-order training-step skeleton ----------===//
//
// Builds @train_step from @forward for every zeroth-order variant: forward
// clones at +eps / -eps (or unperturbed) counter-based noise, one projected
// gradient per query, the variant's update rule, and a write-back that
// one-shot bufferization must place in the parameter's own buffer.
//
// Perturbations are created right before a parameter's first use in each
// clone, so a perturbed weight exists only where it is consumed. All updates
// follow both clones in program order: bufferization keeps that order, and
// `materialize_in_destination` into the parameter tensor makes any later
// read of the old value a bufferization error instead of a silent miscompile.
//
//===----------------------------------------------------------------------===//

#include "zo/Train/GradientSparsity.h"
#include "zo/Train/Passes.h"
#include "zo/Train/ZerothOrder.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Regex.h"

namespace mlir::zo {
#define GEN_PASS_DEF_ZOZEROTHORDER
#include "zo/Train/Passes.h.inc"
} // namespace mlir::zo

using namespace mlir;
using namespace mlir::zo;

static const StringRef momentumState[] = {"momentum"};
static const StringRef adamState[] = {"adam_m", "adam_v"};

ArrayRef<ZoMethod> mlir::zo::getZoMethods() {
  static const ZoMethod methods[] = {
      {"zo-sgd", buildZoSgdUpdate},
      {"zo-sign", buildZoSignUpdate, prepareZoSign},
      {"zo-cons", buildZoConsUpdate, prepareZoCons},
      {"zo-sgd-mmt", buildZoMmtUpdate, nullptr, momentumState},
      {"zo-adam", buildZoAdamUpdate, prepareZoAdam, adamState},
      {"forward-grad", buildZoSgdUpdate, nullptr, {}, /*forwardMode=*/true},
  };
  return methods;
}

Value mlir::zo::buildAddNoise(OpBuilder &b, Location loc, Value x, Value seed,
                              Value alpha, int64_t paramId, int64_t stream) {
  return train::AddNoiseOp::create(b, loc, x.getType(), x, seed, alpha,
                                   b.getI64IntegerAttr(paramId),
                                   b.getI64IntegerAttr(stream));
}

Value mlir::zo::buildScalar(OpBuilder &b, Location loc, float value) {
  auto type = RankedTensorType::get({}, b.getF32Type());
  return graph::ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, value));
}

Type mlir::zo::getUpdateType(Type paramType) {
  auto type = dyn_cast<RankedTensorType>(paramType);
  if (!type)
    return paramType;
  auto elem = dyn_cast<FloatType>(type.getElementType());
  if (!elem || elem.getWidth() >= 32)
    return paramType;
  return type.clone(Float32Type::get(type.getContext()));
}

Value mlir::zo::buildCastTo(OpBuilder &b, Location loc, Value v, Type type) {
  if (v.getType() == type)
    return v;
  return graph::CastOp::create(b, loc, type, v);
}

/// Makes `next` the new contents of the donated buffer of `param`. The
/// tensor-form materialize must bufferize into the parameter's buffer (or
/// bufferization fails); the memref-form one writes that buffer onto itself
/// and exists only because it has a side effect, so that the update, which
/// no result uses, is not dead code. See docs/methods/zo-sgd.md for why the
/// simpler forms are wrong.
Value mlir::zo::buildWriteBack(OpBuilder &b, Location loc, Value next,
                               Value param) {
  auto type = cast<RankedTensorType>(param.getType());
  auto updated = bufferization::MaterializeInDestinationOp::create(
      b, loc, type, next, param);
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = bufferization::ToBufferOp::create(
      b, loc, memrefType, updated.getResult(), /*read_only=*/true);
  bufferization::MaterializeInDestinationOp::create(
      b, loc, Type(), updated.getResult(), buffer, /*restrict=*/true,
      /*writable=*/true);
  return updated.getResult();
}

StepSignature::StepSignature(func::FuncOp forward)
    : ctx(forward.getContext()) {
  for (unsigned i = 0, e = forward.getNumArguments(); i < e; ++i) {
    auto role = forward.getArgAttrOfType<StringAttr>(i, "zo.role");
    (role && role.getValue() == "param" ? paramOrder : order).push_back(i);
  }
  order.append(paramOrder);
  for (unsigned i : order) {
    types.push_back(forward.getArgument(i).getType());
    attrs.push_back(forward.getArgAttrDict(i)
                        ? Attribute(forward.getArgAttrDict(i))
                        : Attribute(DictionaryAttr::get(ctx)));
  }
}

void StepSignature::append(Type type, StringRef name, StringRef role) {
  types.push_back(type);
  attrs.push_back(named(ctx, name, role));
}

DictionaryAttr StepSignature::named(MLIRContext *ctx, StringRef name,
                                    StringRef role) {
  SmallVector<NamedAttribute> list{NamedAttribute(
      StringAttr::get(ctx, "zo.name"), StringAttr::get(ctx, name))};
  if (!role.empty())
    list.push_back(NamedAttribute(StringAttr::get(ctx, "zo.role"),
                                  StringAttr::get(ctx, role)));
  return DictionaryAttr::get(ctx, list);
}

namespace {
struct ZoZerothOrderPass
    : zo::impl::ZoZerothOrderBase<ZoZerothOrderPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Checks the options; returns the update rule.
  const ZoMethod *checkOptions();
};
} // namespace

const ZoMethod *ZoZerothOrderPass::checkOptions() {
  ModuleOp module = getOperation();
  const ZoMethod *found = nullptr;
  for (const ZoMethod &m : getZoMethods())
    if (m.name == method)
      found = &m;
  if (!found) {
    std::string known;
    for (const ZoMethod &m : getZoMethods())
      known += (known.empty() ? "" : ", ") + m.name.str();
    emitError(module.getLoc()) << "zo-zeroth-order: unknown method '" << method
                       << "' (known: " << known << ")";
    return nullptr;
  }
  if (found->forwardMode && oneSided) {
    emitError(module.getLoc())
        << "zo-zeroth-order: one-sided does not apply to method '" << method
        << "' (its d = dL/dp . z is exact, not a finite difference)";
    return nullptr;
  }
  if (!(eps > 0.0)) {
    emitError(module.getLoc()) << "zo-zeroth-order: eps must be > 0, got " << static_cast<double>(eps);
    return nullptr;
  }
  if (queries < 1) {
    emitError(module.getLoc()) << "zo-zeroth-order: queries must be >= 1, got "
                       << static_cast<int64_t>(queries);
    return nullptr;
  }
  if (!(weightDecay >= 0.0)) {
    emitError(module.getLoc()) << "zo-zeroth-order: weight-decay must be >= 0, got "
                       << static_cast<double>(weightDecay);
    return nullptr;
  }
  for (auto [name, value] : {std::pair<StringRef, double>{"momentum", momentum},
                             {"beta1", beta1},
                             {"beta2", beta2}}) {
    if (!(value >= 0.0 && value < 1.0)) {
      emitError(module.getLoc()) << "zo-zeroth-order: " << name
                                 << " must be in [0, 1), got "
                                 << llvm::formatv("{0}", value).str();
      return nullptr;
    }
  }
  if (!parseZoBlockLevel(blocks)) {
    emitError(module.getLoc())
        << "zo-zeroth-order: unknown blocks '" << blocks
        << "' (known: none, layer, module, linear, tensor)";
    return nullptr;
  }
  if (blockUpdate != "coordinate" && blockUpdate != "simultaneous") {
    emitError(module.getLoc())
        << "zo-zeroth-order: unknown block-update '" << blockUpdate
        << "' (known: coordinate, simultaneous)";
    return nullptr;
  }
  if (failed(parseZoSparsity(module.getLoc(), sparsity, sparsityScope,
                             maskEvery, maskSeed)))
    return nullptr;
  if (!(adamEps > 0.0)) {
    emitError(module.getLoc())
        << "zo-zeroth-order: adam-eps must be > 0, got "
        << static_cast<double>(adamEps);
    return nullptr;
  }
  for (auto [name, pattern] : {std::pair<StringRef, StringRef>{"trainable",
                                                               trainable},
                               {"frozen", frozen}}) {
    std::string why;
    if (!pattern.empty() && !llvm::Regex(pattern).isValid(why)) {
      emitError(module.getLoc()) << "zo-zeroth-order: invalid " << name << " regex '"
                         << pattern << "': " << why;
      return nullptr;
    }
  }
  return found;
}

void ZoZerothOrderPass::runOnOperation() {
  ModuleOp module = getOperation();
  const ZoMethod *rule = checkOptions();
  if (!rule)
    return signalPassFailure();

  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal()) {
    emitError(module.getLoc()) << "zo-zeroth-order: no @forward function with a body";
    return signalPassFailure();
  }
  if (module.lookupSymbol("train_step")) {
    emitError(module.getLoc()) << "zo-zeroth-order: the module already has a "
                          "@train_step";
    return signalPassFailure();
  }
  MLIRContext *ctx = &getContext();
  auto f32Scalar = RankedTensorType::get({}, Float32Type::get(ctx));
  auto i64Scalar = RankedTensorType::get({}, IntegerType::get(ctx, 64));
  FunctionType forwardType = forward.getFunctionType();
  if (forwardType.getNumResults() == 0 ||
      forwardType.getResult(0) != f32Scalar) {
    forward.emitError() << "zo-zeroth-order: the first result of @forward "
                           "must be the loss, a tensor<f32>";
    return signalPassFailure();
  }
  if (!forward.getBody().hasOneBlock()) {
    forward.emitError() << "zo-zeroth-order: @forward must have one block";
    return signalPassFailure();
  }

  // The step's arguments: forward's non-parameters, then its parameters (each
  // group in forward's order), then the method's state of each trained
  // parameter, then seed, lr and the step count.
  StepSignature sig(forward);
  ArrayRef<unsigned> order = sig.order, paramOrder = sig.paramOrder;

  llvm::Regex trainableRe(trainable), frozenRe(frozen);
  // Per forward argument: its param id, or -1 if it is not trained.
  SmallVector<int64_t> trainedId(forward.getNumArguments(), -1);
  for (auto [id, i] : llvm::enumerate(paramOrder)) {
    auto name = forward.getArgAttrOfType<StringAttr>(i, "zo.name");
    StringRef n = name ? name.getValue() : "";
    bool trained = (trainable.empty() || trainableRe.match(n)) &&
                   (frozen.empty() || !frozenRe.match(n));
    if (trained)
      trainedId[i] = id;
  }

  auto named = [&](StringRef name, StringRef role) {
    return StepSignature::named(ctx, name, role);
  };
  // State: per trained parameter (in order), one tensor per kind.
  SmallVector<std::pair<unsigned, unsigned>> stateOf(forward.getNumArguments());
  for (unsigned i : paramOrder) {
    if (trainedId[i] < 0)
      continue;
    stateOf[i] = {sig.types.size(), rule->state.size()};
    auto name = forward.getArgAttrOfType<StringAttr>(i, "zo.name");
    for (StringRef kind : rule->state)
      sig.append(
          getUpdateType(forward.getArgument(i).getType()),
          (kind + ":" + (name ? name.getValue() : StringRef("arg"))).str(),
          "state");
  }
  unsigned stepBase = sig.types.size();
  sig.append(i64Scalar, "seed", "step");
  sig.append(f32Scalar, "lr", "step");
  sig.append(i64Scalar, "step", "step");
  ArrayRef<Type> argTypes = sig.types;
  ArrayRef<Attribute> argAttrs = sig.attrs;

  Location loc = forward.getLoc();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(forward);
  auto step = func::FuncOp::create(
      b, loc, "train_step",
      FunctionType::get(ctx, argTypes, {f32Scalar, f32Scalar}));
  step.setAllArgAttrs(argAttrs);
  step.setAllResultAttrs(
      ArrayRef<Attribute>{named("loss", ""), named("projected_grad", "")});
  Block *entry = step.addEntryBlock();
  b.setInsertionPointToStart(entry);

  SmallVector<Value> stepArg(forward.getNumArguments());
  for (auto [pos, i] : llvm::enumerate(order))
    stepArg[i] = entry->getArgument(pos);
  Value seed = entry->getArgument(stepBase);
  Value lr = entry->getArgument(stepBase + 1);
  Value stepCount = entry->getArgument(stepBase + 2);
  Block &body = forward.getBody().front();

  ZoHyperparameters hyper;
  hyper.eps = eps;
  hyper.weightDecay = weightDecay;
  hyper.momentum = momentum;
  hyper.beta1 = beta1;
  hyper.beta2 = beta2;
  hyper.adamEpsilon = adamEps;
  hyper.queries = queries;
  hyper.oneSided = oneSided;

  // Blocks (one unless block-wise): each gets its own projected gradients
  // from forwards that perturb only its parameters. Coordinate updates
  // write a block right after its forwards, and later forwards read the
  // new values; simultaneous ones write every block at the end.
  SmallVector<int64_t> blockOf;
  int64_t numBlocks =
      assignZoBlocks(forward, trainedId, *parseZoBlockLevel(blocks), blockOf);
  bool coordinate = blockUpdate == "coordinate";
  // The value each forward argument has now (parameters change in
  // coordinate mode).
  SmallVector<Value> current(stepArg);

  // One clone of forward's body; the trained parameters of block `block`
  // (every block: -1) are replaced, right before their first use, by
  // `p + sum_s alphas[s] z(stream s)` (null entries skipped; none:
  // unperturbed). Returns the loss.
  auto cloneForwardIn = [&](int64_t block, ArrayRef<Value> alphas) -> Value {
    IRMapping map;
    bool perturbed = llvm::any_of(alphas, [](Value a) { return bool(a); });
    auto isPerturbed = [&](unsigned i) {
      return perturbed && trainedId[i] >= 0 &&
             (block < 0 || blockOf[i] == block);
    };
    for (BlockArgument arg : body.getArguments())
      if (!isPerturbed(arg.getArgNumber()))
        map.map(arg, current[arg.getArgNumber()]);
    for (Operation &op : body) {
      if (auto ret = dyn_cast<func::ReturnOp>(op))
        return map.lookup(ret.getOperand(0));
      op.walk([&](Operation *nested) {
        for (Value v : nested->getOperands()) {
          auto arg = dyn_cast<BlockArgument>(v);
          if (!arg || arg.getOwner() != &body || map.contains(arg))
            continue;
          unsigned i = arg.getArgNumber();
          Value p = current[i];
          for (auto [stream, alpha] : llvm::enumerate(alphas))
            if (alpha)
              p = buildAddNoise(b, op.getLoc(), p, seed, alpha, trainedId[i],
                                stream);
          map.map(arg, p);
        }
      });
      b.clone(op, map);
    }
    llvm_unreachable("a function body ends in a return");
  };

  /// What one block's forwards produced.
  struct BlockResult {
    SmallVector<Value> grads, stepValues;
    Value loss;
  };
  SmallVector<BlockResult> results(numBlocks);

  // Projected gradients of block `k` (one per query), then the method's
  // hook (extra forwards, shared scalars, the reported loss).
  auto evaluateBlock = [&](int64_t k) -> LogicalResult {
    int64_t block = numBlocks == 1 ? -1 : k;
    auto cloneForward = [&](double scale, int64_t stream) -> Value {
      SmallVector<Value> alphas(stream + 1);
      if (scale != 0.0)
        alphas[stream] = buildScalar(b, loc, static_cast<float>(scale));
      return cloneForwardIn(block, alphas);
    };
    BlockResult &r = results[k];
    Value unperturbed = oneSided ? cloneForward(0.0, 0) : Value();
    if (rule->forwardMode) {
      // Forward-Grad: d_s = dL/dp . z_s and L(p) from one JVP pass.
      SmallVector<int64_t> ids(trainedId);
      for (auto [i, id] : llvm::enumerate(ids))
        if (block >= 0 && blockOf[i] != block)
          id = -1;
      FailureOr<ZoJvpGradients> jvp =
          buildJvpGradients(b, loc, body, current, ids, seed, queries);
      if (failed(jvp))
        return failure();
      r.loss = jvp->loss;
      r.grads = jvp->grads;
    } else {
      for (int64_t s = 0; s < queries; ++s) {
        Value plus = cloneForward(eps, s);
        if (s == 0)
          r.loss = plus;
        Value diff, denom;
        if (oneSided) {
          diff = graph::SubOp::create(b, loc, plus, unperturbed);
          denom = buildScalar(b, loc, static_cast<float>(eps));
        } else {
          Value minus = cloneForward(-eps, s);
          diff = graph::SubOp::create(b, loc, plus, minus);
          denom = buildScalar(b, loc, static_cast<float>(2.0 * eps));
        }
        r.grads.push_back(graph::DivOp::create(b, loc, diff, denom));
      }
    }
    ZoStep stepInfo;
    stepInfo.seed = seed;
    stepInfo.lr = lr;
    stepInfo.step = stepCount;
    stepInfo.hyper = &hyper;
    stepInfo.grads = r.grads;
    stepInfo.unperturbed = unperturbed;
    auto evalLoss = [&](ArrayRef<Value> alphas) {
      return cloneForwardIn(block, alphas);
    };
    stepInfo.evalLoss = evalLoss;
    stepInfo.eps = eps;
    stepInfo.weightDecay = weightDecay;
    stepInfo.queries = queries;
    stepInfo.oneSided = oneSided;
    stepInfo.loss = r.loss;
    if (rule->prepare && failed(rule->prepare(b, loc, stepInfo)))
      return failure();
    r.loss = stepInfo.loss;
    r.stepValues = std::move(stepInfo.stepValues);
    return success();
  };

  // The updates of block `k`, written into the parameters' (and state's)
  // own buffers.
  auto updateBlock = [&](int64_t k) {
    for (unsigned i : paramOrder) {
      if (trainedId[i] < 0 || blockOf[i] != k)
        continue;
      Value param = stepArg[i];
      Location paramLoc = forward.getArgument(i).getLoc();
      ZoUpdateInputs in;
      // A bf16 parameter is updated in f32 and rounded once (getUpdateType).
      in.param = buildCastTo(b, paramLoc, param,
                             getUpdateType(param.getType()));
      in.seed = seed;
      in.lr = lr;
      in.step = stepCount;
      in.hyper = &hyper;
      auto [stateBase, stateCount] = stateOf[i];
      SmallVector<Value> state;
      for (unsigned s = 0; s < stateCount; ++s)
        state.push_back(entry->getArgument(stateBase + s));
      in.state = state;
      in.grads = results[k].grads;
      in.paramId = trainedId[i];
      in.stepValues = results[k].stepValues;
      in.weightDecay =
          cast<RankedTensorType>(param.getType()).getRank() >= 2 ? weightDecay
                                                                 : 0.0;
      ZoUpdate next = rule->buildUpdate(b, paramLoc, in);
      // State first: the parameter's update may read the new state.
      for (auto [value, buffer] : llvm::zip_equal(next.state, state))
        buildWriteBack(b, paramLoc, value, buffer);
      current[i] = buildWriteBack(
          b, paramLoc, buildCastTo(b, paramLoc, next.param, param.getType()),
          param);
    }
  };

  for (int64_t k = 0; k < numBlocks; ++k) {
    if (failed(evaluateBlock(k))) {
      step.erase();
      return signalPassFailure();
    }
    if (coordinate)
      updateBlock(k);
  }
  if (!coordinate)
    for (int64_t k = 0; k < numBlocks; ++k)
      updateBlock(k);

  // Reported: the first block's loss and the mean projected gradient over
  // every block and query.
  Value loss = results.empty() ? cloneForwardIn(-1, {}) : results[0].loss;
  Value projected;
  int64_t count = 0;
  for (const BlockResult &r : results)
    for (Value g : r.grads) {
      projected = projected ? graph::AddOp::create(b, loc, projected, g) : g;
      ++count;
    }
  if (!projected)
    projected = buildScalar(b, loc, 0.0f);
  else if (count > 1)
    projected = graph::DivOp::create(
        b, loc, projected, buildScalar(b, loc, static_cast<float>(count)));
  func::ReturnOp::create(b, loc, ValueRange{loss, projected});

  // Gradient-sparse ZO: one mask on every noise op of the step.
  if (failed(applyZoSparsity(step, stepCount,
                             *parseZoSparsity(loc, sparsity, sparsityScope,
                                              maskEvery, maskSeed)))) {
    step.erase();
    return signalPassFailure();
  }
}
