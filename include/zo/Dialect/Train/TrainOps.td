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
                                  counter = (e / 4 mod 2^32, e / 2^36,
                                             param_id, stream)))[e mod 4]

    so any element is generated on its own, identically on every target, and
    noise is never stored: it is regenerated wherever it is consumed.
    `python/zo/philox.py` is the bit-exact numpy reference.
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
  }];
  let arguments = (ins 0DTensorOf<[I64]>:$seed, I64Attr:$param_id,
                       DefaultValuedAttr<I64Attr, "0">:$stream);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = "$seed attr-dict `:` type($seed) `->` type($output)";
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
    noise fuses into whatever consumes the result.

    ```mlir
    %wp = train.add_noise %w, %seed, %eps {param_id = 3 : i64} : tensor<32x32xf32>, tensor<i64>, tensor<f32>
    ```
  }];
  let arguments = (ins AnyStaticShapeTensor:$input, 0DTensorOf<[I64]>:$seed,
                       0DTensorOf<[F32]>:$alpha, I64Attr:$param_id,
                       DefaultValuedAttr<I64Attr, "0">:$stream);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = [{
    $input `,` $seed `,` $alpha attr-dict `:` type($input) `,` type($seed) `,` type($alpha)
  }];
  let hasVerifier = 1;
}

#endif // ZO_DIALECT_TRAIN_TRAINOPS_TD
