//===- Model.h - an ONNX model compiled for the CPU -------------*- C++ -*-===//
//
// The C++ entry point for running a model: import an .onnx file, compile its
// forward pass through every stage, and keep its parameters (the ONNX
// initializers) in host buffers bound by name.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_DRIVER_MODEL_H
#define ZO_DRIVER_MODEL_H

#include "zo/Import/OnnxImporter.h"
#include "zo/Import/OnnxModel.h"
#include "zo/Runtime/JitModule.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace mlir::zo {

struct ModelOptions {
  /// Shapes of dynamic inputs, frozen initializers.
  ImportOptions import;
  /// CPU back-end knobs.
  rt::JitOptions jit;
  /// A training rewrite as a textual pass pipeline, e.g.
  /// "zo-zeroth-order{eps=0.001}": the model then also has @train_step.
  std::string trainStep;
  /// Called with @forward's signature once the model is imported and lowered
  /// to linalg, before the native compilation (the slow part): a caller that
  /// must check inputs against the model (zo-train's dataset) fails fast.
  /// An error stops the load and is returned as is.
  std::function<llvm::Error(const rt::FunctionSignature &forward)>
      checkForward;
};

/// A model whose forward function is compiled and ready to run.
///
///   auto model = Model::load("bert.onnx", {});
///   rt::NamedTensors out = *(*model)->forward(inputs);   // loss, logits
class Model {
public:
  /// Imports, compiles and binds parameters. Errors are single lines naming
  /// the file (and the ONNX node, when one is at fault).
  static llvm::Expected<std::unique_ptr<Model>>
  load(llvm::StringRef path, const ModelOptions &options);
  ~Model();

  /// The compiled `forward`: graph inputs and parameters in, outputs out.
  const rt::FunctionSignature &getForwardSignature() const;
  /// Parameters (trainable float initializers) by ONNX name.
  rt::NamedTensors &getParameters() { return parameters; }
  /// Runs forward on `inputs` (by ONNX input name); returns the outputs by
  /// ONNX output name.
  llvm::Expected<rt::NamedTensors> forward(rt::NamedTensors &inputs);

  /// Optimizer state of the training step (role "state", e.g. ZO-Adam's
  /// `adam_m:<param>`), zero after load; empty for stateless methods.
  rt::NamedTensors &getState() { return state; }

  /// One training step (needs ModelOptions::trainStep): updates the
  /// parameters and the state in place and returns the step's outputs by
  /// name (loss, projected_grad for the zeroth-order methods). `step` is
  /// the 1-based step count (bias corrections, mask schedules).
  llvm::Expected<rt::NamedTensors> trainStep(rt::NamedTensors &batch,
                                             uint64_t seed, float lr,
                                             int64_t step);
  bool hasTrainStep() const;

  /// Writes a copy of the model with the current parameter values (the
  /// input file is never touched; the output appears atomically).
  llvm::Error exportOnnx(llvm::StringRef outPath) const;

  rt::JitModule &getJit() { return *jit; }

private:
  Model() = default;
  std::unique_ptr<OnnxModel> onnx;
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<rt::JitModule> jit;
  rt::NamedTensors parameters;
  rt::NamedTensors state;
};

/// Copies an ONNX initializer into a host tensor of the runtime's dtype.
llvm::Expected<rt::HostTensor> toHostTensor(const InitializerData &data);

} // namespace mlir::zo

#endif // ZO_DRIVER_MODEL_H
