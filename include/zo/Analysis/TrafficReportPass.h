//===- TrafficReportPass.h - zo-traffic-report ----------------*- C++ -*-===//
//
// `zo-traffic-report{output=- format=table|json kernels=false}`: the static
// kernel / traffic / FLOP model (TrafficReport.h) of a bufferized module's
// @forward and @train_step, beside the reference MeZO schedule and the
// minimum traffic. Changes nothing.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_ANALYSIS_TRAFFICREPORTPASS_H
#define ZO_ANALYSIS_TRAFFICREPORTPASS_H

#include "llvm/ADT/StringRef.h"

#include <memory>

namespace mlir {
class Pass;
namespace zo {
std::unique_ptr<Pass> createTrafficReportPass();
/// The pass writing to `output` ('-': stderr) as `format` (table | json).
std::unique_ptr<Pass> createTrafficReportPass(llvm::StringRef output,
                                              llvm::StringRef format);
void registerTrafficReportPass();
} // namespace zo
} // namespace mlir

#endif // ZO_ANALYSIS_TRAFFICREPORTPASS_H
