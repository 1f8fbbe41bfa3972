#!/usr/bin/env bash
# Installs, builds and runs the whole zo-opt test suite (lit + FileCheck,
# end-to-end comparisons with onnxruntime). This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${ZO_BUILD_DIR:-build}
# The plain closing line ("N passed, N failed") is printed by scripts/lit-summary.py.
set +e
lit -v "$BUILD_DIR/test" --xunit-xml-output "$BUILD_DIR/test/results.xml" "$@"
status=$?
set -e
python3 scripts/lit-summary.py "$BUILD_DIR/test/results.xml"
exit $status
