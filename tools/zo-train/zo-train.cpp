//===- zo-train.cpp - train an ONNX model with a memory-lean step ---------===//
//
// model + data in, tuned model out: compiles the model's training step
// (zeroth-order by default), runs it over batches of an .npz dataset with a
// progress line, a CSV log, periodic evaluation and atomic checkpoints, and
// writes a copy of the model with the trained weights.
//
//===----------------------------------------------------------------------===//

#include "zo/Driver/Model.h"
#include "zo/Import/ImportCLOptions.h"
#include "zo/Runtime/MemoryAccounting.h"
#include "zo/Runtime/Npy.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

using namespace mlir;
using namespace mlir::zo;
namespace cl = llvm::cl;

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx>"));
static cl::opt<std::string>
    dataPath("data", cl::Required,
             cl::desc("npz of training examples: one array per model input, "
                      "examples along dimension 0"));
static cl::opt<std::string> evalPath("eval",
                                     cl::desc("npz of evaluation examples"));
static cl::opt<std::string> method("method", cl::init("zo-sgd"),
                                   cl::desc("Training method (zo-sgd, ...)"));
static cl::opt<unsigned> steps("steps", cl::init(100),
                               cl::desc("Number of training steps"));
static cl::opt<float> lr("lr", cl::init(1e-6f), cl::desc("Learning rate"));
static cl::opt<float> eps("eps", cl::init(1e-3f),
                          cl::desc("Perturbation scale (zeroth-order)"));
static cl::opt<unsigned> queries("queries", cl::init(1),
                                 cl::desc("Queries per step (zeroth-order)"));
static cl::opt<float> weightDecay("weight-decay", cl::init(0.0f),
                                  cl::desc("Weight decay (rank >= 2 params)"));
static cl::opt<std::string> trainable(
    "trainable", cl::desc("Only parameters whose name matches this regex"));
static cl::opt<std::string> frozen(
    "frozen", cl::desc("Parameters whose name matches this regex stay fixed"));
static cl::opt<uint64_t> seed("seed", cl::init(0), cl::desc("Random seed"));
static cl::opt<std::string> logPath("log", cl::desc("CSV log of every step"));
static cl::opt<unsigned> evalEvery("eval-every", cl::init(0),
                                   cl::desc("Evaluate every N steps (0: at "
                                            "the start and the end only)"));
static cl::opt<std::string> checkpointPath(
    "checkpoint", cl::desc("Write the training state here (atomically)"));
static cl::opt<unsigned> checkpointEvery(
    "checkpoint-every", cl::init(0),
    cl::desc("Checkpoint every N steps (0: at the end only)"));
static cl::opt<std::string> resumePath(
    "resume", cl::desc("Continue from a checkpoint written by --checkpoint"));
static cl::opt<std::string> outPath(
    "out", cl::desc("Write the tuned model (a new .onnx) here"));
static cl::opt<bool> quiet("quiet", cl::desc("No progress line"));

static int failWith(const llvm::Twine &msg) {
  llvm::errs() << "zo-train: error: " << msg << "\n";
  return 1;
}

static int failWith(llvm::Error err) {
  std::string msg = llvm::toString(std::move(err));
  StringRef text = StringRef(msg).trim();
  // Model errors are already complete lines naming the file.
  if (text.contains(": error: "))
    llvm::errs() << text << "\n";
  else
    llvm::errs() << "zo-train: error: " << text << "\n";
  return 1;
}

/// SplitMix64: derives independent per-step seeds and the shuffle.
static uint64_t splitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// A dataset: one array per model input, examples along dimension 0.
struct Dataset {
  rt::NamedTensors arrays;
  int64_t size = 0;
};

static llvm::Expected<Dataset> loadDataset(StringRef path,
                                           const rt::FunctionSignature &sig,
                                           int64_t batch) {
  auto arrays = rt::readNpz(path);
  if (!arrays)
    return arrays.takeError();
  Dataset data;
  for (const rt::TensorSpec &arg : sig.args) {
    if (arg.role != "input")
      continue;
    rt::HostTensor *t = rt::lookup(*arrays, arg.name);
    if (!t)
      return llvm::createStringError(path + ": no array '" + arg.name +
                                     "' for the model input of that name");
    if (t->getDType() != arg.dtype || t->getRank() != (int64_t)arg.shape.size() ||
        !std::equal(arg.shape.begin() + 1, arg.shape.end(),
                    t->getShape().begin() + 1))
      return llvm::createStringError(
          path + ": array '" + arg.name + "' is " + t->describe() +
          "; the model takes batches of " + arg.describe());
    if (data.size && t->getShape()[0] != data.size)
      return llvm::createStringError(path + ": arrays differ in length");
    data.size = t->getShape()[0];
    data.arrays.emplace_back(arg.name, std::move(*t));
  }
  if (data.size < batch)
    return llvm::createStringError(path + ": " + Twine(data.size) +
                                   " examples, fewer than one batch of " +
                                   Twine(batch));
  return data;
}

