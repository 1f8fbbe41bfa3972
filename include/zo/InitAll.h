//===- InitAll.h - register every zo dialect and pass -----------*- C++ -*-===//
//
// One place that knows every dialect, pass and pipeline of zo-opt, used by
// the tools, the pass plugin and the Python bindings alike.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_INITALL_H
#define ZO_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::zo {

/// Inserts the zo dialects and every upstream dialect our pipelines produce.
void registerAllDialects(DialectRegistry &registry);

/// Registers the zo passes and named pipelines with the global registry.
void registerAllPasses();

} // namespace mlir::zo

#endif // ZO_INITALL_H
