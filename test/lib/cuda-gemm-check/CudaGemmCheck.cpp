//===- CudaGemmCheck.cpp - run the CUDA GEMM mapping on a host cuBLAS -----===//
//
//   zo-cuda-gemm-check cases.npz out.npz
//
// Runs zo/Runtime/CudaGemm.h's plan and executor (the code behind
// zo_cuda_sgemm[_batched]) with a host emulation of the cuBLAS calls it
// makes, written from cuBLAS's documented column-major semantics, and writes
// each case's C buffer. test/CudaRuntime/gemm-mapping.test compares them
// with numpy. Every emulated access is bounds-checked against the buffers,
// so a wrong leading dimension fails even when the numbers happen to agree.
//
// Case i: "a<i>", "b<i>", "c<i>" (flat f32 buffers), "la<i>", "lb<i>",
// "lc<i>" (i64: [offset, rows, cols, s0, s1], or [offset, batch,
// batch stride, rows, cols, s0, s1] for the batched call), "beta<i>" (f32).
//
//===----------------------------------------------------------------------===//

#include "zo/Runtime/CudaGemm.h"
#include "zo/Runtime/Npy.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <memory>
#include <vector>

using namespace mlir::zo;
using namespace mlir::zo::cuda;

namespace {

[[noreturn]] void die(const llvm::Twine &msg) {
  llvm::errs() << "zo-cuda-gemm-check: " << msg << "\n";
  std::exit(1);
}

/// cuBLAS, column-major, on host memory.
struct HostCublas {
  std::vector<std::pair<const float *, int64_t>> buffers;
  std::vector<std::unique_ptr<float[]>> scratchBlocks;
  int calls = 0;

  const float *at(const float *p, int64_t i) {
    const float *q = p + i;
    for (auto [base, n] : buffers)
      if (q >= base && q < base + n)
        return q;
    die("out-of-bounds access by the GEMM mapping");
  }
  float &at(float *p, int64_t i) {
    return *const_cast<float *>(at(static_cast<const float *>(p), i));
  }

  void gemm(CublasOp opX, CublasOp opY, int64_t m, int64_t n, int64_t k,
            const float *x, int64_t ldx, const float *y, int64_t ldy,
            float beta, float *c, int64_t ldc) {
    ++calls;
    // cuBLAS argument rules (else CUBLAS_STATUS_INVALID_VALUE).
    if (m < 0 || n < 0 || k < 0 || ldc < std::max<int64_t>(1, m) ||
        ldx < std::max<int64_t>(1, opX == CublasOp::N ? m : k) ||
        ldy < std::max<int64_t>(1, opY == CublasOp::N ? k : n))
      die("invalid cublasSgemm arguments");
    auto opXAt = [&](int64_t i, int64_t l) {
      return opX == CublasOp::N ? *at(x, i + l * ldx) : *at(x, l + i * ldx);
    };
    auto opYAt = [&](int64_t l, int64_t j) {
      return opY == CublasOp::N ? *at(y, l + j * ldy) : *at(y, j + l * ldy);
    };
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < m; ++i) {
        double sum = 0;
        for (int64_t l = 0; l < k; ++l)
          sum += double(opXAt(i, l)) * opYAt(l, j);
        float &out = at(c, i + j * ldc);
        // beta = 0: C is not read (NaNs in it do not propagate).
        out = float(beta == 0.0f ? sum : sum + double(beta) * out);
      }
  }
  void gemmStridedBatched(CublasOp opX, CublasOp opY, int64_t m, int64_t n,
                          int64_t k, const float *x, int64_t ldx,
                          const float *y, int64_t ldy, float beta, float *c,
                          int64_t ldc, int64_t strideX, int64_t strideY,
                          int64_t strideC, int64_t batch) {
    for (int64_t b = 0; b < batch; ++b)
      gemm(opX, opY, m, n, k, x + b * strideX, ldx, y + b * strideY, ldy, beta,
           c + b * strideC, ldc);
  }
  void copy(int64_t n, const float *x, int64_t incx, float *y, int64_t incy) {
    if (incx < 0 || incy < 0)
      die("negative increment");
    for (int64_t i = 0; i < n; ++i)
      at(y, i * incy) = *at(x, i * incx);
  }
  void scal(int64_t n, float alpha, float *x, int64_t incx) {
    if (incx <= 0) // BLAS: nothing to do
      return;
    for (int64_t i = 0; i < n; ++i)
      at(x, i * incx) *= alpha;
  }
  void zero2D(float *p, int64_t pitch, int64_t width, int64_t height) {
    if (pitch < width)
      die("cuMemsetD2D32 pitch smaller than width");
    for (int64_t j = 0; j < height; ++j)
      for (int64_t i = 0; i < width; ++i)
        at(p, j * pitch + i) = 0.0f;
  }
  float *scratch(int64_t count) {
    scratchBlocks.emplace_back(new float[count]);
    // Garbage, as fresh device memory: the mapping must not read it unset.
    for (int64_t i = 0; i < count; ++i)
      scratchBlocks.back()[i] = 1e30f;
    buffers.push_back({scratchBlocks.back().get(), count});
    return scratchBlocks.back().get();
  }
  void release(float *) {}
};

