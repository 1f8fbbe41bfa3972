//===- TensorDecoding.cpp - ONNX TensorProto -> bytes and attributes ------===//
//
// ONNX stores tensor data in one of three places (raw_data, a typed repeated
// field, or an external file); everything downstream sees packed bytes.
//
//===----------------------------------------------------------------------===//

#include "ImportInternal.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/BuiltinDialect.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;

llvm::Error mlir::zo::import::makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 message.str());
}

StringRef mlir::zo::getOnnxDTypeName(int32_t dtype) {
  if (!onnx::TensorProto_DataType_IsValid(dtype))
    return "unknown";
  static const char *names[] = {"undefined", "float",     "uint8",   "int8",
                                "uint16",    "int16",     "int32",   "int64",
                                "string",    "bool",      "float16", "double",
                                "uint32",    "uint64",    "complex64",
                                "complex128", "bfloat16", "float8e4m3fn",
                                "float8e4m3fnuz", "float8e5m2",
                                "float8e5m2fnuz", "uint4", "int4"};
  if (dtype >= 0 && dtype < (int32_t)std::size(names))
    return names[dtype];
  return "unknown";
}

int64_t mlir::zo::getOnnxDTypeSize(int32_t dtype) {
  switch ((OnnxDType)dtype) {
  case OnnxDType::Float:
  case OnnxDType::Int32:
    return 4;
  case OnnxDType::Int64:
  case OnnxDType::Double:
    return 8;
  case OnnxDType::Bool:
    return 1;
  case OnnxDType::Float16:
  case OnnxDType::BFloat16:
    return 2;
  }
  return 0;
}

bool mlir::zo::isOnnxFloatDType(int32_t dtype) {
  switch ((OnnxDType)dtype) {
  case OnnxDType::Float:
  case OnnxDType::Float16:
  case OnnxDType::BFloat16:
  case OnnxDType::Double:
    return true;
  default:
    return false;
  }
}

int64_t InitializerData::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

Type mlir::zo::import::getElementType(MLIRContext *ctx, int32_t dtype) {
  Builder b(ctx);
  switch ((OnnxDType)dtype) {
  case OnnxDType::Float:
    return b.getF32Type();
  case OnnxDType::Float16:
    return b.getF16Type();
  case OnnxDType::BFloat16:
    return b.getBF16Type();
  case OnnxDType::Double:
    return b.getF64Type();
  case OnnxDType::Int64:
    return b.getI64Type();
  case OnnxDType::Int32:
    return b.getI32Type();
  case OnnxDType::Bool:
    return b.getI1Type();
  }
  return Type();
}

llvm::Expected<ArrayRef<char>>
TensorDecoder::readExternal(const onnx::TensorProto &t, int64_t expected) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &e : t.external_data()) {
    if (e.key() == "location")
      location = e.value();
    else if (e.key() == "offset" || e.key() == "length") {
      int64_t v;
      if (StringRef(e.value()).getAsInteger(10, v) || v < 0)
        return makeError("tensor '" + t.name() + "': bad external-data " +
                         e.key() + " '" + e.value() + "'");
      (e.key() == "offset" ? offset : length) = v;
    }
  }
  if (location.empty())
    return makeError("tensor '" + t.name() +
                     "': external data without a location");
  SmallString<256> file(baseDir);
  llvm::sys::path::append(file, location);
  auto it = files.find(file);
  if (it == files.end()) {
    auto buf = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!buf)
      return makeError("tensor '" + t.name() + "': cannot open external data "
                       "file '" + file + "': " + buf.getError().message());
    it = files.try_emplace(file, std::move(*buf)).first;
  }
  StringRef data = it->second->getBuffer();
  if (length < 0)
    length = (int64_t)data.size() - offset;
  if (length != expected)
    return makeError("tensor '" + t.name() + "': external data holds " +
                     Twine(length) + " bytes, its shape needs " +
                     Twine(expected));
  if (offset + length > (int64_t)data.size())
    return makeError("tensor '" + t.name() + "': external data [" +
                     Twine(offset) + ", " + Twine(offset + length) +
                     ") reaches past the end of '" + file + "' (" +
                     Twine(data.size()) + " bytes)");
  return ArrayRef<char>(data.data() + offset, length);
}

