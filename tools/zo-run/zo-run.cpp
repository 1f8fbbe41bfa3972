//===- zo-run.cpp - run a compiled entry point on npz data ----------------===//
//
// load module -> (front end hook) -> lower + JIT -> bind by name -> run ->
// write results by name. Every failure is one line on stderr and exit 1;
// the output file appears only when the run succeeded.
//
//===----------------------------------------------------------------------===//

#include "zo/Driver/Model.h"
#include "zo/Import/ImportCLOptions.h"
#include "zo/InitAll.h"
#include "zo/Runtime/Blas.h"
#include "zo/Runtime/JitModule.h"
#include "zo/Runtime/MemoryAccounting.h"
#include "zo/Runtime/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <ctime>
#include <cstring>

using namespace mlir;
using namespace mlir::zo;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx|.onnxtext|module.mlir|.mlirbc>"));
static cl::opt<std::string> entry("entry", cl::init("forward"),
                                  cl::desc("Function to run"));
static cl::opt<std::string> inputsPath("inputs",
                                       cl::desc("npz with the batch inputs"));
static cl::opt<std::string>
    paramsPath("params", cl::desc("npz with the parameters (for an ONNX "
                                  "model: overrides its initializers)"));
static cl::opt<std::string> outputsPath("outputs",
                                        cl::desc("npz to write results to"));
static cl::opt<std::string>
    manifestPath("manifest", cl::desc("Write the manifest (JSON) here"));
static cl::opt<std::string>
    objectFile("dump-object-file",
               cl::desc("Write the JIT-compiled object code here"));
static cl::opt<bool> perfListener(
    "perf", cl::desc("Announce the JIT-compiled code to Linux perf (record "
                     "with `perf record -k 1`, then `perf inject --jit`)"));
static cl::opt<bool> printMemory(
    "print-memory",
    cl::desc("Print bytes allocated by compiled code (current, peak, and "
             "the blocks live at the peak)"));
static cl::opt<bool> printLowered("print-lowered-ir",
                                  cl::desc("Print the LLVM-dialect module"));
static cl::opt<bool> useBlas("use-blas", cl::init(true),
                             cl::desc("GEMMs as BLAS calls"));
static cl::opt<bool> approximateMath("approximate-math", cl::init(true),
                                     cl::desc("Polynomial f32 math"));
static cl::opt<bool> elementwiseInPlace(
    "elementwise-in-place", cl::init(true),
    cl::desc("Elementwise loops write the input buffer that dies at them "
             "(zo-elementwise-in-place; false: a fresh buffer, to compare)"));
static cl::opt<unsigned> repeat("repeat", cl::init(1),
                                cl::desc("Run the function this many times "
                                         "(timing is printed if > 1)"));

static cl::opt<std::string> writeParamsPath(
    "write-params",
    cl::desc("npz to write the parameter and optimizer-state buffers (roles "
             "param and state) to after the run, e.g. after a training step "
             "updated them in place"));

static cl::opt<std::string> signaturesPath(
    "signatures",
    cl::desc("Manifest (JSON, as --manifest writes it) with the signatures "
             "of an already lowered (LLVM dialect) module, e.g. the CUDA "
             "pipeline's loop nests lowered by zo-cuda-loops-on-cpu"));

static cl::opt<unsigned> warmup("warmup", cl::init(0),
                                cl::desc("Untimed calls before the timed ones"));

static int failWith(const llvm::Twine &msg) {
  llvm::errs() << "zo-run: error: " << msg << "\n";
  return 1;
}

static int failWith(llvm::Error err) {
  std::string msg = llvm::toString(std::move(err));
  return failWith(llvm::StringRef(msg).rtrim());
}