/// Copies examples `rows` of every array into one batch.
static rt::NamedTensors makeBatch(const Dataset &data,
                                  ArrayRef<int64_t> rows) {
  rt::NamedTensors batch;
  for (const auto &[name, array] : data.arrays) {
    SmallVector<int64_t> shape(array.getShape());
    shape[0] = rows.size();
    rt::HostTensor t(array.getDType(), shape);
    size_t rowBytes = array.getNumBytes() / array.getShape()[0];
    for (auto [i, row] : llvm::enumerate(rows))
      std::memcpy(static_cast<char *>(t.data()) + i * rowBytes,
                  static_cast<const char *>(array.data()) + row * rowBytes,
                  rowBytes);
    batch.emplace_back(name, std::move(t));
  }
  return batch;
}

/// Example order of epoch `epoch`: a Fisher-Yates shuffle driven by
/// SplitMix64, the same on every platform.
static std::vector<int64_t> epochOrder(int64_t n, uint64_t seed,
                                       int64_t epoch) {
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i)
    order[i] = i;
  uint64_t state = splitMix64(seed ^ splitMix64(epoch + 1));
  for (int64_t i = n - 1; i > 0; --i) {
    state = splitMix64(state);
    std::swap(order[i], order[state % (i + 1)]);
  }
  return order;
}

static float scalarOf(const rt::NamedTensors &out, StringRef name) {
  for (const auto &[n, t] : out)
    if (n == name && t.getDType() == rt::DType::F32 && t.getNumElements() == 1)
      return *t.data<float>();
  return NAN;
}

/// Mean loss over every full batch of `data`.
static llvm::Expected<double> evaluate(Model &model, const Dataset &data,
                                       int64_t batch) {
  double sum = 0;
  int64_t count = 0;
  for (int64_t start = 0; start + batch <= data.size; start += batch) {
    SmallVector<int64_t> rows;
    for (int64_t i = 0; i < batch; ++i)
      rows.push_back(start + i);
    rt::NamedTensors inputs = makeBatch(data, rows);
    auto out = model.forward(inputs);
    if (!out)
      return out.takeError();
    sum += scalarOf(*out, model.getForwardSignature().results[0].name);
    ++count;
  }
  return sum / count;
}

static std::string formatDuration(double seconds) {
  long long s = std::llround(seconds);
  char text[32];
  std::snprintf(text, sizeof(text), "%02lld:%02lld", s / 60, s % 60);
  return text;
}

