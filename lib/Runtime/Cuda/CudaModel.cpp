//===- CudaModel.cpp - load a step library and call it on device buffers --===//
//
// The call ABI is the CPU JIT's (docs/runtime.md): memref descriptors by
// pointer, scalars by value, one out-param per result; only the aligned
// pointers are device pointers.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/CudaModel.h"

#include "zo/Runtime/CudaRuntime.h"
#include "zo/Runtime/CudaStepLibrary.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"

#include <dlfcn.h>

using namespace mlir::zo;
using namespace mlir::zo::cuda;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

//===----------------------------------------------------------------------===//
// DeviceTensor
//===----------------------------------------------------------------------===//

DeviceTensor::DeviceTensor(rt::DType dtype, llvm::ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape) {
  ptr = cuda::allocate(getNumBytes());
}

DeviceTensor::DeviceTensor(DeviceTensor &&other) noexcept
    : dtype(other.dtype), shape(std::move(other.shape)), ptr(other.ptr) {
  other.ptr = nullptr;
}

DeviceTensor &DeviceTensor::operator=(DeviceTensor &&other) noexcept {
  if (this != &other) {
    cuda::release(ptr);
    dtype = other.dtype;
    shape = std::move(other.shape);
    ptr = other.ptr;
    other.ptr = nullptr;
  }
  return *this;
}

DeviceTensor::~DeviceTensor() { cuda::release(ptr); }

int64_t DeviceTensor::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t DeviceTensor::getNumBytes() const {
  return getNumElements() * rt::getByteWidth(dtype);
}

std::string DeviceTensor::describe() const {
  std::string s = rt::getDTypeName(dtype).str() + "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s + "]";
}

DeviceTensor DeviceTensor::upload(const rt::HostTensor &host) {
  DeviceTensor t(host.getDType(), host.getShape());
  cuda::copyToDevice(t.ptr, host.data(), host.getNumBytes());
  return t;
}

void DeviceTensor::assign(const rt::HostTensor &host) {
  cuda::copyToDevice(ptr, host.data(), getNumBytes());
}

rt::HostTensor DeviceTensor::download() const {
  rt::HostTensor host(dtype, shape);
  cuda::copyToHost(host.data(), ptr, getNumBytes());
  return host;
}

NamedDeviceTensors cuda::uploadAll(const rt::NamedTensors &host) {
  NamedDeviceTensors out;
  for (const auto &[name, t] : host)
    out.emplace_back(name, DeviceTensor::upload(t));
  return out;
}

rt::NamedTensors cuda::downloadAll(const NamedDeviceTensors &device) {
  rt::NamedTensors out;
  for (const auto &[name, t] : device)
    out.emplace_back(name, t.download());
  return out;
}

//===----------------------------------------------------------------------===//
// StepLibrary
//===----------------------------------------------------------------------===//

Expected<std::unique_ptr<StepLibrary>> StepLibrary::open(llvm::StringRef path) {
  std::unique_ptr<StepLibrary> lib(new StepLibrary);
  lib->path = path.str();
  // A bare name would make dlopen search the library path, not the directory.
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  // RTLD_LOCAL: two step libraries may define the same function names.
  lib->handle = dlopen(absolute.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib->handle)
    return fail("cannot open step library " + path + ": " + dlerror());
  auto *manifest =
      static_cast<const char *>(dlsym(lib->handle, kManifestSymbol));
  if (!manifest)
    return fail(path + " is not a step library: it has no " + kManifestSymbol +
                " (write it with zo-compile)");
  Expected<llvm::json::Value> json = llvm::json::parse(manifest);
  if (!json)
    return fail(path +
                ": corrupt manifest: " + llvm::toString(json.takeError()));
  Expected<std::vector<rt::FunctionSignature>> sigs = rt::parseManifest(*json);
  if (!sigs)
    return fail(path + ": " + llvm::toString(sigs.takeError()));
  lib->sigs = std::move(*sigs);
  for (const rt::FunctionSignature &sig : lib->sigs) {
    std::string entry = getPackedEntryName(sig.name);
    void *fn = dlsym(lib->handle, entry.c_str());
    if (!fn)
      return fail(path + " lacks the entry point " + entry + " of @" +
                  sig.name);
    lib->entryPoints.push_back(reinterpret_cast<void (*)(void **)>(fn));
  }
  return std::move(lib);
}

