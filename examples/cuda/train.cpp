//===- train.cpp - train a model on a GPU with a compiled step library ----===//
//
// zo-cuda-train step.so --params params.npz --inputs batch.npz --steps 100
//
// Parameters and optimizer state stay on the device for the whole run; each
// step uploads the batch and the step's scalars (seed, lr, step count) and
// downloads the loss. See README.md for how step.so is made.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/CudaModel.h"
#include "zo/Runtime/CudaRuntime.h"
#include "zo/Runtime/Npy.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir::zo;
namespace cl = llvm::cl;

static cl::opt<std::string> stepPath(cl::Positional, cl::Required,
                                     cl::desc("<step.so>"));
static cl::opt<std::string> paramsPath("params", cl::Required,
                                       cl::desc("Initial parameters (.npz)"));
static cl::opt<std::string>
    inputsPath("inputs", cl::init(""),
               cl::desc("The batch (.npz), every step"));
static cl::opt<std::string> outPath("out", cl::init(""),
                                    cl::desc("Write the trained parameters"));
static cl::opt<std::string>
    resultsPath("results", cl::init(""),
                cl::desc("Write the last step's results (.npz)"));
static cl::opt<std::string> entry("entry", cl::init("train_step"),
                                  cl::desc("Step function"));
static cl::opt<unsigned> steps("steps", cl::init(10), cl::desc("Steps"));
static cl::opt<float> lr("lr", cl::init(1e-3f), cl::desc("Learning rate"));
static cl::opt<uint64_t> seed("seed", cl::init(0), cl::desc("Random seed"));

static int failWith(const llvm::Twine &msg) {
  llvm::errs() << "zo-cuda-train: error: " << msg << "\n";
  return 1;
}

/// SplitMix64, as zo-train: a distinct, reproducible seed per step.
static uint64_t splitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

template <typename T>
static void setScalar(rt::NamedTensors &inputs, const std::string &name,
                      rt::DType dtype, T value) {
  rt::HostTensor *t = rt::lookup(inputs, name);
  if (!t) {
    inputs.emplace_back(name, rt::HostTensor(dtype, {}));
    t = &inputs.back().second;
  }
  *t->data<T>() = value;
}

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "train a model on a CUDA GPU\n");

  // The library first: its manifest says what the step needs. Opening it
  // needs no device.
  auto step = cuda::StepLibrary::open(stepPath);
  if (!step)
    return failWith(llvm::toString(step.takeError()));
  const rt::FunctionSignature *sig = (*step)->getSignature(entry);
  if (!sig)
    return failWith(stepPath + " has no step function @" + entry);

  auto params = rt::readNpz(paramsPath);
  if (!params)
    return failWith(llvm::toString(params.takeError()));
  rt::NamedTensors inputs;
  if (!inputsPath.empty()) {
    auto batch = rt::readNpz(inputsPath);
    if (!batch)
      return failWith(llvm::toString(batch.takeError()));
    inputs = std::move(*batch);
  }

  if (std::string err = cuda::initialize(); !err.empty()) {
    llvm::errs() << err << "\n";
    return 1;
  }
  cuda::DeviceInfo info = cuda::getDeviceInfo();
  llvm::errs() << llvm::formatv("device {0}: {1} (sm_{2}{3}, {4} MiB)\n",
                                info.ordinal, info.name, info.major, info.minor,
                                info.totalBytes >> 20);

  cuda::NamedDeviceTensors deviceParams = cuda::uploadAll(*params);
  // Optimizer state (momentum, Adam moments) starts at zero on the device.
  cuda::NamedDeviceTensors state;
  for (const rt::TensorSpec &spec : sig->args)
    if (spec.role == "state")
      state.emplace_back(spec.name, cuda::DeviceTensor::upload(rt::HostTensor(
                                        spec.dtype, spec.shape)));

  rt::NamedTensors last;
  for (unsigned i = 0; i < steps; ++i) {
    setScalar<int64_t>(
        inputs, "seed", rt::DType::I64,
        static_cast<int64_t>(splitMix64(seed ^ splitMix64(~uint64_t(i)))));
    setScalar<float>(inputs, "lr", rt::DType::F32, lr);
    setScalar<int64_t>(inputs, "step", rt::DType::I64, int64_t(i) + 1);
    auto out = (*step)->call(entry, inputs, deviceParams, &state);
    if (!out)
      return failWith(llvm::toString(out.takeError()));
    rt::HostTensor *loss = rt::lookup(*out, "loss");
    if (loss && loss->getDType() == rt::DType::F32) {
      float l = *loss->data<float>();
      llvm::outs() << llvm::formatv("step {0} loss {1:f6}\n", i + 1, l);
      if (!std::isfinite(l))
        return failWith("loss is not finite at step " + llvm::Twine(i + 1));
    }
    last = std::move(*out);
  }
  if (!resultsPath.empty())
    if (llvm::Error err = rt::writeNpz(resultsPath, last))
      return failWith(llvm::toString(std::move(err)));
  cuda::DeviceMemoryStats mem = cuda::getDeviceMemoryStats();
  llvm::errs() << llvm::formatv("peak device memory: {0:f1} KiB\n",
                                mem.peakBytes / 1024.0);
  if (!outPath.empty())
    if (llvm::Error err =
            rt::writeNpz(outPath, cuda::downloadAll(deviceParams)))
      return failWith(llvm::toString(std::move(err)));
  return 0;
}
