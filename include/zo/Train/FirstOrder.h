//===- FirstOrder.h - gradient-based training steps --------------*- C++ -*-===//
//
// `zo-first-order` builds @train_step from @forward with the reverse-mode
// driver (Vjp.h): one forward, the backward sweep, and each parameter's
// update emitted as soon as its gradient is complete (the gradient then
// dies while the sweep goes on). Methods: SGD (optional momentum), AdamW,
// SinkGD and SWAN (normalized updates for the 2-D weights inside the
// blocks, AdamW for the rest). Formulas: ../shared/ALGORITHMS.md sections 2
// and 4, docs/methods/{sgd,adamw,sinkgd,swan}.md.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_TRAIN_FIRSTORDER_H
#define ZO_TRAIN_FIRSTORDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::zo {

/// The `method` names of zo-first-order: sgd, adamw, sinkgd, swan.
ArrayRef<StringRef> getFirstOrderMethods();

/// SR-Sinkhorn of a 2-D gradient `g` (m x n) without materializing any
/// iterate: `iterations` times, the row scale r (m x 1) then the column
/// scale c (1 x n) are set so that the rows of X = r g c have norm sqrt(n)
/// and then its columns norm sqrt(m) (norms clamped below by `clamp`).
/// Returns X = r g c as one elementwise expression the update fuses.
Value buildSinkhornDirection(OpBuilder &b, Location loc, Value g,
                             int64_t iterations, double clamp);

/// SWAN's direction for a 2-D gradient `g` (m x n): GradNorm (each row minus
/// its mean, divided by its standard deviation over the n columns, plus
/// `clamp`), then GradWhitening on the smaller side s = min(m, n):
/// (A)^(-1/2) g~ for A = g~ g~^T (m <= n) or g~ (A)^(-1/2) for A = g~^T g~,
/// the inverse square root by `iterations` coupled Newton-Schulz steps on
/// A / ||A||_F (Y <- Y (3I - ZY) / 2, Z <- (3I - ZY) Z / 2).
Value buildSwanDirection(OpBuilder &b, Location loc, Value g,
                         int64_t iterations, double clamp);

} // namespace mlir::zo

#endif // ZO_TRAIN_FIRSTORDER_H
