//===- OnnxExport.h - write tuned weights back into an ONNX model -*- C++ -*-===//
//
// Training ends by writing a copy of the user's model in which the trained
// initializers carry their new values; everything else is left as it was.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_IMPORT_ONNXEXPORT_H
#define ZO_IMPORT_ONNXEXPORT_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>

namespace mlir::zo {

class OnnxModel;

/// The new raw bytes (little-endian, the initializer's own dtype and shape) of
/// an initializer, or nullopt to keep it.
using InitializerUpdate =
    function_ref<std::optional<ArrayRef<char>>(StringRef name)>;

/// Writes `model` to `outPath` with the updated initializers stored inline as
/// raw_data. The file is written to a temporary beside `outPath` and renamed,
/// so `outPath` never holds a partial model. Fails if `outPath` is the file
/// the model was loaded from, or a size does not match.
llvm::Error writeOnnxWithInitializers(const OnnxModel &model,
                                      StringRef outPath,
                                      InitializerUpdate update);

} // namespace mlir::zo

#endif // ZO_IMPORT_ONNXEXPORT_H
