//===- TrafficReportPass.cpp - zo-traffic-report ---------------------------===//
//
// Prints the static cost model (TrafficReport.h) of a bufferized module's
// @forward and @train_step, beside three figures computed by the same code:
//
//  - the reference MeZO schedule: the parameters perturbed in place (+eps z,
//    -2 eps z, +eps z) around two plain forwards, then the update: four
//    read-write sweeps over every trained parameter, each modelled as the
//    step's own update sweep of that parameter (a read-modify-write with the
//    noise generated inline), plus 2 x the forward;
//  - the minimum: every weight read once per forward, read and written once
//    by the update, plus the activations: forwards x the forward's traffic
//    + 2 x the trained parameters' bytes;
//  - the minimum with materialized GEMM weights, the floor of any schedule
//    whose GEMMs (cuBLAS) read a perturbed weight from memory: for each
//    parameter whose copies the step's GEMMs read (TrafficReport.h), P
//    forwards reading a copy (its copy reads over the forward's reads of
//    it), the minimum's P reads of it become reads of the copies, and the
//    copies cost one read of it (one loop writing all P, as zo-cuda-lockstep
//    does for P = 2) and P writes: the minimum + (P + 1) x its bytes.
//
// The number of forwards a step runs is its GEMM launches over the
// forward's (every forward clone runs the same GEMMs). The pass changes
// nothing; the report goes to `output` ('-': stderr) as a table or JSON.
//
// In zo-cuda-lowering{report=} the model is taken at the loops stage (each
// top-level loop one kernel) but the report is written after the gpu stage
// by `zo-traffic-report-launches`, which adds the launches left after launch
// merging (gpu.launch_func ops + GEMM calls, what the GPU really launches);
// the two passes share a TrafficReportHandoff.
//
//===----------------------------------------------------------------------===//

#include "zo/Analysis/TrafficReport.h"
#include "zo/Analysis/TrafficReportPass.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::zo;

namespace {

/// The reference MeZO schedule of `step`: 2 x `forward`, plus four copies of
/// each trained parameter's last update sweep in `step`.
FunctionCost referenceSchedule(func::FuncOp stepFn, const FunctionCost &step,
                               const FunctionCost &forward) {
  FunctionCost ref;
  ref.function = "reference MeZO schedule";
  ref.paramBytes = step.paramBytes;
  ref.trainedParamBytes = step.trainedParamBytes;
  ref.append(forward, 2);
  // The step's kernels that write a parameter, by the parameter they write
  // (the last one wins: MMT/Adam write state first, the parameter last).
  std::map<std::string, KernelCost> sweeps;
  for (const KernelCost &k : step.kernels)
    if (!k.writesParam.empty())
      sweeps[k.writesParam] = k;
  for (auto &[name, k] : sweeps) {
    KernelCost sweep = k;
    sweep.what = "in-place sweep of " + name;
    for (int i = 0; i < 4; ++i)
      ref.kernels.push_back(sweep);
  }
  (void)stepFn;
  return ref;
}

std::string mib(int64_t bytes) {
  return llvm::formatv("{0:f2}", bytes / 1048576.0).str();
}

/// Launches of a function after the gpu stage: gpu.launch_func ops and GEMM
/// library calls (counted by name: the analysis does not depend on the GPU
/// dialect).
int64_t countLaunches(func::FuncOp fn) {
  int64_t n = 0;
  fn.walk([&](Operation *op) {
    if (op->getName().getStringRef() == "gpu.launch_func")
      ++n;
    else if (auto call = dyn_cast<func::CallOp>(op))
      n += call.getCallee().contains("gemm");
  });
  return n;
}

} // namespace

/// What the modelling pass hands to the writing one.
struct mlir::zo::TrafficReportHandoff {
  std::string output, format;
  bool kernels = false;
  std::optional<FunctionCost> forward, step;
  /// Whether a model waits to be written.
  bool pending = false;
};

