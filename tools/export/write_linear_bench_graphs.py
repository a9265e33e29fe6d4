#!/usr/bin/python3
"""Writes one-node linear graphs at the 2B decoder's layer sizes for `qwenvl bench --scenarios linear`, which times
them from C# on ONNX Runtime (the kernel choice of the fused int8 / int4 decoders, docs/fused-package.md).

  write_linear_bench_graphs.py --out /tmp/linear-bench [--config models/qwen3-vl-2b-fused/config.json] [--no-lm-head]

Each file is `<kernel>__<layer>.onnx`, input `x` [1, M, K], output `y` [1, M, N], weights random normal
(std 0.02) quantized by the fused package's own emitters (qvl_export/fused/quant.py), embedded. Kernels:
fp32 (MatMul), int8_dqmm (DynamicQuantizeMatMul), int8_nbits_acc4 / int8_nbits_acc0 (MatMulNBits bits 8, block 32),
int4_acc4 / int4_acc0 (MatMulNBits bits 4, block 32), int4_b128_acc4 (block 128). Layers: qkv, o_proj, gate_up,
down (one decoder layer) and lm_head (the tied head; not for fp32, whose 1.24 GB graph would not add anything).
"""
import argparse
import sys
from pathlib import Path

import numpy as np
from onnx import TensorProto

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qvl_export.fused import quant, text_dims  # noqa: E402
from qvl_export.fused.onnx_graph_vision import OnnxGraphBuilder  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
KERNELS = {
    "fp32": None,
    "int8_dqmm": lambda g, x, w: quant.make_linear_int8(g, "linear", x, w),
    "int8_nbits_acc4": lambda g, x, w: quant.make_linear_int8_blocks(g, "linear", x, w, None, 32, 4),
    "int8_nbits_acc0": lambda g, x, w: quant.make_linear_int8_blocks(g, "linear", x, w, None, 32, 0),
    "int4_acc4": lambda g, x, w: quant.make_linear_int4(g, "linear", x, w, None, 32, 4),
    "int4_acc0": lambda g, x, w: quant.make_linear_int4(g, "linear", x, w, None, 32, 0),
    "int4_b128_acc4": lambda g, x, w: quant.make_linear_int4(g, "linear", x, w, None, 128, 4),
}


def layer_shapes(dims, lm_head):
    """{layer: (N, K)} of one decoder layer (+ the lm_head)."""
    shapes = {"qkv": (dims.q_size + 2 * dims.kv_size, dims.hidden), "o_proj": (dims.hidden, dims.q_size),
              "gate_up": (2 * dims.intermediate, dims.hidden), "down": (dims.hidden, dims.intermediate)}
    if lm_head:
        shapes["lm_head"] = (dims.vocab, dims.hidden)
    return shapes


def write(out, kernel, layer, n, k, weight):
    g = OnnxGraphBuilder(f"{kernel}__{layer}")
    x = g.input("x", TensorProto.FLOAT, [1, "M", k])
    if KERNELS[kernel] is None:
        y = g.node("MatMul", [x, g.weight("linear.weight", np.ascontiguousarray(weight.T))], "linear")
    else:
        y = KERNELS[kernel](g, x, weight)
    g.node("Identity", [y], "out", outputs=["y"])
    g.output("y", TensorProto.FLOAT, [1, "M", n])
    g.save(out, f"{kernel}__{layer}", mode="embedded")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--config", type=Path, default=REPO / "models" / "qwen3-vl-2b-fused" / "config.json")
    parser.add_argument("--no-lm-head", action="store_true")
    parser.add_argument("--kernels", nargs="+", choices=sorted(KERNELS), default=list(KERNELS))
    args = parser.parse_args(argv)
    dims = text_dims.load(args.config)
    rng = np.random.default_rng(0)
    for layer, (n, k) in layer_shapes(dims, not args.no_lm_head).items():
        weight = (rng.standard_normal((n, k), dtype=np.float32) * np.float32(0.02))
        for kernel in args.kernels:
            if layer == "lm_head" and kernel == "fp32":
                continue
            write(args.out, kernel, layer, n, k, weight)
            print(f"wrote {kernel}__{layer}.onnx ([{n}, {k}])", flush=True)


if __name__ == "__main__":
    main()
