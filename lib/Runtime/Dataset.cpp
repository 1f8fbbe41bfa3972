//===- Dataset.cpp - training and evaluation examples for a model ---------===//
//
// .npz arrays are taken as they are (they must match the model's inputs);
// .jsonl examples are checked one by one against the model's per-example
// shapes, padded or truncated to them and converted to the input's dtype,
// so that every mistake is reported at its line and key.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/Dataset.h"
#include "zo/Runtime/Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;
namespace json = llvm::json;
using llvm::ArrayRef;
using llvm::Error;
using llvm::Expected;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

static Error fail(const Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

NamedTensors Dataset::makeBatch(ArrayRef<int64_t> rows) const {
  NamedTensors batch;
  for (const auto &[name, array] : arrays) {
    SmallVector<int64_t> shape(array.getShape());
    shape[0] = rows.size();
    HostTensor t(array.getDType(), shape);
    size_t rowBytes = array.getNumBytes() / array.getShape()[0];
    for (auto [i, row] : llvm::enumerate(rows))
      std::memcpy(static_cast<char *>(t.data()) + i * rowBytes,
                  static_cast<const char *>(array.data()) + row * rowBytes,
                  rowBytes);
    batch.emplace_back(name, std::move(t));
  }
  return batch;
}

//===----------------------------------------------------------------------===//
// .npz
//===----------------------------------------------------------------------===//

static Expected<Dataset> readNpzDataset(StringRef path,
                                        ArrayRef<TensorSpec> inputs) {
  auto arrays = readNpz(path);
  if (!arrays)
    return arrays.takeError();
  Dataset data;
  for (const TensorSpec &arg : inputs) {
    HostTensor *t = lookup(*arrays, arg.name);
    if (!t)
      return fail(path + ": no array '" + arg.name +
                  "' for the model input of that name");
    if (t->getDType() != arg.dtype ||
        t->getRank() != (int64_t)arg.shape.size() ||
        !std::equal(arg.shape.begin() + 1, arg.shape.end(),
                    t->getShape().begin() + 1))
      return fail(path + ": array '" + arg.name + "' is " + t->describe() +
                  "; the model takes batches of " + arg.describe());
    if (!data.arrays.empty() && t->getShape()[0] != data.size)
      return fail(path + ": arrays differ in length");
    data.size = t->getShape()[0];
    data.arrays.emplace_back(arg.name, std::move(*t));
  }
  return data;
}

//===----------------------------------------------------------------------===//
// .jsonl
//===----------------------------------------------------------------------===//

static StringRef kindName(const json::Value &v) {
  switch (v.kind()) {
  case json::Value::Null:
    return "null";
  case json::Value::Boolean:
    return "a boolean";
  case json::Value::Number:
    return "a number";
  case json::Value::String:
    return "a string";
  case json::Value::Array:
    return "a list";
  case json::Value::Object:
    return "an object";
  }
  return "a value";
}

/// "[64]", "[4x8]" or "a scalar": the shape of one example of `spec`.
static std::string exampleShape(const TensorSpec &spec) {
  if (spec.shape.size() <= 1)
    return (Twine("a scalar of ") + getDTypeName(spec.dtype)).str();
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(ArrayRef(spec.shape).drop_front()))
    s += (i ? "x" : "") + std::to_string(d);
  return s + "] of " + getDTypeName(spec.dtype).str();
}

/// Stores `value` (converted to `dtype`) at element `index` of `base`.
static void store(DType dtype, void *base, int64_t index, double f,
                  int64_t i) {
  switch (dtype) {
  case DType::F32:
    static_cast<float *>(base)[index] = static_cast<float>(f);
    return;
  case DType::F64:
    static_cast<double *>(base)[index] = f;
    return;
  case DType::I64:
    static_cast<int64_t *>(base)[index] = i;
    return;
  case DType::I32:
    static_cast<int32_t *>(base)[index] = static_cast<int32_t>(i);
    return;
  case DType::I1:
    static_cast<uint8_t *>(base)[index] = i != 0;
    return;
  case DType::BF16: {
    // Round to nearest even, as arith.truncf (NaN stays a quiet NaN).
    float x = static_cast<float>(f);
    uint32_t u;
    std::memcpy(&u, &x, sizeof u);
    static_cast<uint16_t *>(base)[index] =
        (u & 0x7fffffffu) > 0x7f800000u
            ? static_cast<uint16_t>((u >> 16) | 0x40)
            : static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    return;
  }
  }
}

