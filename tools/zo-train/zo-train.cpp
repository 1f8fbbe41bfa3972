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
#include "zo/Runtime/Dataset.h"
#include "zo/Runtime/MemoryAccounting.h"
#include "zo/Runtime/Npy.h"
#include "zo/Train/FirstOrder.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MathExtras.h"
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
             cl::desc("Training examples: .npz (one array per model input, "
                      "examples along dimension 0) or .jsonl (one JSON "
                      "object per example, one key per model input)"));
static cl::opt<std::string>
    evalPath("eval", cl::desc("Evaluation examples (.npz or .jsonl)"));
static cl::list<std::string>
    padValues("pad", cl::CommaSeparated,
              cl::desc(".jsonl: NAME=VALUE pads input NAME with VALUE "
                       "instead of 0 (e.g. labels=-100)"));
static cl::opt<bool> truncateLists(
    "truncate", cl::desc(".jsonl: cut lists longer than the model's "
                         "dimension instead of failing"));
static cl::opt<std::string> method(
    "method", cl::init("zo-sgd"),
    cl::desc("Training method: zo-sgd, zo-sign, zo-cons, zo-sgd-mmt, "
             "zo-adam, forward-grad (zeroth-order); sgd, adamw, sinkgd, "
             "swan (first-order, backpropagation)"));
static cl::opt<unsigned> steps("steps", cl::init(100),
                               cl::desc("Number of training steps"));
static cl::opt<float> lr("lr", cl::init(1e-6f),
                         cl::desc("Learning rate (the peak of --lr-schedule "
                                  "cosine)"));
static cl::opt<unsigned> stopAtStep(
    "stop-at-step",
    cl::desc("Stop after this step, as an interrupted run would (the "
             "checkpoint is written; the lr schedule still spans --steps): "
             "--resume continues the same run"));
static cl::opt<std::string> lrSchedule(
    "lr-schedule",
    cl::desc("Learning-rate schedule: constant, or cosine (a linear warm-up "
             "from 0 over --warmup-ratio of --steps, then a cosine decay to "
             "--min-lr-ratio x --lr). Default: cosine for sinkgd and swan "
             "(their papers' schedule: 10% warm-up, decay to 10%), constant "
             "for every other method"));
static cl::opt<double> warmupRatio(
    "warmup-ratio", cl::init(0.1),
    cl::desc("cosine: fraction of --steps spent warming up, in [0, 1) "
             "(default 0.1; floor(ratio x steps) warm-up steps)"));
static cl::opt<double> minLrRatio(
    "min-lr-ratio", cl::init(0.1),
    cl::desc("cosine: the lr the decay ends at, as a fraction of --lr, in "
             "[0, 1] (default 0.1)"));
static cl::opt<float> eps("eps", cl::init(1e-3f),
                          cl::desc("Perturbation scale (zeroth-order)"));
static cl::opt<unsigned> queries("queries", cl::init(1),
                                 cl::desc("Queries per step (zeroth-order)"));
static cl::opt<float> weightDecay("weight-decay", cl::init(0.0f),
                                  cl::desc("Weight decay (rank >= 2 params)"));
static cl::opt<float> momentum(
    "momentum", cl::init(0.9f),
    cl::desc("Momentum (zo-sgd-mmt; sgd, where it defaults to 0: none)"));
static cl::opt<float> beta1("beta1", cl::init(0.9f),
                            cl::desc("First-moment decay (zo-adam, adamw)"));
static cl::opt<float> beta2("beta2", cl::init(0.999f),
                            cl::desc("Second-moment decay (zo-adam, adamw)"));
static cl::opt<float> adamEps("adam-eps", cl::init(1e-8f),
                              cl::desc("Denominator epsilon (zo-adam, adamw)"));
static cl::opt<double> matrixLrScale(
    "matrix-lr-scale", cl::init(-1.0),
    cl::desc("sinkgd/swan: learning-rate factor of the block matrices "
             "(default: the paper's, 0.05 for sinkgd, 1 for swan)"));
