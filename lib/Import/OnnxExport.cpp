//===- OnnxExport.cpp - write tuned weights back into an ONNX model -------===//

#include "zo/Import/OnnxExport.h"

#include "zo/Import/OnnxModel.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fstream>

using namespace mlir;
using namespace mlir::zo;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error mlir::zo::writeOnnxWithInitializers(const OnnxModel &model,
                                                StringRef outPath,
                                                InitializerUpdate update) {
  if (llvm::sys::fs::equivalent(model.getPath(), outPath))
    return makeError(outPath + ": error: refusing to overwrite the input model");
  try {
    onnx::ModelProto proto = model.getProto();
    for (onnx::TensorProto &t : *proto.mutable_graph()->mutable_initializer()) {
      std::optional<ArrayRef<char>> bytes = update(t.name());
      if (!bytes)
        continue;
      int64_t count = 1;
      for (int64_t d : t.dims())
        count *= d;
      int64_t width = getOnnxDTypeSize(t.data_type());
      if (width <= 0 || count * width != (int64_t)bytes->size())
        return makeError(outPath + ": error: new value of initializer '" +
                         t.name() + "' has " + Twine(bytes->size()) +
                         " bytes, expected " + Twine(count * width));
      // Inline raw data replaces whatever storage the tensor had.
      t.clear_float_data();
      t.clear_double_data();
      t.clear_int32_data();
      t.clear_int64_data();
      t.clear_external_data();
      t.set_data_location(onnx::TensorProto::DEFAULT);
      t.set_raw_data(bytes->data(), bytes->size());
    }
    if (proto.ByteSizeLong() > (size_t(1) << 31) - 1)
      return makeError(outPath + ": error: the tuned model exceeds protobuf's "
                                 "2 GiB limit");
    SmallString<256> tmp(outPath);
    tmp += ".tmp";
    {
      std::ofstream out(std::string(tmp), std::ios::binary | std::ios::trunc);
      if (!out || !proto.SerializeToOstream(&out))
        return makeError(outPath + ": error: cannot write " + tmp);
    }
    if (std::error_code ec = llvm::sys::fs::rename(tmp, outPath)) {
      llvm::sys::fs::remove(tmp);
      return makeError(outPath + ": error: " + ec.message());
    }
  } catch (const std::exception &e) {
    return makeError(outPath + ": error: " + e.what());
  }
  return llvm::Error::success();
}