namespace {

/// Launches after merging, per function (absent: not counted).
struct MergedLaunches {
  std::optional<int64_t> forward, step;
};

/// Writes the report of `forward` / `step` (at least one present) to
/// `output` as `format`; `merged`: launches after launch merging, if known.
LogicalResult writeReport(Operation *anchor, StringRef output, StringRef format,
                          bool kernels,
                          const std::optional<FunctionCost> &forward,
                          const std::optional<FunctionCost> &step,
                          func::FuncOp stepFn, const MergedLaunches &merged);

struct TrafficReportPass
    : PassWrapper<TrafficReportPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TrafficReportPass)

  TrafficReportPass() = default;
  TrafficReportPass(const TrafficReportPass &other)
      : PassWrapper(other), handoff(other.handoff) {}

  StringRef getArgument() const override { return "zo-traffic-report"; }
  StringRef getDescription() const override {
    return "Static model of kernels, global-memory traffic and FLOPs of "
           "@forward / @train_step (bufferized), beside the reference MeZO "
           "schedule and the minimum; a model, not a measurement";
  }

  Option<std::string> output{*this, "output",
                             llvm::cl::desc("Report file ('-': stderr)"),
                             llvm::cl::init("-")};
  Option<std::string> format{*this, "format", llvm::cl::desc("table | json"),
                             llvm::cl::init("table")};
  Option<bool> kernels{*this, "kernels",
                       llvm::cl::desc("List every kernel in the table"),
                       llvm::cl::init(false)};

  LogicalResult initialize(MLIRContext *ctx) override {
    if (format != "table" && format != "json")
      return emitError(UnknownLoc::get(ctx))
             << "zo-traffic-report: format must be 'table' or 'json', not '"
             << format << "'";
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    DeviceModel device;
    std::vector<FunctionCost> costs;
    std::optional<FunctionCost> forward, step;
    for (StringRef name : {"forward", "train_step"}) {
      auto fn = module.lookupSymbol<func::FuncOp>(name);
      if (!fn)
        continue;
      FailureOr<FunctionCost> cost = analyzeFunctionCost(fn);
      if (failed(cost))
        return signalPassFailure();
      (name == "forward" ? forward : step) = *cost;
    }
    if (!forward && !step) {
      module.emitError("zo-traffic-report: the module has neither @forward "
                       "nor @train_step");
      return signalPassFailure();
    }

    if (handoff) {
      handoff->output = output;
      handoff->format = format;
      handoff->kernels = kernels;
      handoff->forward = forward;
      handoff->step = step;
      handoff->pending = true;
    } else if (failed(
                   writeReport(module, output, format, kernels, forward, step,
                               module.lookupSymbol<func::FuncOp>("train_step"),
                               MergedLaunches()))) {
      return signalPassFailure();
    }
    markAllAnalysesPreserved();
  }

  std::shared_ptr<TrafficReportHandoff> handoff;
};

/// `zo-traffic-report-launches`: writes the report a TrafficReportPass
/// handed over, with the launches of @forward / @train_step counted now.
struct TrafficReportLaunchesPass
    : PassWrapper<TrafficReportLaunchesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TrafficReportLaunchesPass)

  explicit TrafficReportLaunchesPass(
      std::shared_ptr<TrafficReportHandoff> handoff)
      : handoff(std::move(handoff)) {}

  StringRef getArgument() const override {
    return "zo-traffic-report-launches";
  }
  StringRef getDescription() const override {
    return "Write the traffic report modelled earlier in the pipeline, with "
           "the launches (gpu.launch_func + GEMM calls) counted now";
  }

  void runOnOperation() override {
    if (!handoff || !handoff->pending)
      return markAllAnalysesPreserved();
    handoff->pending = false;
    ModuleOp module = getOperation();
    MergedLaunches merged;
    if (auto fn = module.lookupSymbol<func::FuncOp>("forward"))
      merged.forward = countLaunches(fn);
    if (auto fn = module.lookupSymbol<func::FuncOp>("train_step"))
      merged.step = countLaunches(fn);
    if (failed(writeReport(module, handoff->output, handoff->format,
                           handoff->kernels, handoff->forward, handoff->step,
                           module.lookupSymbol<func::FuncOp>("train_step"),
                           merged)))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }

  std::shared_ptr<TrafficReportHandoff> handoff;
};