/// Parses .mlir / .mlirbc (ONNX models go through zo::Model instead).
static OwningOpRef<ModuleOp> loadModule(llvm::StringRef path, MLIRContext &ctx,
                                        std::string &error) {
  if (!llvm::sys::fs::exists(path)) {
    error = (path + ": no such file").str();
    return nullptr;
  }
  llvm::SourceMgr sourceMgr;
  std::string diagnostics;
  llvm::raw_string_ostream diagOS(diagnostics);
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx, diagOS);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(path, sourceMgr, &ctx);
  if (!module)
    error = llvm::StringRef(diagnostics).trim().str();
  return module;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerImportCLOptions();
  cl::ParseCommandLineOptions(argc, argv,
                              "zo-run: run a function of a module on npz "
                              "data with the CPU JIT\n");

  // Inputs first: a missing file should not cost a compilation.
  rt::NamedTensors inputs, params;
  if (!inputsPath.empty()) {
    auto read = rt::readNpz(inputsPath);
    if (!read)
      return failWith(read.takeError());
    inputs = std::move(*read);
  }
  bool haveParams = !paramsPath.empty();
  if (haveParams) {
    auto read = rt::readNpz(paramsPath);
    if (!read)
      return failWith(read.takeError());
    params = std::move(*read);
  }

  rt::JitOptions options;
  options.useBlas = useBlas;
  options.approximateMath = approximateMath;
  options.elementwiseInPlace = elementwiseInPlace;
  if (printLowered)
    options.printLoweredIR = &llvm::outs();
  options.keepObjectCode = !objectFile.empty();
  options.perfListener = perfListener;

  // An ONNX model is imported, compiled through every stage and its
  // initializers become the parameters; an MLIR module is compiled as is.
  std::unique_ptr<Model> model;
  std::unique_ptr<rt::JitModule> ownedJit;
  rt::JitModule *jit = nullptr;
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  if (isOnnxFile(inputFile)) {
    ModelOptions modelOptions;
    modelOptions.jit = options;
    std::string error;
    if (failed(getImportOptionsFromCL(modelOptions.import, error)))
      return failWith(error);
    auto loaded = Model::load(inputFile, modelOptions);
    if (!loaded) {
      // Import errors are already complete lines naming the file and node.
      llvm::errs() << llvm::toString(loaded.takeError()) << "\n";
      return 1;
    }
    model = std::move(*loaded);
    jit = &model->getJit();
    if (!haveParams) {
      params = std::move(model->getParameters());
      haveParams = true;
    }
  } else {
    std::string error;
    OwningOpRef<ModuleOp> module = loadModule(inputFile, ctx, error);
    if (!module)
      return failWith(error);
    std::optional<std::vector<rt::FunctionSignature>> signatures;
    if (!signaturesPath.empty()) {
      auto text = llvm::MemoryBuffer::getFile(signaturesPath);
      if (!text)
        return failWith(signaturesPath + ": " + text.getError().message());
      auto json = llvm::json::parse((*text)->getBuffer());
      if (!json)
        return failWith(signaturesPath + ": " + toString(json.takeError()));
      auto parsed = rt::parseManifest(*json);
      if (!parsed)
        return failWith(parsed.takeError());
      signatures = std::move(*parsed);
    }
    auto compiled = rt::JitModule::compile(*module, options, signatures);
    if (!compiled)
      return failWith(compiled.takeError());
    ownedJit = std::move(*compiled);
    jit = ownedJit.get();
  }

  if (!objectFile.empty())
    jit->dumpObjectFile(objectFile);

  if (!manifestPath.empty()) {
    std::error_code ec;
    llvm::ToolOutputFile out(manifestPath, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return failWith(manifestPath + ": " + ec.message());
    out.os() << llvm::formatv("{0:2}", rt::toJSON(jit->getSignatures()))
             << "\n";
    out.keep();
  }

  const rt::FunctionSignature *sig = jit->getSignature(entry);
  if (!sig)
    return failWith("no public function @" + entry + " in " + inputFile);
  // Optimizer state not given in --params or --inputs starts at zero.
  for (const rt::TensorSpec &spec : sig->args)
    if (spec.role == "state" && !rt::lookup(inputs, spec.name) &&
        !rt::lookup(params, spec.name)) {
      rt::HostTensor zeros(spec.dtype, spec.shape);
      std::memset(zeros.data(), 0, zeros.getNumBytes());
      params.emplace_back(spec.name, std::move(zeros));
      haveParams = true;
    }
  auto args = rt::bindArguments(*sig, inputs, haveParams ? &params : nullptr);
  if (!args)
    return failWith(args.takeError());

  for (unsigned i = 0; i < warmup; ++i)
    if (auto call = jit->call(entry, *args); !call)
      return failWith(call.takeError());
  rt::resetPeakMemory();
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpuStart = std::clock();
  // Repeated calls reuse the result buffers, as a training loop does.
  std::vector<rt::HostTensor> results;
  for (unsigned i = 0; i < std::max(1u, repeat.getValue()); ++i)
    if (llvm::Error err = jit->call(entry, *args, results))
      return failWith(std::move(err));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  // CPU time as well: on a shared machine it is far steadier than wall time.
  double cpuSeconds =
      static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  if (repeat > 1)
    llvm::outs() << llvm::formatv("time: {0:f3} ms per call (BLAS kernels: "
                                  "{1}), cpu {2:f3} ms per call\n",
                                  1e3 * seconds / repeat,
                                  rt::getBlasLibrary().coreName,
                                  1e3 * cpuSeconds / repeat);
  if (printMemory) {
    rt::MemoryStats stats = rt::getMemoryStats();
    llvm::outs() << "memory: current_bytes=" << stats.currentBytes
                 << " peak_bytes=" << stats.peakBytes
                 << " allocations=" << stats.numAllocations << "\n";
    llvm::outs() << "memory: live at peak (bytes, oldest first):";
    for (int64_t size : stats.liveAtPeak)
      llvm::outs() << " " << size;
    llvm::outs() << "\n";
  }

  if (!writeParamsPath.empty()) {
    // Written like --outputs: to a temporary, renamed once complete.
    rt::NamedTensors updated;
    for (auto [spec, tensor] : llvm::zip_equal(sig->args, *args))
      if (spec.role == "param" || spec.role == "state")
        updated.emplace_back(spec.name, tensor->clone());
    if (llvm::Error err = rt::writeNpz(writeParamsPath, updated))
      return failWith(std::move(err));
  }

  if (!outputsPath.empty()) {
    rt::NamedTensors named;
    for (auto [spec, tensor] : llvm::zip_equal(sig->results, results))
      named.emplace_back(spec.name, std::move(tensor));
    if (llvm::Error err = rt::writeNpz(outputsPath, named))
      return failWith(std::move(err));
  }
  return 0;
}
