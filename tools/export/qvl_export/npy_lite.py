"""Reads .npy files (little-endian, C order, version 1/2/3) into flat Python lists, without numpy.

Only the unit tests need it: they compare the pure-Python formulas with the golden tensors.
"""
import ast
import struct

_FORMATS = {"<f4": "f", "<f8": "d", "<i8": "q", "<i4": "i", "|u1": "B", "|i1": "b", "<u8": "Q"}


def read_npy(path):
    """Returns (dtype string, shape tuple, flat list of values)."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{path} is not a .npy file")
    major = data[6]
    if major == 1:
        header_len = struct.unpack("<H", data[8:10])[0]
        start = 10
    else:
        header_len = struct.unpack("<I", data[8:12])[0]
        start = 12
    header = ast.literal_eval(data[start:start + header_len].decode("latin1"))
    if header.get("fortran_order"):
        raise ValueError(f"{path}: Fortran order is not supported")
    descr = header["descr"]
    if descr not in _FORMATS:
        raise ValueError(f"{path}: dtype {descr} is not supported")
    shape = tuple(header["shape"])
    count = 1
    for dim in shape:
        count *= dim
    body = data[start + header_len:]
    values = list(struct.unpack("<" + _FORMATS[descr] * count, body[:count * struct.calcsize(_FORMATS[descr])]))
    return descr, shape, values