llvm::Expected<InitializerData>
TensorDecoder::decode(const onnx::TensorProto &t) {
  InitializerData out;
  out.name = t.name();
  int32_t dtype = t.data_type();
  int64_t eltSize = getOnnxDTypeSize(dtype);
  if (eltSize == 0)
    return makeError("tensor '" + t.name() + "' has unsupported element "
                     "type '" + getOnnxDTypeName(dtype) + "'");
  out.dtype = (OnnxDType)dtype;
  int64_t n = 1;
  for (int64_t d : t.dims()) {
    if (d < 0)
      return makeError("tensor '" + t.name() + "' has a negative dimension");
    out.dims.push_back(d);
    n *= d;
  }
  if (t.has_segment())
    return makeError("tensor '" + t.name() + "' is segmented (unsupported)");
  int64_t bytes = n * eltSize;

  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    auto data = readExternal(t, bytes);
    if (!data)
      return data.takeError();
    out.bytes = *data;
    return out;
  }
  if (t.has_raw_data()) {
    if ((int64_t)t.raw_data().size() != bytes)
      return makeError("tensor '" + t.name() + "' holds " +
                       Twine(t.raw_data().size()) +
                       " bytes of raw data, its shape needs " + Twine(bytes));
    out.bytes = ArrayRef<char>(t.raw_data().data(), bytes);
    return out;
  }

  // Typed fields: copy into owned storage in the packed layout.
  std::vector<char> &buf = owned.emplace_back(bytes);
  auto mismatch = [&](int64_t have) {
    return makeError("tensor '" + t.name() + "' holds " + Twine(have) +
                     " values, its shape needs " + Twine(n));
  };
  switch (out.dtype) {
  case OnnxDType::Float:
    if (t.float_data_size() != n)
      return mismatch(t.float_data_size());
    std::memcpy(buf.data(), t.float_data().data(), bytes);
    break;
  case OnnxDType::Double:
    if (t.double_data_size() != n)
      return mismatch(t.double_data_size());
    std::memcpy(buf.data(), t.double_data().data(), bytes);
    break;
  case OnnxDType::Int64:
    if (t.int64_data_size() != n)
      return mismatch(t.int64_data_size());
    std::memcpy(buf.data(), t.int64_data().data(), bytes);
    break;
  case OnnxDType::Int32:
    if (t.int32_data_size() != n)
      return mismatch(t.int32_data_size());
    std::memcpy(buf.data(), t.int32_data().data(), bytes);
    break;
  case OnnxDType::Bool:
    if (t.int32_data_size() != n)
      return mismatch(t.int32_data_size());
    for (int64_t i = 0; i < n; ++i)
      buf[i] = t.int32_data(i) != 0;
    break;
  case OnnxDType::Float16:
  case OnnxDType::BFloat16:
    // 16-bit floats keep their bit pattern in the low half of int32_data.
    if (t.int32_data_size() != n)
      return mismatch(t.int32_data_size());
    for (int64_t i = 0; i < n; ++i) {
      uint16_t bits = (uint16_t)t.int32_data(i);
      std::memcpy(buf.data() + 2 * i, &bits, 2);
    }
    break;
  }
  out.bytes = ArrayRef<char>(buf.data(), buf.size());
  return out;
}

ElementsAttr mlir::zo::import::makeConstantAttr(const InitializerData &data,
                                                RankedTensorType type,
                                                bool preferDense,
                                                StringRef blobName) {
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> values;
    for (char c : data.bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, ArrayRef<bool>(values));
  }
  if (preferDense) {
    bool detectedSplat = false;
    if (DenseElementsAttr::isValidRawBuffer(type, data.bytes, detectedSplat))
      return DenseElementsAttr::getFromRawBuffer(type, data.bytes);
  }
  size_t align = std::max<size_t>(
      8, (type.getElementTypeBitWidth() + 7) / 8);
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocateAndCopyWithAlign(data.bytes, align);
  return DenseResourceElementsAttr::get(type, blobName, std::move(blob));
}
