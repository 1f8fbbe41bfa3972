//===- Model.cpp - an ONNX model compiled for the CPU ---------------------===//

#include "zo/Driver/Model.h"

#include "zo/Import/OnnxModel.h"
#include "zo/InitAll.h"
#include "zo/Pipelines/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

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
  buildCompilePipeline(pm, Stage::Linalg);
  if (failed(pm.run(**module)))
    return makeError(diagnostics.empty()
                         ? (path + ": error: compilation failed").str()
                         : diagnostics);

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
  for (const rt::TensorSpec &arg : sig->args) {
    if (arg.role != "param")
      continue;
    auto init = (*onnx)->getInitializer(arg.name);
    if (!init)
      return init.takeError();
    auto tensor = toHostTensor(*init);
    if (!tensor)
      return tensor.takeError();
    model->parameters.emplace_back(arg.name, std::move(*tensor));
  }
  return model;
}

const rt::FunctionSignature &Model::getForwardSignature() const {
  return *jit->getSignature("forward");
}

llvm::Expected<rt::NamedTensors> Model::forward(rt::NamedTensors &inputs) {
  return jit->callByName("forward", inputs, &parameters);
}
