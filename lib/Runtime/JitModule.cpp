//===- JitModule.cpp - compile a module and call it with host tensors -----===//
//
// Calls go through the `_mlir_ciface_<fn>` wrapper, whose parameters are
// pointers to memref descriptors {allocated, aligned, offset, sizes[r],
// strides[r]} (scalars by value): the same ABI for every rank and dtype, so
// one generic caller builds descriptors by hand and uses invokePacked.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/JitModule.h"
#include "zo/Runtime/LaneNarrowing.h"

#include "zo/Pipelines/CpuLowering.h"
#include "zo/Runtime/RuntimeSymbols.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

JitModule::~JitModule() = default;

Expected<std::unique_ptr<JitModule>>
JitModule::compile(ModuleOp module, const JitOptions &options,
                   std::optional<std::vector<FunctionSignature>> signatures) {
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;

  std::unique_ptr<JitModule> jit(new JitModule);
  bool needsLowering = !module.getOps<func::FuncOp>().empty();
  if (signatures) {
    jit->sigs = std::move(*signatures);
  } else if (needsLowering) {
    // Names and roles live in attributes the lowering drops: read them first.
    Expected<std::vector<FunctionSignature>> sigs = rt::getSignatures(module);
    if (!sigs)
      return sigs.takeError();
    jit->sigs = std::move(*sigs);
  } else {
    return fail("module has no func.func; an already lowered module needs "
                "its signatures (a manifest)");
  }

  MLIRContext *ctx = module.getContext();
  std::string diagnostics;
  {
    llvm::raw_string_ostream diagOS(diagnostics);
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
      diagOS << diag.getLocation() << ": " << diag << "\n";
      return success();
    });
    if (needsLowering) {
      PassManager pm(ctx);
      zo::CpuLoweringOptions lowering;
      lowering.fuseElementwise = options.fuseElementwise;
      lowering.useBlas = options.useBlas;
      lowering.approximateMath = options.approximateMath;
      lowering.elementwiseInPlace = options.elementwiseInPlace;
      zo::buildCpuLoweringPipeline(pm, lowering);
      if (failed(pm.run(module)))
        return fail("CPU lowering failed:\n" + diagnostics);
    }
  }
  if (options.printLoweredIR)
    module->print(*options.printLoweredIR);

  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);

  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return tmBuilder.takeError();
  auto level = options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
               : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
               : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                       : llvm::CodeGenOptLevel::None;
  tmBuilder->setCodeGenOptLevel(level);
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return tm.takeError();
  // LLVM's tuning for AVX-512 server CPUs prefers 256-bit vectors (less
  // frequency throttling on older parts); our loops are compute-bound (the
  // noise generator of a ZO step in particular: 2x faster at 512 bits, see
  // docs/benchmarks.md), so the JIT asks for the full width.
  bool avx512 = llvm::is_contained(tmBuilder->getFeatures().getFeatures(),
                                   "+avx512f");
  auto optimize =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0, tm->get());
  auto transformer = [optimize, avx512](llvm::Module *m) -> llvm::Error {
    if (avx512)
      for (llvm::Function &f : *m)
        if (!f.isDeclaration())
          f.addFnAttr("prefer-vector-width", "512");
    if (llvm::Error err = optimize(m))
      return err;
    // The vectorized Philox rounds' 64-bit lanes: high halves and the final
    // words as shuffles (zo/Runtime/LaneNarrowing.h).
    if (avx512)
      for (llvm::Function &f : *m)
        if (!f.isDeclaration())
          narrowVectorLanes(f);
    return llvm::Error::success();
  };
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = level;
  engineOptions.enableGDBNotificationListener = false;
  engineOptions.enablePerfNotificationListener = options.perfListener;
  engineOptions.enableObjectDump = options.keepObjectCode;
  auto engine = ExecutionEngine::create(module, engineOptions, std::move(*tm));
  if (!engine)
    return engine.takeError();
  jit->engine = std::move(*engine);
  jit->engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    for (auto [name, address] : getRuntimeSymbols())
      map[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                             llvm::JITSymbolFlags::Exported};
    return map;
  });
  jit->engine->initialize();
  for (const FunctionSignature &sig : jit->sigs) {
    auto fn = jit->engine->lookupPacked("_mlir_ciface_" + sig.name);
    if (!fn)
      return fail("@" + sig.name +
                  " has no C interface wrapper in the "
                  "compiled module: " +
                  llvm::toString(fn.takeError()));
    jit->entryPoints.push_back(*fn);
  }
  return std::move(jit);
}

const FunctionSignature *JitModule::getSignature(llvm::StringRef name) const {
  for (const FunctionSignature &sig : sigs)
    if (sig.name == name)
      return &sig;
  return nullptr;
}

