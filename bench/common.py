"""Pieces the benchmark scripts share: the machine's name and the small
noise modules (train.add_noise and its x + alpha baseline) they time."""
import platform


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


_HEADER = """
func.func @forward(%seed: tensor<i64> {{zo.name = "seed", zo.role = "input"}},{epoch}
                   %x: tensor<{r}x{c}xf32> {{zo.name = "x", zo.role = "input"}},
                   %alpha: tensor<f32> {{zo.name = "alpha", zo.role = "input"}})
    -> (tensor<{r}x{c}xf32> {{zo.name = "y"}}) {{
"""
_EPOCH = '\n                   %epoch: tensor<i64> {{zo.name = "epoch", zo.role = "input"}},'


def add_noise_module(rows, cols, sparsity=None):
    """y = x + alpha z, z ~ train.add_noise's N(0, 1) (param id 0); with
    `sparsity`, the exact-count mask of gradient-sparse ZO (epoch input)."""
    attrs = "{param_id = 0 : i64}"
    mask = ""
    if sparsity is not None:
        mask = " mask(%epoch : tensor<i64>)"
        attrs = f"{{param_id = 0 : i64, mask_sparsity = {sparsity:e} : f64}}"
    head = _HEADER.format(r=rows, c=cols,
                          epoch=_EPOCH.format() if sparsity is not None else "")
    return head + (
        f"  %y = train.add_noise %x, %seed, %alpha{mask} {attrs} : "
        f"tensor<{rows}x{cols}xf32>, tensor<i64>, tensor<f32>\n"
        f"  return %y : tensor<{rows}x{cols}xf32>\n}}\n")


def add_scalar_module(rows, cols, epoch=False):
    """y = x + alpha: add_noise_module's traffic without the noise."""
    t = f"tensor<{rows}x{cols}xf32>"
    head = _HEADER.format(r=rows, c=cols, epoch=_EPOCH.format() if epoch else "")
    return head + f"""  %e = tensor.empty() : {t}
  %y = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> ()>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}}
       ins(%x, %alpha : {t}, tensor<f32>) outs(%e : {t}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  }} -> {t}
  return %y : {t}
}}
"""
