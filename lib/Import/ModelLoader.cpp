//===- ModelLoader.cpp - read .onnx / .onnxtext into a ModelProto ---------===//
//
// Binary models are parsed with protobuf from a mapped file; text models with
// libonnx's OnnxParser. Both end in an OnnxModel whose initializers can be
// decoded by name. libonnx may throw: every call into it is guarded here.
//
//===----------------------------------------------------------------------===//

#include "ImportInternal.h"

#include "onnx/defs/parser.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <exception>

using namespace mlir;
using namespace mlir::zo;
using namespace mlir::zo::import;

struct OnnxModel::Storage {
  explicit Storage(std::string baseDir) : decoder(std::move(baseDir)) {}
  TensorDecoder decoder;
  llvm::StringMap<const onnx::TensorProto *> initializers;
};

namespace mlir::zo {
/// Gives the importer the model's decoder so Constant nodes and initializers
/// share one cache of external files.
struct OnnxModelAccess {
  static TensorDecoder &getDecoder(OnnxModel &m) { return m.storage->decoder; }
};
} // namespace mlir::zo

namespace mlir::zo::import {
TensorDecoder &getModelDecoder(OnnxModel &m) {
  return OnnxModelAccess::getDecoder(m);
}
} // namespace mlir::zo::import

OnnxModel::OnnxModel() : proto(std::make_unique<onnx::ModelProto>()) {}
OnnxModel::~OnnxModel() = default;

/// Messages must fit on one line.
static std::string oneLine(StringRef text) {
  std::string out;
  for (char c : text.trim())
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

static llvm::Error finishLoad(OnnxModel &model, StringRef path,
                              std::unique_ptr<OnnxModel::Storage> &storage,
                              const onnx::ModelProto &proto) {
  if (!proto.has_graph())
    return makeError(path + ": error: not an ONNX model (no graph)");
  SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  storage = std::make_unique<OnnxModel::Storage>(std::string(dir));
  for (const onnx::TensorProto &t : proto.graph().initializer())
    storage->initializers[t.name()] = &t;
  (void)model;
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<OnnxModel>> OnnxModel::load(StringRef path) {
  if (path.ends_with(".onnxtext")) {
    auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!buf)
      return makeError(path + ": error: cannot open file: " +
                       buf.getError().message());
    return parseText((*buf)->getBuffer(), path);
  }
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    return makeError(path + ": error: cannot open file: " +
                     buf.getError().message());
  StringRef bytes = (*buf)->getBuffer();
  if (bytes.size() > (size_t)std::numeric_limits<int>::max())
    return makeError(path + ": error: model file is larger than 2 GiB; "
                     "store the weights as external data");
  std::unique_ptr<OnnxModel> model(new OnnxModel());
  model->path = path.str();
  bool ok = false;
  try {
    ok = model->proto->ParseFromArray(bytes.data(), (int)bytes.size());
  } catch (const std::exception &e) {
    return makeError(path + ": error: cannot parse model: " +
                     oneLine(e.what()));
  }
  if (!ok)
    return makeError(path + ": error: cannot parse the file as an ONNX model "
                     "(truncated or corrupt protobuf)");
  if (llvm::Error err =
          finishLoad(*model, path, model->storage, *model->proto))
    return std::move(err);
  return model;
}

llvm::Expected<std::unique_ptr<OnnxModel>>
OnnxModel::parseText(StringRef text, StringRef bufferName) {
  std::unique_ptr<OnnxModel> model(new OnnxModel());
  model->path = bufferName.str();
  std::string copy = text.str();
  try {
    onnx::OnnxParser parser(copy.c_str());
    onnx::Status status = parser.Parse(*model->proto);
    if (!status.IsOK())
      return makeError(bufferName + ": error: cannot parse ONNX text: " +
                       oneLine(status.ErrorMessage()));
  } catch (const std::exception &e) {
    return makeError(bufferName + ": error: cannot parse ONNX text: " +
                     oneLine(e.what()));
  }
  if (llvm::Error err =
          finishLoad(*model, bufferName, model->storage, *model->proto))
    return std::move(err);
  return model;
}

int64_t OnnxModel::getOpset(StringRef domain) const {
  for (const onnx::OperatorSetIdProto &o : proto->opset_import()) {
    StringRef d = o.domain();
    if (d == domain || (domain.empty() && d == "ai.onnx") ||
        (domain == "ai.onnx" && d.empty()))
      return o.version();
  }
  return -1;
}

int64_t OnnxModel::getDefaultOpset() const {
  return std::max<int64_t>(0, getOpset(""));
}

std::vector<std::string> OnnxModel::getInitializerNames() const {
  std::vector<std::string> names;
  for (const onnx::TensorProto &t : proto->graph().initializer())
    names.push_back(t.name());
  return names;
}

llvm::Expected<InitializerData> OnnxModel::getInitializer(StringRef name) {
  auto it = storage->initializers.find(name);
  if (it == storage->initializers.end())
    return makeError(path + ": error: no initializer named '" + name + "'");
  auto data = storage->decoder.decode(*it->second);
  if (!data)
    return makeError(path + ": error: " + llvm::toString(data.takeError()));
  return data;
}