static cl::opt<std::string> trainable(
    "trainable", cl::desc("Only parameters whose name matches this regex"));
static cl::opt<std::string> frozen(
    "frozen", cl::desc("Parameters whose name matches this regex stay fixed"));
static cl::opt<std::string> blocks(
    "blocks", cl::init("none"),
    cl::desc("Block-wise ZO: none, layer, module, linear or tensor"));
static cl::opt<std::string> blockUpdate(
    "block-update", cl::init("coordinate"),
    cl::desc("Block-wise ZO: coordinate or simultaneous"));
static cl::opt<double> sparsity(
    "sparsity", cl::init(0.0),
    cl::desc("Gradient-sparse ZO: fraction of the noise zeroed, exactly, "
             "in [0, 1) (0: dense)"));
static cl::opt<std::string> sparsityScope(
    "sparsity-scope", cl::init("layer"),
    cl::desc("Gradient-sparse ZO: layer (per parameter) or global"));
static cl::opt<int> maskEvery(
    "mask-every", cl::init(1),
    cl::desc("Gradient-sparse ZO: draw a new mask every N steps"));
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

struct EvalResult {
  double loss = NAN;
  /// Fraction of examples whose logits' argmax is their label; NaN when the
  /// model is not a classifier (see evaluate).
  double accuracy = NAN;
  int64_t correct = 0, counted = 0;
};

/// A classifier's logits (second output, batch x classes) and labels (the
/// input "labels", one integer per example), if the model has both.
static std::optional<std::pair<std::string, std::string>>
classifierNames(const rt::FunctionSignature &sig) {
  if (sig.results.size() < 2)
    return std::nullopt;
  const rt::TensorSpec &logits = sig.results[1];
  auto labels = llvm::find_if(sig.args, [](const rt::TensorSpec &a) {
    return a.role == "input" && a.name == "labels";
  });
  if (logits.dtype != rt::DType::F32 || logits.shape.size() != 2 ||
      labels == sig.args.end() || labels->shape.size() != 1 ||
      labels->shape[0] != logits.shape[0] ||
      (labels->dtype != rt::DType::I64 && labels->dtype != rt::DType::I32))
    return std::nullopt;
  return std::make_pair(logits.name, labels->name);
}

/// Mean loss over every full batch of `data`, and for a classifier the
/// accuracy (labels outside [0, classes), e.g. -100, are not counted).
static llvm::Expected<EvalResult> evaluate(Model &model,
                                           const rt::Dataset &data,
                                           int64_t batch) {
  const rt::FunctionSignature &sig = model.getForwardSignature();
  auto classifier = classifierNames(sig);
  double sum = 0;
  int64_t count = 0;
  EvalResult result;
  for (int64_t start = 0; start + batch <= data.size; start += batch) {
    SmallVector<int64_t> rows;
    for (int64_t i = 0; i < batch; ++i)
      rows.push_back(start + i);
    rt::NamedTensors inputs = data.makeBatch(rows);
    auto out = model.forward(inputs);
    if (!out)
      return out.takeError();
    sum += scalarOf(*out, sig.results[0].name);
    ++count;
    if (!classifier)
      continue;
    rt::HostTensor *logits = rt::lookup(*out, classifier->first);
    rt::HostTensor *labels = rt::lookup(inputs, classifier->second);
    int64_t classes = logits->getShape()[1];
    for (int64_t i = 0; i < batch; ++i) {
      int64_t label = labels->getDType() == rt::DType::I64
                          ? labels->data<int64_t>()[i]
                          : labels->data<int32_t>()[i];
      if (label < 0 || label >= classes)
        continue;
      const float *row = logits->data<float>() + i * classes;
      result.correct += std::max_element(row, row + classes) - row == label;
      ++result.counted;
    }
  }
  result.loss = sum / count;
  if (result.counted)
    result.accuracy = double(result.correct) / result.counted;
  return result;
}

static std::string formatDuration(double seconds) {
  long long s = std::llround(seconds);
  char text[32];
  std::snprintf(text, sizeof(text), "%02lld:%02lld", s / 60, s % 60);
  return text;
}

