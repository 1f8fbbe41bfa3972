//===- Signature.cpp - named arguments and results of an entry point ------===//

#include "zo/Runtime/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

std::string TensorSpec::describe() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << getDTypeName(dtype);
  if (!isScalar) {
    os << "[";
    llvm::interleave(shape, os, "x");
    os << "]";
  }
  return s;
}

static Expected<TensorSpec> specOf(func::FuncOp fn, Type type,
                                   DictionaryAttr attrs,
                                   const llvm::Twine &what,
                                   const llvm::Twine &defaultName) {
  TensorSpec spec;
  spec.name = defaultName.str();
  if (attrs) {
    if (auto name = attrs.getAs<StringAttr>("zo.name"))
      spec.name = name.str();
    if (auto role = attrs.getAs<StringAttr>("zo.role"))
      spec.role = role.str();
  }
  Type elt = type;
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    if (!tensor.hasStaticShape())
      return fail("@" + fn.getName() + ": " + what + " '" + spec.name +
                  "' has a dynamic shape; the CPU runtime needs static shapes");
    spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    elt = tensor.getElementType();
  } else if (type.isIntOrFloat()) {
    spec.isScalar = true;
  } else {
    std::string t;
    llvm::raw_string_ostream(t) << type;
    return fail("@" + fn.getName() + ": " + what + " '" + spec.name +
                "' has unsupported type " + t);
  }
  std::optional<DType> dtype = getDTypeOf(elt);
  if (!dtype) {
    std::string t;
    llvm::raw_string_ostream(t) << elt;
    return fail("@" + fn.getName() + ": " + what + " '" + spec.name +
                "' has unsupported element type " + t);
  }
  spec.dtype = *dtype;
  return spec;
}

Expected<FunctionSignature> rt::getSignature(func::FuncOp fn) {
  FunctionSignature sig;
  sig.name = fn.getName().str();
  for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes())) {
    Expected<TensorSpec> spec = specOf(fn, type, fn.getArgAttrDict(i),
                                       "argument", "arg" + llvm::Twine(i));
    if (!spec)
      return spec.takeError();
    sig.args.push_back(std::move(*spec));
  }
  for (auto [i, type] : llvm::enumerate(fn.getResultTypes())) {
    Expected<TensorSpec> spec = specOf(fn, type, fn.getResultAttrDict(i),
                                       "result", "result" + llvm::Twine(i));
    if (!spec)
      return spec.takeError();
    if (spec->isScalar)
      return fail("@" + fn.getName() + ": result '" + spec->name +
                  "' is a scalar; return a 0-d tensor instead");
    sig.results.push_back(std::move(*spec));
  }
  return sig;
}

Expected<std::vector<FunctionSignature>> rt::getSignatures(ModuleOp module) {
  std::vector<FunctionSignature> sigs;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isDeclaration() || !fn.isPublic())
      continue;
    Expected<FunctionSignature> sig = getSignature(fn);
    if (!sig)
      return sig.takeError();
    sigs.push_back(std::move(*sig));
  }
  return sigs;
}

static llvm::json::Value toJSON(const TensorSpec &spec) {
  llvm::json::Object o{{"name", spec.name},
                       {"dtype", getDTypeName(spec.dtype)},
                       {"shape", llvm::json::Array(spec.shape)}};
  if (!spec.role.empty())
    o["role"] = spec.role;
  if (spec.isScalar)
    o["scalar"] = true;
  return o;
}

llvm::json::Value rt::toJSON(ArrayRef<FunctionSignature> signatures) {
  llvm::json::Array functions;
  for (const FunctionSignature &sig : signatures) {
    llvm::json::Array args, results;
    for (const TensorSpec &a : sig.args)
      args.push_back(::toJSON(a));
    for (const TensorSpec &r : sig.results)
      results.push_back(::toJSON(r));
    functions.push_back(llvm::json::Object{{"name", sig.name},
                                           {"args", std::move(args)},
                                           {"results", std::move(results)}});
  }
  return llvm::json::Object{{"version", 1},
                            {"functions", std::move(functions)}};
}

static Expected<TensorSpec> parseSpec(const llvm::json::Value &v) {
  const llvm::json::Object *o = v.getAsObject();
  if (!o)
    return fail("manifest: tensor entry is not an object");
  TensorSpec spec;
  std::optional<StringRef> name = o->getString("name");
  std::optional<StringRef> dtype = o->getString("dtype");
  const llvm::json::Array *shape = o->getArray("shape");
  if (!name || !dtype || !shape)
    return fail("manifest: tensor entry needs name, dtype and shape");
  spec.name = name->str();
  if (std::optional<StringRef> role = o->getString("role"))
    spec.role = role->str();
  std::optional<DType> d = parseDTypeName(*dtype);
  if (!d)
    return fail("manifest: unknown dtype '" + *dtype + "'");
  spec.dtype = *d;
  for (const llvm::json::Value &dim : *shape) {
    std::optional<int64_t> n = dim.getAsInteger();
    if (!n)
      return fail("manifest: shape of '" + *name + "' is not integers");
    spec.shape.push_back(*n);
  }
  spec.isScalar = o->getBoolean("scalar").value_or(false);
  return spec;
}

Expected<std::vector<FunctionSignature>>
rt::parseManifest(const llvm::json::Value &manifest) {
  const llvm::json::Object *root = manifest.getAsObject();
  const llvm::json::Array *functions =
      root ? root->getArray("functions") : nullptr;
  if (!functions)
    return fail("manifest: missing \"functions\" array");
  std::vector<FunctionSignature> sigs;
  for (const llvm::json::Value &f : *functions) {
    const llvm::json::Object *o = f.getAsObject();
    std::optional<StringRef> name = o ? o->getString("name") : std::nullopt;
    if (!name)
      return fail("manifest: function entry without a name");
    FunctionSignature sig;
    sig.name = name->str();
    for (auto [key, list] :
         {std::pair{"args", &sig.args}, std::pair{"results", &sig.results}}) {
      if (const llvm::json::Array *specs = o->getArray(key))
        for (const llvm::json::Value &v : *specs) {
          Expected<TensorSpec> spec = parseSpec(v);
          if (!spec)
            return spec.takeError();
          list->push_back(std::move(*spec));
        }
    }
    sigs.push_back(std::move(sig));
  }
  return sigs;
}
