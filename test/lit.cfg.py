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

tools = ["zo-opt", "zo-run", "zo-train", "FileCheck", "not", "count"]
llvm_config.add_tool_substitutions(
    [t for t in tools if shutil.which(t, path=config.zo_tools_dir) or
     shutil.which(t, path=config.llvm_tools_dir)],
    [config.zo_tools_dir, config.llvm_tools_dir])