static std::string trainStepPipeline() {
  std::string p = llvm::formatv("zo-zeroth-order{{method={0} eps={1} "
                                "queries={2} weight-decay={3}",
                                method, eps, queries, weightDecay)
                      .str();
  if (!trainable.empty())
    p += " trainable=" + trainable;
  if (!frozen.empty())
    p += " frozen=" + frozen;
  return p + "}";
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerImportCLOptions();
  cl::ParseCommandLineOptions(argc, argv,
                              "zo-train: fine-tune an ONNX model with a "
                              "memory-lean training step on the CPU\n");
  if (!(lr >= 0) || !std::isfinite(lr))
    return failWith("--lr must be a finite number >= 0");
  if (!outPath.empty() && llvm::sys::fs::equivalent(modelPath, outPath))
    return failWith("--out must not be the input model " + modelPath);

  ModelOptions options;
  std::string error;
  if (failed(getImportOptionsFromCL(options.import, error)))
    return failWith(error);
  options.trainStep = trainStepPipeline();
  auto loaded = Model::load(modelPath, options);
  if (!loaded)
    return failWith(loaded.takeError());
  Model &model = **loaded;

  const rt::FunctionSignature &sig = model.getForwardSignature();
  int64_t batch = -1;
  for (const rt::TensorSpec &arg : sig.args)
    if (arg.role == "input" && !arg.shape.empty())
      batch = arg.shape[0];
  if (batch <= 0)
    return failWith("cannot tell the model's batch size from its inputs");
  auto train = loadDataset(dataPath, sig, batch);
  if (!train)
    return failWith(train.takeError());
  std::optional<Dataset> eval;
  if (!evalPath.empty()) {
    auto e = loadDataset(evalPath, sig, batch);
    if (!e)
      return failWith(e.takeError());
    eval = std::move(*e);
  }

  // Resume: parameters and the step counter; the run's options must match
  // for the trajectory to be the same, which the checkpoint records.
  unsigned firstStep = 0;
  if (!resumePath.empty()) {
    auto state = rt::readNpz(resumePath);
    if (!state)
      return failWith(state.takeError());
    for (auto &[name, param] : model.getParameters()) {
      rt::HostTensor *saved = rt::lookup(*state, name);
      if (!saved || saved->getDType() != param.getDType() ||
          saved->getShape() != param.getShape())
        return failWith(resumePath + ": no matching entry for parameter '" +
                        name + "'");
      param = std::move(*saved);
    }
    rt::HostTensor *step = rt::lookup(*state, "zo.step");
    rt::HostTensor *savedSeed = rt::lookup(*state, "zo.seed");
    if (!step || !savedSeed || step->getDType() != rt::DType::I64)
      return failWith(resumePath + ": not a zo-train checkpoint");
    if (static_cast<uint64_t>(*savedSeed->data<int64_t>()) != seed)
      return failWith(resumePath + ": written with --seed " +
                      Twine(*savedSeed->data<int64_t>()) + ", not " +
                      Twine(seed.getValue()));
    firstStep = *step->data<int64_t>();
  }

  auto writeCheckpoint = [&](unsigned stepDone) -> llvm::Error {
    rt::NamedTensors state;
    for (auto &[name, param] : model.getParameters())
      state.emplace_back(name, param.clone());
    rt::HostTensor step(rt::DType::I64, {});
    *step.data<int64_t>() = stepDone;
    rt::HostTensor s(rt::DType::I64, {});
    *s.data<int64_t>() = static_cast<int64_t>(seed.getValue());
    state.emplace_back("zo.step", std::move(step));
    state.emplace_back("zo.seed", std::move(s));
    return rt::writeNpz(checkpointPath, state);
  };

  std::unique_ptr<llvm::raw_fd_ostream> log;
  if (!logPath.empty()) {
    std::error_code ec;
    log = std::make_unique<llvm::raw_fd_ostream>(
        logPath, ec,
        firstStep ? llvm::sys::fs::OF_Append : llvm::sys::fs::OF_None);
    if (ec)
      return failWith(logPath + ": " + ec.message());
    if (!firstStep)
      *log << "step,loss,projected_grad,eval_loss,seconds\n";
  }

  auto runEval = [&](unsigned step) -> llvm::Expected<double> {
    if (!eval)
      return NAN;
    auto loss = evaluate(model, *eval, batch);
    if (loss && !quiet)
      llvm::errs() << llvm::formatv("\neval after step {0}: loss {1:f4}\n",
                                    step, *loss);
    return loss;
  };
  auto initialEval = runEval(firstStep);
  if (!initialEval)
    return failWith(initialEval.takeError());
  if (log && !std::isnan(*initialEval))
    *log << llvm::formatv("{0},,,{1},0\n", firstStep, *initialEval);

  bool tty = llvm::sys::Process::StandardErrIsDisplayed();
  int64_t batchesPerEpoch = train->size / batch;
  auto start = std::chrono::steady_clock::now();
  rt::resetPeakMemory();
  std::vector<int64_t> order;
  int64_t orderEpoch = -1;
  for (unsigned step = firstStep; step < steps; ++step) {
    int64_t epoch = step / batchesPerEpoch, b = step % batchesPerEpoch;
    if (epoch != orderEpoch) {
      order = epochOrder(train->size, seed, epoch);
      orderEpoch = epoch;
    }
    rt::NamedTensors inputs =
        makeBatch(*train, ArrayRef(order).slice(b * batch, batch));
    uint64_t stepSeed = splitMix64(seed ^ splitMix64(~uint64_t(step)));
    auto out = model.trainStep(inputs, stepSeed, lr);
    if (!out)
      return failWith(out.takeError());
    float loss = scalarOf(*out, "loss"), g = scalarOf(*out, "projected_grad");
    if (!std::isfinite(loss))
      return failWith("loss is " + Twine(std::to_string(loss)) + " at step " + Twine(step + 1) +
                      "; lower --lr or --eps");

    unsigned done = step + 1;
    double elapsed = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    double rate = (done - firstStep) / elapsed;
    double evalLoss = NAN;
    if ((evalEvery && done % evalEvery == 0) || done == steps) {
      auto e = runEval(done);
      if (!e)
        return failWith(e.takeError());
      evalLoss = *e;
    }
    if (log)
      *log << llvm::formatv("{0},{1:e},{2:e},{3},{4:f3}\n", done, loss, g,
                            std::isnan(evalLoss) ? std::string()
                                                 : std::to_string(evalLoss),
                            elapsed);
    if (!quiet && (tty || done % 10 == 0 || done == steps))
      llvm::errs() << llvm::formatv(
          "{0}step {1}/{2}  loss {3:f4}  {4:f2} steps/s  ETA {5}{6}", tty ? "\r" : "",
          done, steps.getValue(), loss, rate,
          formatDuration((steps - done) / rate), tty ? "" : "\n");
    if (!checkpointPath.empty() &&
        ((checkpointEvery && done % checkpointEvery == 0) || done == steps))
      if (llvm::Error err = writeCheckpoint(done))
        return failWith(std::move(err));
  }
  if (!quiet)
    llvm::errs() << llvm::formatv(
        "\npeak memory allocated by the compiled step: {0:f1} KiB\n",
        rt::getMemoryStats().peakBytes / 1024.0);
  if (!outPath.empty()) {
    if (llvm::Error err = model.exportOnnx(outPath))
      return failWith(std::move(err));
    if (!quiet)
      llvm::errs() << "wrote " << outPath << "\n";
  }
  return 0;
}
