//===- HostTensor.h - a dense array in host memory --------------*- C++ -*-===//
//
// The runtime's unit of data: shape, dtype and an owned, 64-byte aligned
// buffer. npz files, JIT arguments and results are all HostTensors.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_RUNTIME_HOSTTENSOR_H
#define ZO_RUNTIME_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
class Type;
} // namespace mlir

namespace mlir::zo::rt {

/// Element types the runtime moves around. `I1` is stored one byte per
/// element (numpy's bool), which is also how LLVM lays out memref<..xi1>.
/// `BF16` is held as its 16-bit patterns (numpy has no bfloat16: .npy files
/// store them as `<u2`, or `<V2` as ml_dtypes.bfloat16 writes them).
enum class DType { F32, F64, I64, I32, I1, BF16 };

/// Size in bytes of one element.
size_t getByteWidth(DType dtype);
/// "f32", "f64", "i64", "i32", "i1", "bf16".
llvm::StringRef getDTypeName(DType dtype);
std::optional<DType> parseDTypeName(llvm::StringRef name);
/// The builtin element type's dtype (f32, f64, i64, i32, i1, bf16), if any.
std::optional<DType> getDTypeOf(Type elementType);

class HostTensor {
public:
  HostTensor() = default;
  /// Zero-initialized tensor.
  HostTensor(DType dtype, llvm::ArrayRef<int64_t> shape);

  HostTensor(HostTensor &&) = default;
  HostTensor &operator=(HostTensor &&) = default;
  /// Deep copy (explicit, tensors can be large).
  HostTensor clone() const;

  DType getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return shape.size(); }
  int64_t getNumElements() const;
  size_t getNumBytes() const { return getNumElements() * getByteWidth(dtype); }
  /// Row-major strides in elements.
  llvm::SmallVector<int64_t> getStrides() const;

  void *data() { return buffer.get(); }
  const void *data() const { return buffer.get(); }
  template <typename T> T *data() { return static_cast<T *>(data()); }
  template <typename T> const T *data() const {
    return static_cast<const T *>(data());
  }

  /// "f32[2x3]" for messages.
  std::string describe() const;

private:
  struct Free {
    void operator()(void *p) const;
  };
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t> shape;
  std::unique_ptr<void, Free> buffer;
};

/// Tensors by name, in file / signature order.
using NamedTensors = std::vector<std::pair<std::string, HostTensor>>;

/// Returns the tensor called `name`, or null.
HostTensor *lookup(NamedTensors &tensors, llvm::StringRef name);

} // namespace mlir::zo::rt

#endif // ZO_RUNTIME_HOSTTENSOR_H
