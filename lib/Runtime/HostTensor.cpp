//===- HostTensor.cpp - a dense array in host memory ----------------------===//

#include "zo/Runtime/HostTensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;

size_t rt::getByteWidth(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::I1:
    return 1;
  case DType::BF16:
    return 2;
  }
  llvm_unreachable("unknown dtype");
}

StringRef rt::getDTypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I64:
    return "i64";
  case DType::I32:
    return "i32";
  case DType::I1:
    return "i1";
  case DType::BF16:
    return "bf16";
  }
  llvm_unreachable("unknown dtype");
}

std::optional<DType> rt::parseDTypeName(StringRef name) {
  for (DType d : {DType::F32, DType::F64, DType::I64, DType::I32, DType::I1,
                  DType::BF16})
    if (getDTypeName(d) == name)
      return d;
  return std::nullopt;
}

std::optional<DType> rt::getDTypeOf(Type t) {
  if (t.isF32())
    return DType::F32;
  if (t.isF64())
    return DType::F64;
  if (t.isInteger(64))
    return DType::I64;
  if (t.isInteger(32))
    return DType::I32;
  if (t.isInteger(1))
    return DType::I1;
  if (t.isBF16())
    return DType::BF16;
  return std::nullopt;
}

void HostTensor::Free::operator()(void *p) const { std::free(p); }

HostTensor::HostTensor(DType dtype, ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape.begin(), shape.end()) {
  // Round up: aligned_alloc wants a multiple of the alignment, and a
  // zero-sized tensor still gets a valid, distinct pointer.
  size_t bytes = getNumBytes();
  size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded == 0)
    rounded = 64;
  void *p = std::aligned_alloc(64, rounded);
  if (!p)
    llvm::report_bad_alloc_error("HostTensor allocation failed");
  std::memset(p, 0, rounded);
  buffer.reset(p);
}

HostTensor HostTensor::clone() const {
  HostTensor copy(dtype, shape);
  if (getNumBytes())
    std::memcpy(copy.data(), data(), getNumBytes());
  return copy;
}

int64_t HostTensor::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

SmallVector<int64_t> HostTensor::getStrides() const {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

std::string HostTensor::describe() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << getDTypeName(dtype) << "[";
  llvm::interleave(shape, os, "x");
  os << "]";
  return s;
}

HostTensor *rt::lookup(NamedTensors &tensors, StringRef name) {
  for (auto &[n, t] : tensors)
    if (n == name)
      return &t;
  return nullptr;
}