static bool matches(const TensorSpec &spec, const HostTensor &t) {
  if (spec.dtype != t.getDType())
    return false;
  if (spec.isScalar)
    return t.getRank() == 0;
  return llvm::equal(spec.shape, t.getShape());
}

/// A memref descriptor of `t`'s rank: {allocated, aligned, offset,
/// sizes..., strides...} as 64-bit words.
static std::vector<int64_t> makeDescriptor(HostTensor &t) {
  std::vector<int64_t> words;
  auto ptr = reinterpret_cast<int64_t>(t.data());
  words.push_back(ptr);
  words.push_back(ptr);
  words.push_back(0);
  llvm::append_range(words, t.getShape());
  llvm::append_range(words, t.getStrides());
  return words;
}

Expected<std::vector<HostTensor>>
JitModule::call(llvm::StringRef name, llvm::ArrayRef<HostTensor *> args) {
  std::vector<HostTensor> results;
  if (llvm::Error err = call(name, args, results))
    return std::move(err);
  return std::move(results);
}

llvm::Error JitModule::call(llvm::StringRef name,
                            llvm::ArrayRef<HostTensor *> args,
                            std::vector<HostTensor> &results) {
  const FunctionSignature *sig = getSignature(name);
  if (!sig)
    return fail("no function @" + name + " in the module");
  void (*entry)(void **) = entryPoints[sig - sigs.data()];
  if (args.size() != sig->args.size())
    return fail("@" + name + " takes " + llvm::Twine(sig->args.size()) +
                " arguments, got " + llvm::Twine(args.size()));
  for (auto [spec, t] : llvm::zip_equal(sig->args, args))
    if (!matches(spec, *t))
      return fail("@" + name + ": argument '" + spec.name + "' expects " +
                  spec.describe() + ", got " + t->describe());

  results.resize(sig->results.size());
  for (auto [spec, t] : llvm::zip_equal(sig->results, results))
    if (!t.data() || !matches(spec, t))
      t = HostTensor(spec.dtype, spec.shape);

  // Descriptors must stay put while the call runs: size everything first.
  size_t n = args.size() + results.size();
  std::vector<std::vector<int64_t>> descriptors;
  descriptors.reserve(n);
  std::vector<void *> values(n), packed(n);
  size_t i = 0;
  for (auto [spec, t] : llvm::zip_equal(sig->args, args)) {
    if (spec.isScalar) {
      packed[i++] = t->data();
      continue;
    }
    descriptors.push_back(makeDescriptor(*t));
    values[i] = descriptors.back().data();
    packed[i] = &values[i];
    ++i;
  }
  for (HostTensor &t : results) {
    descriptors.push_back(makeDescriptor(t));
    values[i] = descriptors.back().data();
    packed[i] = &values[i];
    ++i;
  }
  entry(packed.data());
  return llvm::Error::success();
}

Expected<NamedTensors> JitModule::callByName(llvm::StringRef name,
                                             NamedTensors &inputs,
                                             NamedTensors *params,
                                             NamedTensors *state) {
  const FunctionSignature *sig = getSignature(name);
  if (!sig)
    return fail("no function @" + name + " in the module");
  Expected<std::vector<HostTensor *>> args =
      bindArguments(*sig, inputs, params, state);
  if (!args)
    return args.takeError();
  Expected<std::vector<HostTensor>> results = call(name, *args);
  if (!results)
    return results.takeError();
  NamedTensors named;
  for (auto [spec, tensor] : llvm::zip_equal(sig->results, *results))
    named.emplace_back(spec.name, std::move(tensor));
  return std::move(named);
}

void JitModule::dumpObjectFile(llvm::StringRef path) {
  engine->dumpToObjectFile(path);
}

Expected<std::vector<HostTensor *>>
rt::bindArguments(const FunctionSignature &sig, NamedTensors &inputs,
                  NamedTensors *params, NamedTensors *state) {
  std::vector<HostTensor *> bound;
  for (const TensorSpec &spec : sig.args) {
    NamedTensors *stores[3] = {&inputs, params, state};
    if (spec.role == "param")
      stores[0] = params, stores[1] = &inputs;
    else if (spec.role == "state")
      stores[0] = state, stores[1] = params, stores[2] = &inputs;
    HostTensor *t = nullptr;
    for (NamedTensors *store : stores)
      if (!t && store)
        t = lookup(*store, spec.name);
    if (!t)
      return fail("no array named '" + spec.name + "' for " +
                  (spec.role.empty() ? "argument" : spec.role) + " " +
                  spec.describe() + " of @" + sig.name);
    bound.push_back(t);
  }
  return bound;
}
