//===- TrainOps.td - the zo training dialect ---------------*- tablegen -*-===//
//
// Ops that training steps add to a forward graph: counter-based noise for the
// zeroth-order family (later also optimizer updates, normalization of
// gradients, block-sparse updates).
//
//===----------------------------------------------------------------------===//

#ifndef ZO_DIALECT_TRAIN_TRAINOPS_TD
#define ZO_DIALECT_TRAIN_TRAINOPS_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Train_Dialect : Dialect {
  let name = "train";
  let cppNamespace = "::mlir::zo::train";
  let summary = "Training-step ops: counter-based noise, parameter updates";
  let description = [{
    The `train` dialect holds what a training method adds to a model's
    forward graph. Its noise is counter-based: element `e` of the tensor
    perturbed for parameter `param_id` under seed `s` is

      z = BoxMuller(Philox4x32-10(key = (s mod 2^32, s / 2^32),
                                  counter = (b mod 2^32, b / 2^32,
                                             param_id, stream)))[l]
      b = 16 (e / 64) + e mod 16,  l = (e / 16) mod 4

    (`e` row-major; a run of 64 elements is 16 consecutive Philox blocks, and
    word `l` of those blocks is the run's `l`-th 16 elements, so a 16-wide
    vector of blocks stores each word contiguously), so any element is generated on its own, identically on every target, and
    noise is never stored: it is regenerated wherever it is consumed.
    `python/zo/philox.py` is the bit-exact numpy reference.

    Both noise ops take an optional sparse mask (gradient-sparse ZO): with
    `mask(%epoch)` and `mask_sparsity = s` the noise is `z * m`, where the
    binary mask `m` zeroes exactly `floor(s n)` of the `n` elements of its
    domain. `m` is counter-based too: element `e` is kept iff
    `pi(e) >= floor(s n)` for a keyed pseudo-random permutation `pi` of
    `[0, n)` (a Feistel network with cycle walking, keyed by Philox on
    `(mask_seed; epoch, domain id)`), so it is computed per element and
    never stored. The domain is the tensor itself (`n` its size, `pi` keyed
    by `param_id`), or, with `mask_domain = N` and `mask_offset = o`, the
    slice `[o, o + size)` of one permutation of `[0, N)` shared by every op
    with the same `mask_seed`, epoch and `N` (a global mask over several
    tensors). `python/zo/sparse_mask.py` is the bit-exact reference and
    documents the permutation.
  }];
  let usePropertiesForAttributes = 1;
}

class Train_Op<string mnemonic, list<Trait> traits = []>
    : Op<Train_Dialect, mnemonic, traits>;

def Train_NormalOp : Train_Op<"normal", [Pure]> {
  let summary = "standard normal noise z(seed, param_id, stream, element)";
  let description = [{
    A statically shaped f32 tensor of standard normal noise for parameter
    `param_id` and noise stream `stream` (e.g. the query index of a
    q-query estimate). Element order is row-major.

    ```mlir
    %z = train.normal %seed {param_id = 3 : i64, stream = 0 : i64} : tensor<i64> -> tensor<32x32xf32>
    ```

    With a mask (see the dialect): `z * m`, zero where the mask drops the
    element.

    ```mlir
    %zm = train.normal %seed mask(%epoch : tensor<i64>) {param_id = 3 : i64, mask_sparsity = 7.5e-01 : f64, mask_seed = 42 : i64} : tensor<i64> -> tensor<32x32xf32>
    ```

    Verified: `mask_sparsity` is required with a mask operand and lies in
    [0, 1); `mask_domain` and `mask_offset` come together, the tensor lies
    inside the domain (`0 <= mask_offset`, `mask_offset + size <=
    mask_domain`) and the domain has at most 2^53 elements.
  }];
  let arguments = (ins 0DTensorOf<[I64]>:$seed, I64Attr:$param_id,
                       DefaultValuedAttr<I64Attr, "0">:$stream,
                       Optional<0DTensorOf<[I64]>>:$mask_epoch,
                       OptionalAttr<F64Attr>:$mask_sparsity,
                       DefaultValuedAttr<I64Attr, "0">:$mask_seed,
                       OptionalAttr<I64Attr>:$mask_domain,
                       OptionalAttr<I64Attr>:$mask_offset);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = [{
    $seed (`mask` `(` $mask_epoch^ `:` type($mask_epoch) `)`)? attr-dict `:`
    type($seed) `->` type($output)
  }];
  let builders = [
    OpBuilder<(ins "Type":$type, "Value":$seed, "int64_t":$param_id,
                   CArg<"int64_t", "0">:$stream), [{
      build($_builder, $_state, type, seed,
            $_builder.getI64IntegerAttr(param_id),
            $_builder.getI64IntegerAttr(stream), /*mask_epoch=*/Value(),
            FloatAttr(), $_builder.getI64IntegerAttr(0), IntegerAttr(),
            IntegerAttr());
    }]>,
  ];
  let hasVerifier = 1;
}

