#!/usr/bin/env bash
# Installs every dependency of zo-opt on Debian 12 and builds it.
# Idempotent: a second run installs nothing and rebuilds incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
              libonnx-dev libprotobuf-dev protobuf-compiler libopenblas-dev
              zlib1g-dev ninja-build cmake g++)
PY_PACKAGES=(numpy onnx onnxruntime lit)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c "import numpy, onnx, onnxruntime, lit" 2>/dev/null; then
  echo "setup: installing ${PY_PACKAGES[*]}"
  python3 -m pip install -q "${PY_PACKAGES[@]}"
fi

BUILD_DIR=${ZO_BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR="$(llvm-config-22 --cmakedir)/../mlir" >/dev/null
fi
ninja -C "$BUILD_DIR"
