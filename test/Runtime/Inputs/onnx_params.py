#!/usr/bin/env python3
"""Write the initializers of an ONNX model as an npz keyed by ONNX name (the
`zo.name` of the parameters the importer makes of them).
usage: onnx_params.py model.onnx out.npz"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

model = onnx.load(sys.argv[1])
np.savez(sys.argv[2], **{t.name: numpy_helper.to_array(t)
                         for t in model.graph.initializer})