/// The gradient-based methods (zo-first-order); every other name is a
/// zeroth-order one (zo-zeroth-order checks it).
static bool isFirstOrder(StringRef name) {
  return llvm::is_contained(getFirstOrderMethods(), name);
}

/// The methods whose papers train with the warm-up + cosine schedule.
static bool defaultsToCosine(StringRef name) {
  return name == "sinkgd" || name == "swan";
}

/// The learning rate of 0-based step `step` of `total`: a pure function of
/// the step, so a resumed run follows the schedule of an uninterrupted one.
/// cosine (GaLore's, which SinkGD and SWAN train with): lr t / W for the
/// W = floor(warmup x total) warm-up steps, then
/// lr (m + (1 - m) (1 + cos(pi p)) / 2) with p = (t - W) / (total - W).
static float scheduledLr(bool cosine, unsigned step, unsigned total) {
  double peak = lr;
  if (!cosine)
    return lr;
  unsigned warm = static_cast<unsigned>(std::floor(warmupRatio * total));
  if (step < warm)
    return static_cast<float>(peak * step / warm);
  double progress = double(step - warm) / std::max(1u, total - warm);
  double decay = 0.5 * (1.0 + std::cos(llvm::numbers::pi * progress));
  return static_cast<float>(peak * (minLrRatio + (1.0 - minLrRatio) * decay));
}

