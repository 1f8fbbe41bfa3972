#!/usr/bin/env python3
"""Write an uncompressed npz with one array, then flip one byte of its data
(so only the CRC check can notice). usage: corrupt_npz.py out.npz"""
import struct
import sys
import zipfile

import numpy as np

path = sys.argv[1]
np.savez(path, a=np.zeros((16, 32), np.float32))
info = zipfile.ZipFile(path).infolist()[0]
with open(path, "r+b") as f:
    f.seek(info.header_offset + 26)
    name_len, extra_len = struct.unpack("<HH", f.read(4))
    last = info.header_offset + 30 + name_len + extra_len + info.compress_size - 1
    f.seek(last)
    f.write(b"\x01")