static bool isInteger(DType dtype) {
  return dtype == DType::I64 || dtype == DType::I32 || dtype == DType::I1;
}

/// Integer range of an integer dtype.
static std::pair<int64_t, int64_t> integerRange(DType dtype) {
  switch (dtype) {
  case DType::I32:
    return {std::numeric_limits<int32_t>::min(),
            std::numeric_limits<int32_t>::max()};
  case DType::I1:
    return {0, 1};
  default:
    return {std::numeric_limits<int64_t>::min(),
            std::numeric_limits<int64_t>::max()};
  }
}

namespace {
/// Writes one example of one input: walks the (nested) JSON list, checks it
/// is rectangular, of the right depth and no larger than the model's shape
/// (unless truncating), and stores its numbers; what it does not cover keeps
/// the pad value.
class ExampleWriter {
public:
  ExampleWriter(const TensorSpec &spec, void *base, bool truncate)
      : spec(spec), dims(ArrayRef(spec.shape).drop_front()), base(base),
        truncate(truncate), lengths(dims.size(), -1),
        strides(dims.size(), 1) {
    for (int64_t d = (int64_t)dims.size() - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * dims[d + 1];
  }

  /// Returns an error message (without file, line and key) or "".
  std::string write(const json::Value &v) { return walk(v, 0, 0, true); }

private:
  std::string at() const {
    std::string s;
    for (int64_t i : position)
      s += "[" + std::to_string(i) + "]";
    return s;
  }

  std::string walk(const json::Value &v, size_t depth, int64_t offset,
                   bool inside) {
    if (depth == dims.size())
      return scalar(v, offset, inside);
    const json::Array *list = v.getAsArray();
    if (!list)
      return (Twine(at()) + ": expected a list (one example is " +
              exampleShape(spec) + "), got " + kindName(v))
          .str();
    int64_t n = list->size();
    if (lengths[depth] < 0) {
      lengths[depth] = n;
      if (n > dims[depth] && !truncate)
        return llvm::formatv("{0}: {1} elements, more than the model's {2} "
                             "(one example is {3}; truncation is off)",
                             at(), n, dims[depth], exampleShape(spec))
            .str();
    } else if (n != lengths[depth]) {
      return llvm::formatv("{0}: ragged list: {1} elements where an earlier "
                           "list at the same depth has {2}",
                           at(), n, lengths[depth])
          .str();
    }
    for (int64_t i = 0; i < n; ++i) {
      position.push_back(i);
      std::string err = walk((*list)[i], depth + 1, offset + i * strides[depth],
                             inside && i < dims[depth]);
      position.pop_back();
      if (!err.empty())
        return err;
    }
    return "";
  }

  std::string scalar(const json::Value &v, int64_t offset, bool inside) {
    DType dtype = spec.dtype;
    if (v.getAsArray())
      return at() + ": expected a number (one example is " +
             exampleShape(spec) + "), got a list nested too deep";
    double f = 0;
    int64_t i = 0;
    if (std::optional<bool> b = v.getAsBoolean();
        b && (dtype == DType::I1)) {
      i = *b;
    } else if (!v.getAsNumber()) {
      return (Twine(at()) + ": expected a number, got " + kindName(v)).str();
    } else if (isInteger(dtype)) {
      std::optional<int64_t> n = v.getAsInteger();
      auto [lo, hi] = integerRange(dtype);
      std::string text;
      llvm::raw_string_ostream os(text);
      os << v;
      if (!n)
        return (Twine(at()) + ": expected an integer (the input is " +
                getDTypeName(dtype) + "), got " + text)
            .str();
      if (*n < lo || *n > hi)
        return (Twine(at()) + ": " + text + " does not fit in " +
                getDTypeName(dtype))
            .str();
      i = *n;
    } else {
      f = *v.getAsNumber();
    }
    if (inside)
      store(dtype, base, offset, f, i);
    return "";
  }

  const TensorSpec &spec;
  ArrayRef<int64_t> dims;
  void *base;
  bool truncate;
  /// Length of the first list seen at each depth (-1: none yet).
  SmallVector<int64_t> lengths;
  SmallVector<int64_t> strides;
  SmallVector<int64_t> position;
};
} // namespace

/// "path:line:col: not valid JSON: msg" from json::parse's
/// "[1:col, byte=n]: msg" (each line is parsed on its own).
static std::string describeParseError(Error err) {
  std::string text = llvm::toString(std::move(err));
  StringRef s(text);
  StringRef column;
  if (s.consume_front("[1:")) {
    column = s.take_until([](char c) { return c == ','; });
    size_t close = s.find("]: ");
    if (close != StringRef::npos)
      s = s.drop_front(close + 3);
  }
  std::string out = column.empty() ? "" : (column + ": ").str();
  return out + "not valid JSON: " + s.str();
}

Expected<Dataset> rt::parseJsonLines(StringRef text, StringRef path,
                                     ArrayRef<TensorSpec> inputs,
                                     const DatasetOptions &options) {
  // Lines that hold an example (blank lines are skipped), 1-based numbers.
  SmallVector<std::pair<unsigned, StringRef>> lines;
  unsigned number = 0;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    text = rest;
    ++number;
    line = line.rtrim("\r");
    if (!line.trim().empty())
      lines.emplace_back(number, line);
  }
  if (lines.empty())
    return fail(path + ": no examples (the file is empty)");

