//===- RuntimeSymbols.h - what JIT-compiled code may call -------*- C++ -*-===//
//
// The JIT resolves only symbols it is given: this is the list of runtime
// entry points (allocation hooks, BLAS shims, memrefCopy) and their addresses.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_RUNTIMESYMBOLS_H
#define ZO_RUNTIME_RUNTIMESYMBOLS_H

#include "llvm/ADT/StringRef.h"

#include <utility>
#include <vector>

namespace mlir::zo::rt {

/// (symbol name, address) of every function compiled code may call into.
std::vector<std::pair<llvm::StringRef, void *>> getRuntimeSymbols();

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_RUNTIMESYMBOLS_H
