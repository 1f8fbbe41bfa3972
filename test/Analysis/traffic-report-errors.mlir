// zo-traffic-report's errors: one line naming what it cannot model.
// RUN: zo-opt %s --zo-traffic-report -split-input-file -verify-diagnostics -o /dev/null
// RUN: not zo-opt %s --split-input-file --zo-traffic-report="format=yaml" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: zo-traffic-report: format must be 'table' or 'json', not 'yaml'

func.func private @mystery(memref<4xf32>)
func.func @forward(%p: memref<4xf32> {zo.name = "p", zo.role = "param"}) {
  // expected-error @below {{traffic report: call of @mystery (not a GEMM) cannot be modelled}}
  call @mystery(%p) : (memref<4xf32>) -> ()
  return
}

// -----

// expected-error @below {{traffic report: argument 0 is not a static memref}}
func.func @forward(%p: memref<?xf32> {zo.name = "p", zo.role = "param"}) {
  return
}

// -----

#vec = affine_map<(d0) -> (d0)>
func.func @forward(%p: tensor<4xf32> {zo.name = "x", zo.role = "input"}) -> tensor<4xf32> {
  // expected-error @below {{traffic report: expects bufferized IR}}
  %r = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]}
      ins(%p : tensor<4xf32>) outs(%p : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// expected-error @below {{zo-traffic-report: the module has neither @forward nor @train_step}}
module {
  func.func @other() {
    return
  }
}