  Dataset data;
  data.size = lines.size();
  for (const TensorSpec &spec : inputs) {
    SmallVector<int64_t> shape(spec.shape);
    shape[0] = data.size;
    HostTensor t(spec.dtype, shape);
    if (double pad = options.padValues.lookup(spec.name); pad != 0)
      for (int64_t i = 0, e = t.getNumElements(); i < e; ++i)
        store(spec.dtype, t.data(), i, pad, static_cast<int64_t>(pad));
    data.arrays.emplace_back(spec.name, std::move(t));
  }

  for (auto [row, entry] : llvm::enumerate(lines)) {
    auto [number, line] = entry;
    std::string where = (path + ":" + Twine(number)).str();
    Expected<json::Value> value = json::parse(line);
    if (!value)
      return fail(where + ":" + describeParseError(value.takeError()));
    const json::Object *object = value->getAsObject();
    if (!object)
      return fail(where + ": expected a JSON object with one key per model "
                          "input, got " +
                  kindName(*value));
    for (auto [spec, array] : llvm::zip_equal(inputs, data.arrays)) {
      const json::Value *field = object->get(spec.name);
      if (!field) {
        std::string names;
        for (const TensorSpec &s : inputs)
          names += (names.empty() ? "" : ", ") + s.name;
        return fail(where + ": no key '" + spec.name +
                    "' (the model's inputs are " + names + ")");
      }
      HostTensor &t = array.second;
      size_t rowBytes = t.getNumBytes() / data.size;
      ExampleWriter writer(spec, static_cast<char *>(t.data()) + row * rowBytes,
                           options.truncate);
      std::string err = writer.write(*field);
      if (!err.empty())
        return fail(where + ": key '" + spec.name + "'" + err);
    }
  }
  return data;
}

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

Expected<Dataset> rt::loadDataset(StringRef path, const FunctionSignature &sig,
                                  const DatasetOptions &options) {
  SmallVector<TensorSpec> inputs;
  for (const TensorSpec &arg : sig.args) {
    if (arg.role != "input")
      continue;
    if (arg.shape.empty() || arg.isScalar)
      return fail("model input '" + arg.name +
                  "' is a scalar: a dataset needs a batch dimension");
    inputs.push_back(arg);
  }
  if (inputs.empty())
    return fail("the model has no inputs to feed a dataset to");
  int64_t batch = inputs.front().shape[0];
  for (const auto &entry : options.padValues) {
    const TensorSpec *spec = llvm::find_if(
        inputs, [&](const TensorSpec &s) { return s.name == entry.getKey(); });
    if (spec == inputs.end())
      return fail("pad value given for '" + entry.getKey() +
                  "', which is not an input of the model");
    double pad = entry.getValue();
    if (isInteger(spec->dtype)) {
      auto [lo, hi] = integerRange(spec->dtype);
      if (pad != std::trunc(pad) || pad < lo || pad > hi) {
        std::string text;
        llvm::raw_string_ostream(text) << llvm::format("%g", pad);
        return fail("pad value " + text + " for '" + spec->name +
                    "' does not fit its type " + getDTypeName(spec->dtype));
      }
    }
  }

  Expected<Dataset> data = [&]() -> Expected<Dataset> {
    if (!path.ends_with(".jsonl"))
      return readNpzDataset(path, inputs);
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!buffer)
      return fail(path + ": " + buffer.getError().message());
    return parseJsonLines((*buffer)->getBuffer(), path, inputs, options);
  }();
  if (!data)
    return data.takeError();
  if (data->size < batch)
    return fail(path + ": " + Twine(data->size) +
                " examples, fewer than one batch of " + Twine(batch));
  return data;
}
