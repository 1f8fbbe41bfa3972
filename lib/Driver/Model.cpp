//===- Model.cpp - an ONNX model compiled for the CPU ---------------------===//

#include "zo/Driver/Model.h"

#include "zo/Import/OnnxExport.h"
#include "zo/Import/OnnxModel.h"
#include "zo/InitAll.h"
#include "zo/Pipelines/Pipelines.h"

#include "zo/Runtime/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cstring>

using namespace mlir;
using namespace mlir::zo;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<rt::HostTensor> mlir::zo::toHostTensor(const InitializerData &data) {
  std::optional<rt::DType> dtype;
  switch (data.dtype) {
  case OnnxDType::Float:
    dtype = rt::DType::F32;
    break;
  case OnnxDType::Double:
    dtype = rt::DType::F64;
    break;
  case OnnxDType::Int64:
    dtype = rt::DType::I64;
    break;
  case OnnxDType::Int32:
    dtype = rt::DType::I32;
    break;
  case OnnxDType::Bool:
    dtype = rt::DType::I1;
    break;
  case OnnxDType::BFloat16:
    dtype = rt::DType::BF16;
    break;
  default:
    return makeError("initializer '" + data.name + "' has element type " +
                     getOnnxDTypeName(static_cast<int32_t>(data.dtype)) +
                     ", which the CPU runtime does not hold");
  }
  rt::HostTensor tensor(*dtype, data.dims);
  if (tensor.getNumBytes() != data.bytes.size())
    return makeError("initializer '" + data.name + "' holds " +
                     Twine(data.bytes.size()) + " bytes, expected " +
                     Twine(tensor.getNumBytes()));
  std::memcpy(tensor.data(), data.bytes.data(), data.bytes.size());
  return tensor;
}

Model::~Model() = default;

llvm::Expected<std::unique_ptr<Model>> Model::load(StringRef path,
                                                   const ModelOptions &options) {
  std::unique_ptr<Model> model(new Model());
  // Training steps are given as textual pass pipelines.
  registerAllPasses();
  DialectRegistry registry;
  registerAllDialects(registry);
  model->context = std::make_unique<MLIRContext>(registry);
  MLIRContext &ctx = *model->context;

  // Every diagnostic becomes one line of the returned error.
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    if (!diagnostics.empty())
      diagnostics += "\n";
    diagnostics += formatImportDiagnostic(diag, path);
    return success();
  });

  FailureOr<OwningOpRef<ModuleOp>> module =
      importOnnxFile(path, ctx, options.import);
  if (failed(module))
    return makeError(diagnostics);

  PassManager pm(&ctx);
  std::string pipelineError;
  llvm::raw_string_ostream pipelineErrorOS(pipelineError);
  bool badPipeline = false;
  buildCompilePipeline(pm, Stage::Linalg, [&](OpPassManager &trainPm) {
    if (options.trainStep.empty())
      return;
    if (failed(parsePassPipeline(options.trainStep, trainPm, pipelineErrorOS)))
      badPipeline = true;
  });
  if (badPipeline)
    return makeError("error: bad training step '" + options.trainStep +
                     "': " + StringRef(pipelineError).trim());
  if (failed(pm.run(**module)))
    return makeError(diagnostics.empty()
                         ? (path + ": error: compilation failed").str()
                         : diagnostics);

  if (options.checkForward) {
    auto forward = module->get().lookupSymbol<func::FuncOp>("forward");
    if (!forward)
      return makeError(path + ": error: the module has no @forward");
    auto signature = rt::getSignature(forward);
    if (!signature)
      return signature.takeError();
    if (llvm::Error e = options.checkForward(*signature))
      return std::move(e);
  }

  auto jit = rt::JitModule::compile(**module, options.jit);
  if (!jit)
    return jit.takeError();
  model->jit = std::move(*jit);

  const rt::FunctionSignature *sig = model->jit->getSignature("forward");
  if (!sig)
    return makeError(path + ": error: the module has no @forward");
  auto onnx = OnnxModel::load(path);
  if (!onnx)
    return onnx.takeError();
  model->onnx = std::move(*onnx);
  for (const rt::TensorSpec &arg : sig->args) {
    if (arg.role != "param")
      continue;
    auto init = model->onnx->getInitializer(arg.name);
    if (!init)
      return init.takeError();
    auto tensor = toHostTensor(*init);
    if (!tensor)
      return tensor.takeError();
    model->parameters.emplace_back(arg.name, std::move(*tensor));
  }
  if (const rt::FunctionSignature *step = model->jit->getSignature("train_step"))
    for (const rt::TensorSpec &arg : step->args)
      if (arg.role == "state") {
        rt::HostTensor zeros(arg.dtype, arg.shape);
        std::memset(zeros.data(), 0, zeros.getNumBytes());
        model->state.emplace_back(arg.name, std::move(zeros));
      }
  return model;
}

const rt::FunctionSignature &Model::getForwardSignature() const {
  return *jit->getSignature("forward");
}

llvm::Expected<rt::NamedTensors> Model::forward(rt::NamedTensors &inputs) {
  return jit->callByName("forward", inputs, &parameters);
}

bool Model::hasTrainStep() const {
  return jit->getSignature("train_step") != nullptr;
}

llvm::Expected<rt::NamedTensors>
Model::trainStep(rt::NamedTensors &batch, uint64_t seed, float lr,
                 int64_t step) {
  if (!hasTrainStep())
    return makeError("error: the model was compiled without a training step");
  // The step's scalars travel as 0-d tensors named after their role.
  rt::NamedTensors inputs;
  for (auto &[name, tensor] : batch)
    inputs.emplace_back(name, tensor.clone());
  rt::HostTensor seedTensor(rt::DType::I64, {});
  *seedTensor.data<int64_t>() = static_cast<int64_t>(seed);
  rt::HostTensor lrTensor(rt::DType::F32, {});
  *lrTensor.data<float>() = lr;
  rt::HostTensor stepTensor(rt::DType::I64, {});
  *stepTensor.data<int64_t>() = step;
  inputs.emplace_back("seed", std::move(seedTensor));
  inputs.emplace_back("lr", std::move(lrTensor));
  inputs.emplace_back("step", std::move(stepTensor));
  return jit->callByName("train_step", inputs, &parameters, &state);
}

llvm::Error Model::exportOnnx(StringRef outPath) const {
  return writeOnnxWithInitializers(
      *onnx, outPath, [&](StringRef name) -> std::optional<ArrayRef<char>> {
        for (const auto &[paramName, tensor] : parameters)
          if (paramName == name)
            return ArrayRef<char>(static_cast<const char *>(tensor.data()),
                                  tensor.getNumBytes());
        return std::nullopt;
      });
}
