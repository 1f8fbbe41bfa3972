//===- FuseIntoExtract.h - recompute elementwise producers at a lookup ----===//
//
// Patterns that replace a tensor.extract (a gather's table read) from an
// elementwise linalg.generic by that generic's body at the extracted point.
//
//===----------------------------------------------------------------------===//

#ifndef ZO_LIB_PIPELINES_FUSEINTOEXTRACT_H
#define ZO_LIB_PIPELINES_FUSEINTOEXTRACT_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::zo {
/// A `tensor.extract` inside a linalg.generic, reading (directly or through
/// a tensor.collapse_shape) the result of an all-parallel generic with
/// projected-permutation maps, becomes that generic's body evaluated at the
/// extracted coordinates, when every use of that result is such a read and
/// the reading generics together iterate fewer than a quarter as many times
/// as the producer: the producer is then computed only where it is read. The
/// case it is for: a perturbed embedding table (`train.add_noise` then a
/// gather) in a ZO step, which otherwise regenerates noise for every row of
/// the table to read a few of them. A producer that only converts its input
/// (`arith.extf` / `arith.truncf`) is recomputed at any number of reads, in
/// a linalg.generic or not (an embedding VJP's scatter loop).
void populateFuseIntoExtractPatterns(RewritePatternSet &patterns);
} // namespace mlir::zo

#endif // ZO_LIB_PIPELINES_FUSEINTOEXTRACT_H