// The handle is not closed: the library's module-unload destructors must
// not run while the process may still launch its kernels (and dlclose at
// exit happens anyway).
StepLibrary::~StepLibrary() = default;

const rt::FunctionSignature *
StepLibrary::getSignature(llvm::StringRef name) const {
  for (const rt::FunctionSignature &sig : sigs)
    if (sig.name == name)
      return &sig;
  return nullptr;
}

namespace {
/// {allocated, aligned, offset, sizes..., strides...} of a row-major buffer.
std::vector<int64_t> makeDescriptor(void *ptr, llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> words;
  auto p = reinterpret_cast<int64_t>(ptr);
  words.push_back(p);
  words.push_back(p);
  words.push_back(0);
  llvm::append_range(words, shape);
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  llvm::append_range(words, strides);
  return words;
}

bool matches(const rt::TensorSpec &spec, rt::DType dtype,
             llvm::ArrayRef<int64_t> shape) {
  if (spec.dtype != dtype)
    return false;
  if (spec.isScalar)
    return shape.empty();
  return llvm::equal(spec.shape, shape);
}

template <typename T>
T *find(std::vector<std::pair<std::string, T>> *store, llvm::StringRef name) {
  if (store)
    for (auto &[n, t] : *store)
      if (n == name)
        return &t;
  return nullptr;
}
} // namespace

Expected<rt::NamedTensors> StepLibrary::call(llvm::StringRef name,
                                             rt::NamedTensors &inputs,
                                             NamedDeviceTensors &params,
                                             NamedDeviceTensors *state) {
  const rt::FunctionSignature *sig = getSignature(name);
  if (!sig)
    return fail(path + " has no function @" + name);
  if (std::string err = cuda::initialize(); !err.empty())
    return fail(err);

  size_t n = sig->args.size() + sig->results.size();
  std::vector<std::vector<int64_t>> descriptors;
  descriptors.reserve(n);
  std::vector<void *> values(n), packed(n);
  std::vector<DeviceTensor> uploaded, results;
  uploaded.reserve(sig->args.size());
  results.reserve(sig->results.size());
  auto pass = [&](size_t i, void *ptr, llvm::ArrayRef<int64_t> shape) {
    descriptors.push_back(makeDescriptor(ptr, shape));
    values[i] = descriptors.back().data();
    packed[i] = &values[i];
  };

  for (auto [i, spec] : llvm::enumerate(sig->args)) {
    bool resident = spec.role == "param" || spec.role == "state";
    DeviceTensor *dev = nullptr;
    if (spec.role == "state")
      dev = find(state, spec.name);
    if (!dev && resident)
      dev = find(&params, spec.name);
    rt::HostTensor *host = dev ? nullptr : rt::lookup(inputs, spec.name);
    if (!dev && !host)
      dev = find(&params, spec.name);
    if (!dev && !host)
      dev = find(state, spec.name);
    if (!dev && !host)
      return fail("no array named '" + spec.name + "' for " +
                  (spec.role.empty() ? "argument" : spec.role) + " " +
                  spec.describe() + " of @" + name);
    rt::DType dtype = dev ? dev->getDType() : host->getDType();
    llvm::ArrayRef<int64_t> shape = dev ? dev->getShape() : host->getShape();
    if (!matches(spec, dtype, shape))
      return fail("@" + name + ": argument '" + spec.name + "' expects " +
                  spec.describe() + ", got " +
                  (dev ? dev->describe() : host->describe()));
    if (spec.isScalar) {
      if (!host)
        return fail("@" + name + ": scalar argument '" + spec.name +
                    "' must be a host input");
      packed[i] = host->data();
      continue;
    }
    if (!dev) {
      uploaded.push_back(DeviceTensor::upload(*host));
      dev = &uploaded.back();
    }
    pass(i, dev->data(), dev->getShape());
  }
  for (auto [j, spec] : llvm::enumerate(sig->results)) {
    results.emplace_back(spec.dtype, spec.shape);
    pass(sig->args.size() + j, results.back().data(), spec.shape);
  }

  entryPoints[sig - sigs.data()](packed.data());
  cuda::synchronize();

  rt::NamedTensors named;
  for (auto [spec, t] : llvm::zip_equal(sig->results, results))
    named.emplace_back(spec.name, t.download());
  return std::move(named);
}
