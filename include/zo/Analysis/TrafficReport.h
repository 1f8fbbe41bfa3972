//===- TrafficReport.h - static kernel / traffic / FLOP model of a step -*- C++ -*-===//
//
// A static cost model of a compiled function, read off its bufferized IR
// (linalg on memrefs, GEMMs already library calls): every top-level loop
// (linalg op), copy or scalar access is one kernel, every GEMM call one
// library launch. For each: the bytes of global memory it reads and writes
// (the footprint of each operand under its indexing map; gathers count one
// element per iteration) and its arithmetic (float ops, fma = 2; integer
// ops, the noise generator's, counted apart). From these, a roofline time
// for a stated device. It is a model, never a measurement.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_ANALYSIS_TRAFFICREPORT_H
#define ZO_ANALYSIS_TRAFFICREPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlir::zo {

/// One kernel launch of the model.
struct KernelCost {
  /// "loop" (a fused linalg op), "copy", "scalar" (host-side access that a
  /// GPU back end puts in a one-thread kernel) or "gemm" (a library call).
  std::string kind;
  /// What it is: the op name or the called function, and its location.
  std::string what;
  int64_t bytesRead = 0;
  int64_t bytesWritten = 0;
  int64_t flops = 0;
  int64_t intOps = 0;
  /// Iterations of the loop (threads a GPU back end launches); 1 for GEMMs.
  int64_t iterations = 0;
  /// The zo.name of the parameter argument it writes, if any.
  std::string writesParam;
};

/// Peak rates of the device the roofline assumes.
struct DeviceModel {
  std::string name = "H100 SXM (model)";
  double bytesPerSecond = 3.35e12;    ///< HBM3
  double gemmFlopsPerSecond = 989e12; ///< dense bf16 tensor cores
  double flopsPerSecond = 67e12;      ///< f32 on CUDA cores
  double intOpsPerSecond = 33.5e12;   ///< int32 multiply-add rate
};

/// The model of one function.
struct FunctionCost {
  std::string function;
  std::vector<KernelCost> kernels;
  /// Bytes of the function's parameter arguments (zo.role = "param"), and of
  /// those it writes (trained parameters, updated in place).
  int64_t paramBytes = 0;
  int64_t trainedParamBytes = 0;
  /// Per parameter read by a GEMM (by zo.name): its bytes, the GEMM
  /// operands reading it, and those reading one of its copies: a buffer of
  /// its size and element type that a loop filled from it elementwise (each
  /// stored value computed from a load of that parameter and of no other:
  /// a ZO step's perturbed copy W + eps z). Operand A and B reads only.
  struct GemmWeight {
    int64_t bytes = 0;
    int64_t reads = 0;
    int64_t copyReads = 0;
  };
  std::map<std::string, GemmWeight> gemmWeights;

  int64_t bytesRead() const;
  int64_t bytesWritten() const;
  int64_t traffic() const { return bytesRead() + bytesWritten(); }
  int64_t flops() const;
  int64_t gemmCount() const;
  /// Roofline time: per kernel, max(traffic / bandwidth, arithmetic / rate).
  double rooflineSeconds(const DeviceModel &device) const;
  /// Appends `other`'s kernels `times` times (a schedule that repeats it).
  void append(const FunctionCost &other, int times = 1);
};

/// Models `fn`, which must be bufferized (memref operands). Fails with a
/// diagnostic on an op it cannot model.
FailureOr<FunctionCost> analyzeFunctionCost(func::FuncOp fn);

llvm::json::Value toJSON(const FunctionCost &cost, const DeviceModel &device);

} // namespace mlir::zo

#endif // ZO_ANALYSIS_TRAFFICREPORT_H
