//===- Npy.h - numpy .npy / .npz files ---------------------------*- C++
//-*-===//
//
// Reads what numpy's save/savez/savez_compressed write (stored or deflated
// zip entries) and writes uncompressed npz atomically (temp file + rename).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_NPY_H
#define ZO_RUNTIME_NPY_H

#include "zo/Runtime/HostTensor.h"

#include "llvm/Support/Error.h"

namespace mlir::zo::rt {

/// Parses one .npy image. `what` names it in error messages.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes,
                                    llvm::StringRef what);
/// Serializes `tensor` as a version 1.0 .npy image (C order, little endian).
std::string serializeNpy(const HostTensor &tensor);

/// Reads every array of an .npz file (keys without the ".npy" suffix, in
/// archive order). A plain .npy file is read as one array named "arr_0".
llvm::Expected<NamedTensors> readNpz(llvm::StringRef path);

/// Writes `tensors` as an uncompressed .npz, replacing `path` only once the
/// whole file is written.
llvm::Error writeNpz(llvm::StringRef path, const NamedTensors &tensors);

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_NPY_H