static std::string trainStepPipeline() {
  if (isFirstOrder(method)) {
    // SGD's momentum is optional: none unless asked for.
    double mu = momentum.getNumOccurrences() ? momentum.getValue() : 0.0;
    std::string p =
        llvm::formatv("zo-first-order{{method={0} momentum={1} "
                      "weight-decay={2} beta1={3} beta2={4} adam-eps={5} "
                      "matrix-lr-scale={6}",
                      method, mu, weightDecay, beta1, beta2, adamEps,
                      matrixLrScale)
            .str();
    if (!trainable.empty())
      p += " trainable=" + trainable;
    if (!frozen.empty())
      p += " frozen=" + frozen;
    return p + "}";
  }
  std::string p =
      llvm::formatv("zo-zeroth-order{{method={0} eps={1} queries={2} "
                    "weight-decay={3} momentum={4} beta1={5} beta2={6} "
                    "adam-eps={7} blocks={8} block-update={9}",
                    method, eps, queries, weightDecay, momentum, beta1, beta2,
                    adamEps, blocks, blockUpdate)
          .str();
  // Sparsity with all its digits: the masks must be those of this double.
  char sparse[96];
  std::snprintf(sparse, sizeof(sparse),
                " sparsity=%.17g mask-every=%d mask-seed=%llu",
                sparsity.getValue(), maskEvery.getValue(),
                static_cast<unsigned long long>(seed.getValue()));
  p += sparse;
  p += " sparsity-scope=" + sparsityScope;
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
  if (lrSchedule.getNumOccurrences() && lrSchedule != "constant" &&
      lrSchedule != "cosine")
    return failWith("unknown --lr-schedule '" + lrSchedule +
                    "' (expected constant or cosine)");
  bool cosine = lrSchedule.getNumOccurrences() ? lrSchedule == "cosine"
                                               : defaultsToCosine(method);
  auto shortest = [](double x) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g", x);
    return std::string(text);
  };
  if (!(warmupRatio >= 0 && warmupRatio < 1))
    return failWith("--warmup-ratio must be in [0, 1), not " +
                    shortest(warmupRatio));
  if (!(minLrRatio >= 0 && minLrRatio <= 1))
    return failWith("--min-lr-ratio must be in [0, 1], not " +
                    shortest(minLrRatio));
  if (!cosine)
    for (const cl::Option *o : {static_cast<const cl::Option *>(&warmupRatio),
                                static_cast<const cl::Option *>(&minLrRatio)})
      if (o->getNumOccurrences())
        return failWith("--" + o->ArgStr +
                        " applies to --lr-schedule cosine only (the "
                        "schedule of --method " + method + " is constant)");
  if (stopAtStep.getNumOccurrences() && (stopAtStep < 1 || stopAtStep > steps))
    return failWith("--stop-at-step must be in [1, --steps], not " +
                    Twine(stopAtStep.getValue()));
  unsigned lastStep = stopAtStep.getNumOccurrences() ? stopAtStep : steps;
  if (!outPath.empty() && llvm::sys::fs::equivalent(modelPath, outPath))
    return failWith("--out must not be the input model " + modelPath);
  if (isFirstOrder(method))
    for (const cl::Option *o :
         std::initializer_list<const cl::Option *>{
             &eps, &queries, &blocks, &blockUpdate, &sparsity,
             &sparsityScope, &maskEvery})
      if (o->getNumOccurrences())
        return failWith("--" + o->ArgStr + " applies to the zeroth-order "
                        "methods only, not --method " + method);

  ModelOptions options;
  std::string error;
  if (failed(getImportOptionsFromCL(options.import, error)))
    return failWith(error);
  options.trainStep = trainStepPipeline();

  // The data is read and checked against the model's inputs before the
  // native compilation, so a bad dataset fails in seconds.
  rt::DatasetOptions dataOptions;
  dataOptions.truncate = truncateLists;
  for (StringRef entry : padValues) {
    auto [name, text] = entry.split('=');
    double value;
    if (name.empty() || text.trim().getAsDouble(value))
      return failWith("--pad takes NAME=VALUE, not '" + entry + "'");
    dataOptions.padValues[name] = value;
  }
  std::optional<rt::Dataset> train, eval;
  options.checkForward =
      [&](const rt::FunctionSignature &sig) -> llvm::Error {
    int64_t batch = -1;
    for (const rt::TensorSpec &arg : sig.args)
      if (arg.role == "input" && !arg.shape.empty())
        batch = arg.shape[0];
    if (batch <= 0)
      return llvm::createStringError(
          "cannot tell the model's batch size from its inputs");
    auto t = rt::loadDataset(dataPath, sig, dataOptions);
    if (!t)
      return t.takeError();
    train = std::move(*t);
    if (!evalPath.empty()) {
      auto e = rt::loadDataset(evalPath, sig, dataOptions);
      if (!e)
        return e.takeError();
      eval = std::move(*e);
    }
    return llvm::Error::success();
  };
  auto loaded = Model::load(modelPath, options);
  if (!loaded)
    return failWith(loaded.takeError());
  Model &model = **loaded;
  const rt::FunctionSignature &sig = model.getForwardSignature();
  int64_t batch = -1;
  for (const rt::TensorSpec &arg : sig.args)
    if (arg.role == "input" && !arg.shape.empty())
      batch = arg.shape[0];

  // Resume: parameters, optimizer state and the step counter; the run's
  // options must match for the trajectory to be the same, which the
  // checkpoint records (the seed).
  unsigned firstStep = 0;
  if (!resumePath.empty()) {
    auto state = rt::readNpz(resumePath);
    if (!state)
      return failWith(state.takeError());
    for (rt::NamedTensors *store : {&model.getParameters(), &model.getState()})
      for (auto &[name, param] : *store) {
        rt::HostTensor *saved = rt::lookup(*state, name);
        if (!saved || saved->getDType() != param.getDType() ||
            saved->getShape() != param.getShape())
          return failWith(resumePath + ": no matching entry for " +
                          (store == &model.getState() ? "optimizer state '"
                                                      : "parameter '") +
                          name + "' (was it written with another --method?)");
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
    for (rt::NamedTensors *store : {&model.getParameters(), &model.getState()})
      for (auto &[name, tensor] : *store)
        state.emplace_back(name, tensor.clone());
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
    // A resumed run appends to its log; a new or empty file gets a header.
    uint64_t logSize = 0;
    bool freshLog = !firstStep || llvm::sys::fs::file_size(logPath, logSize) ||
                    logSize == 0;
    std::error_code ec;
    log = std::make_unique<llvm::raw_fd_ostream>(
        logPath, ec,
        firstStep ? llvm::sys::fs::OF_Append : llvm::sys::fs::OF_None);
    if (ec)
      return failWith(logPath + ": " + ec.message());
    if (freshLog)
      *log << "step,loss,projected_grad,eval_loss,eval_accuracy,seconds,lr\n";
  }

  auto runEval = [&](unsigned step) -> llvm::Expected<EvalResult> {
    if (!eval)
      return EvalResult();
    auto result = evaluate(model, *eval, batch);
    if (result && !quiet) {
      llvm::errs() << llvm::formatv("\neval after step {0}: loss {1:f4}",
                                    step, result->loss);
      if (result->counted)
        llvm::errs() << llvm::formatv("  accuracy {0:f4} ({1}/{2})",
                                      result->accuracy, result->correct,
                                      result->counted);
      llvm::errs() << "\n";
    }
    return result;
  };
  auto csvNumber = [](double x) {
    return std::isnan(x) ? std::string() : std::to_string(x);
  };
  auto initialEval = runEval(firstStep);
  if (!initialEval)
    return failWith(initialEval.takeError());
  if (log && !std::isnan(initialEval->loss))
    *log << llvm::formatv("{0},,,{1},{2},0,\n", firstStep,
                          csvNumber(initialEval->loss),
                          csvNumber(initialEval->accuracy));

  bool tty = llvm::sys::Process::StandardErrIsDisplayed();
  int64_t batchesPerEpoch = train->size / batch;
  auto start = std::chrono::steady_clock::now();
  rt::resetPeakMemory();
  std::vector<int64_t> order;
  int64_t orderEpoch = -1;
  for (unsigned step = firstStep; step < lastStep; ++step) {
    int64_t epoch = step / batchesPerEpoch, b = step % batchesPerEpoch;
    if (epoch != orderEpoch) {
      order = epochOrder(train->size, seed, epoch);
      orderEpoch = epoch;
    }
    rt::NamedTensors inputs =
        train->makeBatch(ArrayRef(order).slice(b * batch, batch));
    uint64_t stepSeed = splitMix64(seed ^ splitMix64(~uint64_t(step)));
    float stepLr = scheduledLr(cosine, step, steps);
    auto out = model.trainStep(inputs, stepSeed, stepLr, step + 1);
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
    EvalResult evalResult;
    if ((evalEvery && done % evalEvery == 0) || done == steps) {
      auto e = runEval(done);
      if (!e)
        return failWith(e.takeError());
      evalResult = *e;
    }
    if (log) {
      // First-order steps report no projected gradient: an empty field.
      // The lr with all the digits of the float the step was given.
      char lrText[32];
      std::snprintf(lrText, sizeof(lrText), "%.9g", stepLr);
      *log << llvm::formatv("{0},{1:e},{2},{3},{4},{5:f3},{6}\n", done, loss,
                            std::isnan(g) ? std::string()
                                          : llvm::formatv("{0:e}", g).str(),
                            csvNumber(evalResult.loss),
                            csvNumber(evalResult.accuracy), elapsed, lrText);
      // A killed run keeps every step it logged (a write per step is
      // nothing next to a step).
      log->flush();
    }
    if (!quiet && (tty || done % 10 == 0 || done == steps))
      llvm::errs() << llvm::formatv(
          "{0}step {1}/{2}  loss {3:f4}  {4:f2} steps/s  ETA {5}{6}", tty ? "\r" : "",
          done, steps.getValue(), loss, rate,
          formatDuration((steps - done) / rate), tty ? "" : "\n");
    if (!checkpointPath.empty() &&
        ((checkpointEvery && done % checkpointEvery == 0) || done == lastStep))
      if (llvm::Error err = writeCheckpoint(done))
        return failWith(std::move(err));
  }
  if (!quiet && firstStep >= lastStep)
    llvm::errs() << "nothing to train: the checkpoint is at step "
                 << firstStep << " of " << lastStep << "\n";
  else if (!quiet)
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