const char *name(CublasOp op) { return op == CublasOp::N ? "N" : "T"; }

rt::HostTensor &get(rt::NamedTensors &in, const std::string &key) {
  rt::HostTensor *t = rt::lookup(in, key);
  if (!t)
    die("missing array " + key);
  return *t;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3)
    die("usage: zo-cuda-gemm-check cases.npz out.npz");
  auto in = rt::readNpz(argv[1]);
  if (!in)
    die(llvm::toString(in.takeError()));
  rt::NamedTensors out;
  for (int i = 0; rt::lookup(*in, "a" + std::to_string(i)); ++i) {
    std::string s = std::to_string(i);
    rt::HostTensor &a = get(*in, "a" + s), &b = get(*in, "b" + s);
    rt::HostTensor c = get(*in, "c" + s).clone();
    float beta = *get(*in, "beta" + s).data<float>();
    const int64_t *la = get(*in, "la" + s).data<int64_t>();
    const int64_t *lb = get(*in, "lb" + s).data<int64_t>();
    const int64_t *lc = get(*in, "lc" + s).data<int64_t>();
    bool batched = get(*in, "la" + s).getNumElements() == 7;
    auto layout = [&](const int64_t *l) {
      return batched ? MatrixLayout{l[3], l[4], l[5], l[6]}
                     : MatrixLayout{l[1], l[2], l[3], l[4]};
    };
    HostCublas host;
    for (rt::HostTensor *t : {&a, &b, &c})
      host.buffers.push_back({t->data<float>(), t->getNumElements()});
    GemmPlan plan;
    if (std::string err = planGemm(layout(la), layout(lb), layout(lc), plan);
        !err.empty())
      die("case " + s + ": " + err);
    const float *pa = a.data<float>() + la[0], *pb = b.data<float>() + lb[0];
    float *pc = c.data<float>() + lc[0];
    if (batched) {
      int64_t strides[3] = {la[2], lb[2], lc[2]};
      runBatchedGemm<float>(host, plan, lc[1], strides, pa, layout(la), pb,
                            layout(lb), pc, layout(lc), beta);
    } else {
      runGemm<float>(host, plan, pa, layout(la), pb, layout(lb), pc, layout(lc),
                     beta);
    }
    const CublasGemmArgs &g = plan.args;
    llvm::outs() << "case " << s << ": ";
    if (plan.kind == GemmPlan::Kind::Nothing)
      llvm::outs() << "nothing";
    else if (plan.kind == GemmPlan::Kind::ScaleC)
      llvm::outs() << "scale C";
    else
      llvm::outs() << "sgemm(" << name(g.opX) << ", " << name(g.opY)
                   << ", m=" << g.m << ", n=" << g.n << ", k=" << g.k << ", "
                   << (g.swapped ? "B" : "A") << ", ld=" << g.ldx << ", "
                   << (g.swapped ? "A" : "B") << ", ld=" << g.ldy
                   << ", C, ld=" << g.ldc << ")"
                   << (plan.packA ? " pack A" : "")
                   << (plan.packB ? " pack B" : "")
                   << (plan.packC ? " pack C" : "");
    llvm::outs() << " calls=" << host.calls << "\n";
    out.emplace_back("c" + s, std::move(c));
  }
  if (llvm::Error err = rt::writeNpz(argv[2], out))
    die(llvm::toString(std::move(err)));
  return 0;
}
