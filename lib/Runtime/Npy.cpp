//===- Npy.cpp - numpy .npy / .npz files ----------------------------------===//
//
// An npz is a zip of .npy members. We read the central directory (it has the
// real sizes even when numpy streamed the member with zip64 local headers),
// inflate deflated members with zlib, and check every CRC.
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <zlib.h>

#include <cstring>

using namespace mlir::zo::rt;
namespace rt = mlir::zo::rt;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

static Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

static const char kNpyMagic[] = "\x93NUMPY";

/// numpy descr of each dtype; '<' or '|' is checked separately.
static std::optional<DType> dtypeFromDescr(StringRef descr) {
  if (descr.size() < 2 ||
      (descr[0] != '<' && descr[0] != '|' && descr[0] != '='))
    return std::nullopt;
  StringRef code = descr.drop_front();
  if (code == "f4")
    return DType::F32;
  if (code == "f8")
    return DType::F64;
  if (code == "i8")
    return DType::I64;
  if (code == "i4")
    return DType::I32;
  if (code == "b1")
    return DType::I1;
  // bf16 bit patterns: plain uint16, or ml_dtypes.bfloat16 (a 2-byte void).
  if (code == "u2" || code == "V2")
    return DType::BF16;
  return std::nullopt;
}

static StringRef descrOf(DType d) {
  switch (d) {
  case DType::F32:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::I64:
    return "<i8";
  case DType::I32:
    return "<i4";
  case DType::I1:
    return "|b1";
  case DType::BF16:
    return "<u2";
  }
  return "";
}

/// Value of `'key': ` in the header dict, up to the matching delimiter.
static std::optional<StringRef> headerField(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t at = header.find(quoted);
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  if (rest.starts_with("'")) {
    size_t end = rest.find('\'', 1);
    return end == StringRef::npos ? std::nullopt
                                  : std::optional(rest.slice(1, end));
  }
  if (rest.starts_with("(")) {
    size_t end = rest.find(')');
    return end == StringRef::npos ? std::nullopt
                                  : std::optional(rest.slice(1, end));
  }
  size_t end = rest.find_first_of(",}");
  return rest.take_front(end).trim();
}

Expected<HostTensor> rt::parseNpy(StringRef bytes, StringRef what) {
  if (!bytes.starts_with(StringRef(kNpyMagic, 6)) || bytes.size() < 10)
    return fail(what + ": not a .npy array");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                static_cast<unsigned char>(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(what + ": truncated .npy header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= size_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    headerStart = 12;
  } else {
    return fail(what + ": unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return fail(what + ": truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLen);

  std::optional<StringRef> descr = headerField(header, "descr");
  std::optional<StringRef> fortran = headerField(header, "fortran_order");
  std::optional<StringRef> shapeText = headerField(header, "shape");
  if (!descr || !fortran || !shapeText)
    return fail(what + ": malformed .npy header '" + header.trim() + "'");
  std::optional<DType> dtype = dtypeFromDescr(*descr);
  if (!dtype)
    return fail(what + ": unsupported dtype '" + *descr +
                "' (supported: float32, float64, int64, int32, bool; little "
                "endian)");
  if (*fortran != "False")
    return fail(what + ": Fortran-ordered arrays are not supported");
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<StringRef> dims;
  shapeText->split(dims, ',', -1, /*KeepEmpty=*/false);
  for (StringRef d : dims) {
    d = d.trim();
    if (d.empty())
      continue;
    int64_t v;
    if (d.getAsInteger(10, v) || v < 0)
      return fail(what + ": bad shape '(" + *shapeText + ")'");
    shape.push_back(v);
  }
  HostTensor tensor(*dtype, shape);
  StringRef payload = bytes.drop_front(headerStart + headerLen);
  if (payload.size() < tensor.getNumBytes())
    return fail(what + ": truncated data (" + llvm::Twine(payload.size()) +
                " bytes, expected " + llvm::Twine(tensor.getNumBytes()) + ")");
  if (tensor.getNumBytes())
    std::memcpy(tensor.data(), payload.data(), tensor.getNumBytes());
  return std::move(tensor);
}

std::string rt::serializeNpy(const HostTensor &tensor) {
  std::string dict;
  llvm::raw_string_ostream os(dict);
  os << "{'descr': '" << descrOf(tensor.getDType())
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.getShape())
    os << d << (tensor.getRank() == 1 ? "," : ", ");
  if (tensor.getRank() > 1)
    dict.resize(dict.size() - 2);
  os << "), }";
  // Pad with spaces so the data starts 64-byte aligned, as numpy does.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict.push_back('\n');
  std::string out(kNpyMagic, 6);
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<char>(dict.size() & 0xff));
  out.push_back(static_cast<char>(dict.size() >> 8));
  out += dict;
  out.append(static_cast<const char *>(tensor.data()), tensor.getNumBytes());
  return out;
}

