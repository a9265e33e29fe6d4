"""Single-linear-layer graphs + reference tensors that the C# tests run to check the quantized emitters numerically.

For each precision the fixture holds `linear_<variant>.onnx` (input `x` [M, K], output `y` [M, N]), the fp32
reference `y_fp32.npy` (= x·Wᵀ + b in float64), `y_dequant_<precision>.npy` (x · dequantized Wᵀ + b: what an exact
kernel on the packed weights must give) and `bound_<precision>.npy`, the worst-case error of each output against
fp32 from weight rounding plus activation rounding:
    |Δy[m, n]| ≤ Σ_k |x[m, k]|·|W[n, k] − Ŵ[n, k]| + Σ_k (sₐ[m, k] / 2)·|Ŵ[n, k]| + ε
with sₐ the activation step: int8 (DynamicQuantizeMatMul) per tensor uint8, sₐ = (max(x, 0) − min(x, 0)) / 255;
int4 / int8_blocks accuracy_level 4 (MatMulNBits) int8 per row and block of K, sₐ = max |x_block| / 127; ε = 1e-5 ·
(Σ_k |x[m, k]|·|Ŵ[n, k]| + |b[n]|) + 1e-6 allows for float32 accumulation (K·2⁻²⁴ ≈ 5e-6 relative at K = 80).
"""
from pathlib import Path

import numpy as np
from onnx import TensorProto

from . import quant
from .onnx_graph_vision import OnnxGraphBuilder

M, K, N = 7, 80, 24          # K = 80: not a whole number of 32-blocks, so the int4 padding is exercised too
BLOCK = 32


def _graph(weight, bias, variant):
    g = OnnxGraphBuilder(f"linear_{variant}")
    x = g.input("x", TensorProto.FLOAT, ["m", K])
    if variant == "fp32":
        y = quant.make_linear_fp32(g, "linear", x, weight, bias)
    elif variant == "int8":
        y = quant.make_linear_int8(g, "linear", x, weight, bias)
    elif variant == "int8_blocks":
        y = quant.make_linear_int8_blocks(g, "linear", x, weight, bias, block_size=BLOCK, accuracy_level=4)
    else:
        level = {"int4_acc4": 4, "int4_acc0": 0}[variant]
        y = quant.make_linear_int4(g, "linear", x, weight, bias, block_size=BLOCK, accuracy_level=level)
    g.node("Identity", [y], "out", outputs=["y"])
    g.output("y", TensorProto.FLOAT, ["m", N])
    return g


def activation_steps(x, precision):
    if precision == "int8":        # DynamicQuantizeMatMul: one uint8 step for the whole tensor
        step = (max(float(x.max()), 0.0) - min(float(x.min()), 0.0)) / 255.0
        return np.full(x.shape, step)
    blocks = quant.int4_blocks(x.shape[1], BLOCK)
    padded = np.zeros((x.shape[0], blocks * BLOCK))
    padded[:, :x.shape[1]] = np.abs(x)
    amax = padded.reshape(x.shape[0], blocks, BLOCK).max(axis=2) / 127.0
    return np.repeat(amax, BLOCK, axis=1)[:, :x.shape[1]]


def error_bound(x, weight, dequant, bias, precision):
    x, w, wq = (a.astype(np.float64) for a in (x, weight, dequant))
    weight_part = np.abs(x) @ np.abs(w - wq).T
    activation_part = (activation_steps(x, precision) / 2) @ np.abs(wq).T
    rounding = 1e-5 * (np.abs(x) @ np.abs(wq).T + np.abs(bias)) + 1e-6
    return weight_part + activation_part + rounding


def write_fixtures(out_dir, seed=7):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((M, K)).astype(np.float32)
    x[0, :5] = [6.0, -4.5, 0.0, 3.25, -7.0]          # outliers: per-block activation scales differ
    weight = (rng.standard_normal((N, K)) * 0.1).astype(np.float32)
    weight[3] = 0.0                                   # an all-zero row: scale must not divide by zero
    bias = (rng.standard_normal(N) * 0.5).astype(np.float32)
    np.save(out / "x.npy", x)
    np.save(out / "y_fp32.npy", (x.astype(np.float64) @ weight.T.astype(np.float64) + bias).astype(np.float32))
    codes, scales = quant.quantize_int8_per_channel(weight)
    packed, scales4 = quant.quantize_int4_blocks(weight, BLOCK)
    codes8, scales8 = quant.quantize_int8_blocks(weight, BLOCK)
    dequant = {"int8": quant.dequantize_int8(codes, scales), "int4": quant.dequantize_int4(packed, scales4, K),
               "int8_blocks": quant.dequantize_int8_blocks(codes8, scales8, K)}
    for precision, wq in dequant.items():
        np.save(out / f"y_dequant_{precision}.npy", (x.astype(np.float64) @ wq.T.astype(np.float64) + bias).astype(np.float32))
        np.save(out / f"bound_{precision}.npy", error_bound(x, weight, wq, bias, precision).astype(np.float32))
    for variant in ("fp32", "int8", "int8_blocks", "int4_acc4", "int4_acc0"):
        _graph(weight, bias, variant).save(out, f"linear_{variant}")
    return out
