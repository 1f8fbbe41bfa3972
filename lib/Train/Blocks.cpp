//===- Blocks.cpp - parameter blocks of block-wise ZO ---------------------===//
//
// Block-wise ZO perturbs one block of parameters at a time. Blocks come from
// module paths: a parameter's ONNX name when it is one ("model.layers.0.
// mlp.up_proj.weight" -> module "model.layers.0.mlp.up_proj"), else the
// scope in the name of the ONNX node that first uses it (torch.onnx names
// transposed weights "onnx::MatMul_443" but their node
// "/model/layers.0/mlp/up_proj/MatMul"). The level cuts the path:
//   layer   up to the first numeric component (a transformer block);
//           parameters outside numbered layers: their parent module
//   module  one component further (attention / MLP / norm of a block)
//   linear  the whole module path (a linear or norm: weight and bias)
//   tensor  every parameter alone
//
//===----------------------------------------------------------------------===//

#include "zo/Train/ZerothOrder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::zo;

std::optional<ZoBlockLevel> mlir::zo::parseZoBlockLevel(StringRef name) {
  return llvm::StringSwitch<std::optional<ZoBlockLevel>>(name)
      .Case("none", ZoBlockLevel::None)
      .Case("layer", ZoBlockLevel::Layer)
      .Case("module", ZoBlockLevel::Module)
      .Case("linear", ZoBlockLevel::Linear)
      .Case("tensor", ZoBlockLevel::Tensor)
      .Default(std::nullopt);
}

/// The scope of an ONNX node name "/a/b.0/c/MatMul" as "a.b.0.c".
static std::string scopeOfNode(Location loc) {
  std::string scope;
  loc->walk([&](Location l) {
    if (auto named = dyn_cast<NameLoc>(l)) {
      StringRef n = named.getName().getValue();
      if (n.starts_with("/") && n.count('/') >= 2) {
        n = n.drop_front().rsplit('/').first;
        scope = n.str();
        llvm::replace(scope, '/', '.');
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return scope;
}

/// The module path of parameter argument `arg` (named `name`).
static std::string modulePath(BlockArgument arg, StringRef name) {
  if (!name.contains("::") && name.contains('.'))
    return name.rsplit('.').first.str();
  // The first user in program order (use lists are not ordered).
  for (Operation &op : *arg.getOwner()) {
    if (!llvm::is_contained(op.getOperands(), arg))
      continue;
    std::string scope = scopeOfNode(op.getLoc());
    if (!scope.empty())
      return scope;
  }
  return name.str();
}

static std::string blockKey(StringRef path, StringRef name,
                            ZoBlockLevel level) {
  if (level == ZoBlockLevel::Tensor)
    return name.str();
  if (level == ZoBlockLevel::Linear)
    return path.str();
  SmallVector<StringRef> parts;
  path.split(parts, '.');
  auto numeric = llvm::find_if(parts, [](StringRef p) {
    return !p.empty() && llvm::all_of(p, llvm::isDigit);
  });
  size_t keep;
  if (numeric == parts.end())
    keep = level == ZoBlockLevel::Layer ? parts.size() - 1 : parts.size();
  else
    keep = (numeric - parts.begin()) + (level == ZoBlockLevel::Layer ? 1 : 2);
  keep = std::max<size_t>(1, std::min(keep, parts.size()));
  return llvm::join(ArrayRef(parts).take_front(keep), ".");
}

int64_t mlir::zo::assignZoBlocks(func::FuncOp forward,
                                 ArrayRef<int64_t> trainedId,
                                 ZoBlockLevel level,
                                 SmallVectorImpl<int64_t> &blockOf) {
  blockOf.assign(forward.getNumArguments(), -1);
  llvm::StringMap<int64_t> ids;
  for (unsigned i = 0, e = forward.getNumArguments(); i < e; ++i) {
    if (trainedId[i] < 0)
      continue;
    if (level == ZoBlockLevel::None) {
      blockOf[i] = 0;
      ids.try_emplace("", 0);
      continue;
    }
    auto attr = forward.getArgAttrOfType<StringAttr>(i, "zo.name");
    std::string name =
        attr ? attr.getValue().str() : ("arg" + Twine(i)).str();
    std::string key =
        blockKey(modulePath(forward.getArgument(i), name), name, level);
    blockOf[i] = ids.try_emplace(key, ids.size()).first->second;
  }
  return ids.size();
}