def Train_AddNoiseOp : Train_Op<"add_noise", [Pure,
    AllTypesMatch<["input", "output"]>]> {
  let summary = "x + alpha * z(seed, param_id, stream): perturbation and ZO update";
  let description = [{
    Adds scaled counter-based noise to a tensor. A zeroth-order step uses it
    both to perturb a weight (`alpha = +eps` / `-eps`) right before its use
    and to apply the update (`alpha = -lr * g`), regenerating the same `z`
    each time instead of storing it. Lowers to one elementwise loop, so the
    noise fuses into whatever consumes the result. `x` is f32, bf16 or f16;
    the noise and `x + alpha * z` are f32, rounded once to x's type.

    ```mlir
    %wp = train.add_noise %w, %seed, %eps {param_id = 3 : i64} : tensor<32x32xf32>, tensor<i64>, tensor<f32>
    ```

    With a mask (see the dialect and `train.normal`): `x + alpha (z * m)`;
    every add_noise of a sparse ZO step (perturbations and update) carries
    the same mask, so masked elements are neither perturbed nor updated.

    ```mlir
    %wp = train.add_noise %w, %seed, %eps mask(%epoch : tensor<i64>) {param_id = 3 : i64, mask_sparsity = 7.5e-01 : f64, mask_domain = 5000 : i64, mask_offset = 1024 : i64} : tensor<32x32xf32>, tensor<i64>, tensor<f32>
    ```
  }];
  let arguments = (ins AnyStaticShapeTensor:$input, 0DTensorOf<[I64]>:$seed,
                       0DTensorOf<[F32]>:$alpha, I64Attr:$param_id,
                       DefaultValuedAttr<I64Attr, "0">:$stream,
                       Optional<0DTensorOf<[I64]>>:$mask_epoch,
                       OptionalAttr<F64Attr>:$mask_sparsity,
                       DefaultValuedAttr<I64Attr, "0">:$mask_seed,
                       OptionalAttr<I64Attr>:$mask_domain,
                       OptionalAttr<I64Attr>:$mask_offset);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = [{
    $input `,` $seed `,` $alpha (`mask` `(` $mask_epoch^ `:` type($mask_epoch) `)`)?
    attr-dict `:` type($input) `,` type($seed) `,` type($alpha)
  }];
  let builders = [
    OpBuilder<(ins "Type":$type, "Value":$input, "Value":$seed,
                   "Value":$alpha, "IntegerAttr":$param_id,
                   "IntegerAttr":$stream), [{
      build($_builder, $_state, type, input, seed, alpha, param_id, stream,
            /*mask_epoch=*/Value(), FloatAttr(),
            $_builder.getI64IntegerAttr(0), IntegerAttr(), IntegerAttr());
    }]>,
  ];
  let hasVerifier = 1;
}

#endif // ZO_DIALECT_TRAIN_TRAINOPS_TD