//===----------------------------------------------------------------------===//
// .npz (zip)
//===----------------------------------------------------------------------===//

static uint64_t readLE(StringRef bytes, size_t at, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i)
    v |= uint64_t(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

static void writeLE(std::string &out, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

static Expected<std::string> inflateRaw(StringRef in, uint64_t outSize,
                                        StringRef what) {
  std::string out(outSize, '\0');
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
    return fail(what + ": zlib initialization failed");
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = in.size();
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = out.size();
  int rc = inflate(&zs, Z_FINISH);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || zs.total_out != outSize)
    return fail(what + ": corrupt deflate data");
  return out;
}

Expected<NamedTensors> rt::readNpz(StringRef path) {
  auto bufferOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
  if (!bufferOr)
    return fail(path + ": cannot open: " + bufferOr.getError().message());
  StringRef bytes = (*bufferOr)->getBuffer();

  NamedTensors result;
  if (bytes.starts_with(StringRef(kNpyMagic, 6))) {
    Expected<HostTensor> t = parseNpy(bytes, path);
    if (!t)
      return t.takeError();
    result.emplace_back("arr_0", std::move(*t));
    return std::move(result);
  }

  // End of central directory: the last "PK\5\6" within 64 KiB of the end.
  const size_t kEocdSize = 22;
  if (bytes.size() < kEocdSize || !bytes.starts_with("PK"))
    return fail(path + ": not an .npz (zip) or .npy file");
  size_t eocd = StringRef::npos;
  for (size_t i = bytes.size() - kEocdSize + 1; i-- > 0;) {
    if (readLE(bytes, i, 4) == 0x06054b50) {
      eocd = i;
      break;
    }
    if (bytes.size() - i > 65557)
      break;
  }
  if (eocd == StringRef::npos)
    return fail(path + ": truncated zip (no end of central directory)");
  uint64_t count = readLE(bytes, eocd + 10, 2);
  uint64_t cdOffset = readLE(bytes, eocd + 16, 4);
  // Zip64: the locator sits right before the classic record.
  if ((count == 0xffff || cdOffset == 0xffffffff) && eocd >= 20 &&
      readLE(bytes, eocd - 20, 4) == 0x07064b50) {
    uint64_t z64 = readLE(bytes, eocd - 20 + 8, 8);
    if (z64 + 56 > bytes.size() || readLE(bytes, z64, 4) != 0x06064b50)
      return fail(path + ": corrupt zip64 directory");
    count = readLE(bytes, z64 + 32, 8);
    cdOffset = readLE(bytes, z64 + 48, 8);
  }

  size_t at = cdOffset;
  for (uint64_t e = 0; e < count; ++e) {
    if (at + 46 > bytes.size() || readLE(bytes, at, 4) != 0x02014b50)
      return fail(path + ": corrupt zip central directory");
    unsigned method = readLE(bytes, at + 10, 2);
    uint32_t crc = readLE(bytes, at + 16, 4);
    uint64_t csize = readLE(bytes, at + 20, 4);
    uint64_t usize = readLE(bytes, at + 24, 4);
    unsigned nameLen = readLE(bytes, at + 28, 2);
    unsigned extraLen = readLE(bytes, at + 30, 2);
    unsigned commentLen = readLE(bytes, at + 32, 2);
    uint64_t local = readLE(bytes, at + 42, 4);
    if (at + 46 + nameLen + extraLen > bytes.size())
      return fail(path + ": corrupt zip central directory");
    StringRef name = bytes.substr(at + 46, nameLen);
    // Zip64 extended information: present fields follow in a fixed order.
    StringRef extra = bytes.substr(at + 46 + nameLen, extraLen);
    for (size_t x = 0; x + 4 <= extra.size();) {
      unsigned id = readLE(extra, x, 2), len = readLE(extra, x + 2, 2);
      if (id == 0x0001) {
        size_t f = x + 4;
        if (usize == 0xffffffff && f + 8 <= extra.size())
          usize = readLE(extra, f, 8), f += 8;
        if (csize == 0xffffffff && f + 8 <= extra.size())
          csize = readLE(extra, f, 8), f += 8;
        if (local == 0xffffffff && f + 8 <= extra.size())
          local = readLE(extra, f, 8), f += 8;
      }
      x += 4 + len;
    }
    at += 46 + nameLen + extraLen + commentLen;

    std::string what = (path + ":" + name).str();
    if (local + 30 > bytes.size() || readLE(bytes, local, 4) != 0x04034b50)
      return fail(what + ": corrupt zip local header");
    uint64_t dataStart = local + 30 + readLE(bytes, local + 26, 2) +
                         readLE(bytes, local + 28, 2);
    if (dataStart + csize > bytes.size())
      return fail(what + ": truncated zip member");
    StringRef stored = bytes.substr(dataStart, csize);
    std::string inflated;
    StringRef member;
    if (method == 0) {
      member = stored;
    } else if (method == 8) {
      Expected<std::string> out = inflateRaw(stored, usize, what);
      if (!out)
        return out.takeError();
      inflated = std::move(*out);
      member = inflated;
    } else {
      return fail(what + ": unsupported zip compression method " +
                  llvm::Twine(method));
    }
    uint32_t actual = ::crc32(
        0L, reinterpret_cast<const Bytef *>(member.data()), member.size());
    if (actual != crc)
      return fail(what + ": CRC mismatch (corrupt file)");
    Expected<HostTensor> t = parseNpy(member, what);
    if (!t)
      return t.takeError();
    StringRef key = name;
    key.consume_back(".npy");
    result.emplace_back(key.str(), std::move(*t));
  }
  return std::move(result);
}

Error rt::writeNpz(StringRef path, const NamedTensors &tensors) {
  std::string out, directory;
  // 1980-01-01 00:00, the zip epoch: output is reproducible.
  const uint16_t kTime = 0, kDate = (0 << 9) | (1 << 5) | 1;
  for (const auto &[key, tensor] : tensors) {
    std::string name = key + ".npy";
    std::string data = serializeNpy(tensor);
    if (data.size() >= 0xffffffffu || out.size() >= 0xffffffffu)
      return fail(path + ": arrays of 4 GiB or more are not supported yet");
    uint32_t crc =
        ::crc32(0L, reinterpret_cast<const Bytef *>(data.data()), data.size());
    uint64_t offset = out.size();
    // Local file header.
    writeLE(out, 0x04034b50, 4);
    writeLE(out, 20, 2); // version needed
    writeLE(out, 0, 2);  // flags
    writeLE(out, 0, 2);  // stored
    writeLE(out, kTime, 2);
    writeLE(out, kDate, 2);
    writeLE(out, crc, 4);
    writeLE(out, data.size(), 4);
    writeLE(out, data.size(), 4);
    writeLE(out, name.size(), 2);
    writeLE(out, 0, 2);
    out += name;
    out += data;
    // Central directory entry.
    writeLE(directory, 0x02014b50, 4);
    writeLE(directory, 20, 2); // version made by
    writeLE(directory, 20, 2); // version needed
    writeLE(directory, 0, 2);
    writeLE(directory, 0, 2);
    writeLE(directory, kTime, 2);
    writeLE(directory, kDate, 2);
    writeLE(directory, crc, 4);
    writeLE(directory, data.size(), 4);
    writeLE(directory, data.size(), 4);
    writeLE(directory, name.size(), 2);
    writeLE(directory, 0, 2); // extra
    writeLE(directory, 0, 2); // comment
    writeLE(directory, 0, 2); // disk
    writeLE(directory, 0, 2); // internal attributes
    writeLE(directory, 0, 4); // external attributes
    writeLE(directory, offset, 4);
    directory += name;
  }
  uint64_t cdOffset = out.size();
  out += directory;
  writeLE(out, 0x06054b50, 4);
  writeLE(out, 0, 2);
  writeLE(out, 0, 2);
  writeLE(out, tensors.size(), 2);
  writeLE(out, tensors.size(), 2);
  writeLE(out, directory.size(), 4);
  writeLE(out, cdOffset, 4);
  writeLE(out, 0, 2);

  // Write beside the target, then rename: readers never see half a file.
  llvm::SmallString<256> tmp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, tmp))
    return fail(path + ": cannot create temporary file: " + ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << out;
    os.close();
    if (os.has_error()) {
      std::string msg = os.error().message();
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return fail(path + ": write failed: " + msg);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    return fail(path + ": cannot rename temporary file: " + ec.message());
  }
  return Error::success();
}
