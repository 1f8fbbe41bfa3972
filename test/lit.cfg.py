# lit configuration of the zo-opt test suite.
import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "zo-opt"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".onnxtext", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt",
                   "Inputs", "models", "lib"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.zo_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.zo_tools_dir, append_path=False)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Plain shell tools (ls, head, ...) for RUN lines.
for d in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/bin", "/bin"]:
    if d:
        llvm_config.with_environment("PATH", d, append_path=True)
llvm_config.with_environment("PYTHONPATH",
                             os.path.join(config.zo_src_root, "python"),
                             append_path=True)
# Keep OpenBLAS single-threaded and quiet so runs are reproducible.
config.environment["OPENBLAS_NUM_THREADS"] = "1"
for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "HOME"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%models", os.path.join(config.zo_src_root, "test", "models")))
config.substitutions.append(("%testlib", os.path.join(config.zo_src_root, "test", "lib")))

tools = ["zo-opt", "zo-run", "zo-train", "FileCheck", "not", "count",
         "llvm-objdump"]
llvm_config.add_tool_substitutions(
    [t for t in tools if shutil.which(t, path=config.zo_tools_dir) or
     shutil.which(t, path=config.llvm_tools_dir)],
    [config.zo_tools_dir, config.llvm_tools_dir])

# The host's vector width: tests of the JIT's 512-bit code (x86-avx512).
try:
    with open("/proc/cpuinfo") as f:
        if " avx512f" in f.read():
            config.available_features.add("x86-avx512")
except OSError:
    pass

# The CUDA toolkit's ptxas (cubins, `ptxas -v` checks of the CUDA back end):
# $CUDA_PATH/bin or /usr/local/cuda/bin, as zo-opt looks for it.
if "CUDA_PATH" in os.environ:
    config.environment["CUDA_PATH"] = os.environ["CUDA_PATH"]
_ptxas = os.path.join(os.environ.get("CUDA_PATH", "/usr/local/cuda"), "bin",
                      "ptxas")
if os.access(_ptxas, os.X_OK):
    config.available_features.add("cuda-toolkit")
    config.substitutions.append(("%ptxas", _ptxas))

# The CUDA runtime (built when the toolkit is found) and, only where a GPU is
# actually usable, tests that run kernels.
_cuda_tools = all(shutil.which(t, path=config.zo_tools_dir) for t in
                  ("zo-compile", "zo-cuda-train", "zo-cuda-gemm-check"))
_stub = os.path.join(os.environ.get("CUDA_PATH", "/usr/local/cuda"), "lib64",
                     "stubs", "libcuda.so")
_fake = os.path.join(config.zo_obj_root, "lib", "libZoFakeCuda.so")
if _cuda_tools and os.path.exists(_stub) and os.path.exists(_fake):
    config.available_features.add("cuda-runtime")
    config.substitutions.append(("%cuda_stub_driver", _stub))
    config.substitutions.append(("%fake_cuda", _fake))
    import subprocess
    try:
        if subprocess.run(["nvidia-smi", "-L"], capture_output=True,
                          timeout=30).returncode == 0:
            config.available_features.add("cuda-device")
    except (OSError, subprocess.TimeoutExpired):
        pass
if "ZO_CUDA_DEVICE" in os.environ:
    config.environment["ZO_CUDA_DEVICE"] = os.environ["ZO_CUDA_DEVICE"]