LogicalResult writeReport(Operation *anchor, StringRef output, StringRef format,
                          bool kernels,
                          const std::optional<FunctionCost> &forward,
                          const std::optional<FunctionCost> &step,
                          func::FuncOp stepFn, const MergedLaunches &merged) {
  DeviceModel device;
  std::optional<FunctionCost> reference;
  int64_t forwards = 0, minimum = 0;
  // Perturbed GEMM weights (read by the step's GEMMs through copies): their
  // number and bytes, and what their copies add to the minimum.
  int64_t copiedWeights = 0, copiedWeightBytes = 0, copyExtra = 0;
  if (forward && step) {
    reference = referenceSchedule(stepFn, *step, *forward);
    int64_t fwdGemms = forward->gemmCount();
    forwards = fwdGemms
                   ? static_cast<int64_t>(std::lround(
                         static_cast<double>(step->gemmCount()) / fwdGemms))
                   : 0;
    minimum = forwards * forward->traffic() + 2 * step->trainedParamBytes;
    for (const auto &[name, w] : step->gemmWeights) {
      if (!w.copyReads)
        continue;
      auto it = forward->gemmWeights.find(name);
      int64_t perForward = it != forward->gemmWeights.end() && it->second.reads
                               ? it->second.reads
                               : 1;
      int64_t copyForwards = std::max<int64_t>(
          1, std::lround(static_cast<double>(w.copyReads) / perForward));
      copiedWeightBytes += w.bytes;
      ++copiedWeights;
      copyExtra += (copyForwards + 1) * w.bytes;
    }
  }
  int64_t copyFloor = minimum + copyExtra;

  std::string errorMessage;
  auto file = openOutputFile(std::string(output), &errorMessage);
  if (!file) {
    return anchor->emitError("zo-traffic-report: ") << errorMessage;
  }
  llvm::raw_ostream &os = output == "-" ? llvm::errs() : file->os();

  if (format == "json") {
    llvm::json::Object root{
        {"model", "static estimate, not a measurement"},
        {"device", llvm::json::Object{
                       {"name", device.name},
                       {"bytes_per_second", device.bytesPerSecond},
                       {"gemm_flops_per_second", device.gemmFlopsPerSecond},
                       {"flops_per_second", device.flopsPerSecond},
                       {"int_ops_per_second", device.intOpsPerSecond}}}};
    if (forward)
      root["forward"] = toJSON(*forward, device);
    if (step)
      root["train_step"] = toJSON(*step, device);
    if (reference) {
      root["reference_mezo"] = toJSON(*reference, device);
      root["forwards_per_step"] = forwards;
      root["minimum_traffic_bytes"] = minimum;
      root["traffic_vs_reference"] =
          static_cast<double>(step->traffic()) / reference->traffic();
      root["traffic_vs_minimum"] =
          static_cast<double>(step->traffic()) / minimum;
      if (copyExtra) {
        root["perturbed_gemm_weights"] = copiedWeights;
        root["perturbed_gemm_weight_bytes"] = copiedWeightBytes;
        root["minimum_with_materialized_gemm_weights_bytes"] = copyFloor;
        root["traffic_vs_minimum_with_materialized_gemm_weights"] =
            static_cast<double>(step->traffic()) / copyFloor;
      }
    }
    if (merged.forward || merged.step) {
      llvm::json::Object launches;
      if (merged.forward)
        launches["forward"] = *merged.forward;
      if (merged.step)
        launches["train_step"] = *merged.step;
      root["launches_after_merging"] = std::move(launches);
    }
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  } else {
    os << "zo traffic report: a static model, not a measurement; device "
       << device.name << ": "
       << llvm::formatv(
              "{0:f2} TB/s, {1:f0} TFLOP/s GEMM, {2:f0} TFLOP/s "
              "f32, {3:f1} Tops int32\n",
              device.bytesPerSecond / 1e12, device.gemmFlopsPerSecond / 1e12,
              device.flopsPerSecond / 1e12, device.intOpsPerSecond / 1e12);
    os << llvm::formatv("{0,-28} {1,9} {2,6} {3,11} {4,11} {5,11} {6,9} "
                        "{7,12}\n",
                        "schedule", "kernels", "GEMMs", "read MiB",
                        "written MiB", "traffic MiB", "GFLOP", "roofline ms");
    auto row = [&](StringRef label, const FunctionCost &c) {
      os << llvm::formatv(
          "{0,-28} {1,9} {2,6} {3,11} {4,11} {5,11} {6,9:f3} {7,12:f4}\n",
          label, c.kernels.size(), c.gemmCount(), mib(c.bytesRead()),
          mib(c.bytesWritten()), mib(c.traffic()), c.flops() / 1e9,
          c.rooflineSeconds(device) * 1e3);
    };
    if (forward)
      row("forward", *forward);
    if (step)
      row("train_step", *step);
    if (reference) {
      row("reference MeZO schedule", *reference);
      os << llvm::formatv(
          "minimum traffic ({0} forwards + read/write of {1} MiB trained "
          "parameters): {2} MiB\n",
          forwards, mib(step->trainedParamBytes), mib(minimum));
      os << llvm::formatv("train_step traffic: {0:f3}x the reference "
                          "schedule, {1:f3}x the minimum\n",
                          static_cast<double>(step->traffic()) /
                              reference->traffic(),
                          static_cast<double>(step->traffic()) / minimum);
      if (copyExtra) {
        os << llvm::formatv(
            "minimum with materialized GEMM weights (+ {0} MiB: {1} "
            "perturbed GEMM weights of {2} MiB, each read once, its copy "
            "written once per forward): {3} MiB, {4:f3}x the reference "
            "schedule\n",
            mib(copyExtra), copiedWeights, mib(copiedWeightBytes),
            mib(copyFloor),
            static_cast<double>(copyFloor) / reference->traffic());
        os << llvm::formatv("train_step traffic: {0:f3}x the minimum with "
                            "materialized GEMM weights\n",
                            static_cast<double>(step->traffic()) / copyFloor);
      }
    }
    os << "kernels: top-level loop nests (linalg ops, or the CUDA "
          "pipeline's fused loops: zo-cuda-lowering{report=}) and GEMM "
          "calls; merging independent launches afterwards moves no "
          "bytes\n";
    if (merged.forward || merged.step) {
      os << "launches at the gpu stage (gpu.launch_func + GEMM calls, "
            "after launch merging):";
      if (merged.forward)
        os << " forward " << *merged.forward;
      if (merged.step)
        os << (merged.forward ? "," : "") << " train_step " << *merged.step;
      os << "\n";
    }
    if (kernels)
      for (const FunctionCost *c :
           {forward ? &*forward : nullptr, step ? &*step : nullptr}) {
        if (!c)
          continue;
        os << "\nkernels of @" << c->function << ":\n";
        for (const KernelCost &k : c->kernels)
          os << llvm::formatv("  {0,-6} {1,12} B read {2,12} B written "
                              "{3,14} flop  {4}\n",
                              k.kind, k.bytesRead, k.bytesWritten, k.flops,
                              k.what);
      }
  }
  if (output != "-")
    file->keep();
  return success();
}

} // namespace

std::unique_ptr<Pass> mlir::zo::createTrafficReportPass() {
  return std::make_unique<TrafficReportPass>();
}

std::unique_ptr<Pass> mlir::zo::createTrafficReportPass(
    StringRef output, StringRef format,
    std::shared_ptr<TrafficReportHandoff> handoff) {
  auto pass = std::make_unique<TrafficReportPass>();
  pass->output = output.str();
  pass->format = format.str();
  pass->handoff = std::move(handoff);
  return pass;
}

std::shared_ptr<TrafficReportHandoff> mlir::zo::createTrafficReportHandoff() {
  return std::make_shared<TrafficReportHandoff>();
}

std::unique_ptr<Pass> mlir::zo::createTrafficReportLaunchesPass(
    std::shared_ptr<TrafficReportHandoff> handoff) {
  return std::make_unique<TrafficReportLaunchesPass>(std::move(handoff));
}

void mlir::zo::registerTrafficReportPass() {
  PassRegistration<TrafficReportPass>();
}
