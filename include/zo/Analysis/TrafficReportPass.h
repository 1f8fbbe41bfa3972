//===- TrafficReportPass.h - zo-traffic-report ----------------*- C++ -*-===//
//
// `zo-traffic-report{output=- format=table|json kernels=false}`: the static
// kernel / traffic / FLOP model (TrafficReport.h) of a bufferized module's
// @forward and @train_step, beside the reference MeZO schedule, the
// minimum traffic and the minimum with materialized GEMM weights. Changes
// nothing. `zo-cuda-lowering{report=}` splits it:
// the model at the loops stage, the report written after the gpu stage
// with the launches left after launch merging.
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

/// A model handed from a TrafficReportPass to the pass writing it.
struct TrafficReportHandoff;
std::shared_ptr<TrafficReportHandoff> createTrafficReportHandoff();

/// The pass writing to `output` ('-': stderr) as `format` (table | json);
/// with a `handoff`, it only models, and the report is written by the
/// TrafficReportLaunchesPass sharing it.
std::unique_ptr<Pass>
createTrafficReportPass(llvm::StringRef output, llvm::StringRef format,
                        std::shared_ptr<TrafficReportHandoff> handoff = {});

/// `zo-traffic-report-launches`: writes the handed-over report with the
/// launches of @forward / @train_step as they are now (gpu.launch_func +
/// GEMM calls); nothing if no report is pending.
std::unique_ptr<Pass>
createTrafficReportLaunchesPass(std::shared_ptr<TrafficReportHandoff> handoff);
void registerTrafficReportPass();
} // namespace zo
} // namespace mlir

#endif // ZO_ANALYSIS_TRAFFICREPORTPASS_H
