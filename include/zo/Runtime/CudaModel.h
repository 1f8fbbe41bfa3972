//===- CudaModel.h - run CUDA step libraries on device buffers -*- C++ -*-===//
//
// The C++ API of the CUDA target: open a `step.so` written by
// zo/Runtime/CudaStepLibrary.h, keep parameters and optimizer state resident
// on the device, and call steps with host inputs bound by name (the manifest
// contract of the CPU runtime, zo/Runtime/Signature.h).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_CUDAMODEL_H
#define ZO_RUNTIME_CUDAMODEL_H

#include "zo/Runtime/HostTensor.h"
#include "zo/Runtime/Signature.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace mlir::zo::cuda {

/// A dense row-major array in device memory (owned).
class DeviceTensor {
public:
  DeviceTensor() = default;
  /// Uninitialized device memory.
  DeviceTensor(rt::DType dtype, llvm::ArrayRef<int64_t> shape);
  DeviceTensor(DeviceTensor &&other) noexcept;
  DeviceTensor &operator=(DeviceTensor &&other) noexcept;
  ~DeviceTensor();

  static DeviceTensor upload(const rt::HostTensor &host);
  rt::HostTensor download() const;
  /// Overwrites the contents (same dtype and shape).
  void assign(const rt::HostTensor &host);

  rt::DType getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getNumElements() const;
  size_t getNumBytes() const;
  void *data() const { return ptr; }
  std::string describe() const;

private:
  rt::DType dtype = rt::DType::F32;
  llvm::SmallVector<int64_t> shape;
  void *ptr = nullptr;
};

using NamedDeviceTensors = std::vector<std::pair<std::string, DeviceTensor>>;
NamedDeviceTensors uploadAll(const rt::NamedTensors &host);
rt::NamedTensors downloadAll(const NamedDeviceTensors &device);

class StepLibrary {
public:
  /// Opens `path` and reads its manifest and entry points. Needs no device:
  /// GPU modules are loaded on first launch.
  static llvm::Expected<std::unique_ptr<StepLibrary>>
  open(llvm::StringRef path);
  ~StepLibrary();

  llvm::ArrayRef<rt::FunctionSignature> getSignatures() const { return sigs; }
  const rt::FunctionSignature *getSignature(llvm::StringRef name) const;

  /// Calls `name`. Arguments with role "param" / "state" come from `params`
  /// / `state` (resident, updated in place by the step); every other tensor
  /// from `inputs`, uploaded for the call (each store falls back to the
  /// others, as the CPU runtime's bindArguments); scalars are passed by
  /// value. Results are downloaded. Initializes the device first: the error
  /// is "zo-cuda: no CUDA driver: ..." on a machine without one.
  llvm::Expected<rt::NamedTensors> call(llvm::StringRef name,
                                        rt::NamedTensors &inputs,
                                        NamedDeviceTensors &params,
                                        NamedDeviceTensors *state = nullptr);

private:
  StepLibrary() = default;
  void *handle = nullptr;
  std::string path;
  std::vector<rt::FunctionSignature> sigs;
  std::vector<void (*)(void **)> entryPoints;
};

} // namespace mlir::zo::cuda

#endif // ZO_RUNTIME_CUDAMODEL_H
