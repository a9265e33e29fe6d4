"""Weight quantizers (numpy) and the linear-layer node emitters of the fused graphs.

Every emitter takes the builder `g` (OnnxGraphBuilder, or anything with the same `weight`/`node` methods), a name
prefix (the HF module name, e.g. `model.visual.blocks.0.attn.qkv`), the activation `x` (2-D [M, K], or N-D for the
quantized ops), the weight in HF layout `[out, in]` and an optional bias `[out]`. Weights may be numpy arrays or
`Placeholder`s (manifest-only builds): a quantized placeholder gets the fill kinds of `manifest.py`.

int8 — per-output-channel symmetric weights, `com.microsoft.DynamicQuantizeMatMul`:
    scale[n] = max_k |W[n, k]| / 127 (0 for an all-zero row), q = clip(round(W / scale), −127, 127) (int8),
    B = q.T ([K, N], int8), zero point 0. ONNX Runtime quantizes the activations per tensor to uint8 at run time.
int4 — `com.microsoft.MatMulNBits`, bits 4, symmetric blocks of `block_size` along K (K padded with zeros to a whole
    number of blocks), no zero-point input (implicit zero point 8):
    per (n, block): m = the element of largest magnitude (signed), scale = m / −8 (so m maps to code 0 exactly;
    0 for an all-zero block, whose codes are then all 8 — a scale of 0 keeps the kernel's zero-point term exactly 0),
    code = clip(round(w / scale) + 8, 0, 15), w ≈ (code − 8) · scale.
    Packing: B[n, b, j] = code[2j] | code[2j+1] << 4 (element 2j in the low nibble), shape [N, K/bs, bs/2] uint8;
    scales float32 [N, K/bs]. accuracy_level 4 = int8 activations (per block, computed by MLAS at run time).
int8 blocks — `MatMulNBits` bits 8 (ONNX Runtime 1.31's CPU kernel runs it, accuracy_level 0 and 4; checked from
    C#): per (n, block) scale = max |w| / 127, code = clip(round(w / scale), −127, 127) + 128 (uint8, implicit zero
    point 128), B [N, K/bs, bs], scales [N, K/bs]. An alternative int8 kernel for large-M (prefill) products.
"""
import numpy as np

from .. import manifest as mf
from .onnx_graph_vision import MS_DOMAIN, Placeholder

PRECISIONS = ("fp32", "int8", "int4")


# --- int8 --------------------------------------------------------------------------------------------------------
def quantize_int8_per_channel(weight_out_in):
    """Returns (codes int8 [out, in], scales float32 [out])."""
    w = np.asarray(weight_out_in, dtype=np.float32)
    if w.ndim != 2:
        raise ValueError(f"weight must be [out, in], got shape {w.shape}")
    amax = np.abs(w).max(axis=1)
    scales = (amax / np.float32(127)).astype(np.float32)
    safe = np.where(scales > 0, scales, np.float32(1))
    codes = np.clip(np.rint(w / safe[:, None]), -127, 127).astype(np.int8)
    return codes, scales


def dequantize_int8(codes, scales):
    return codes.astype(np.float32) * scales[:, None].astype(np.float32)


# --- int4 --------------------------------------------------------------------------------------------------------
def pack_nibbles(codes):
    """[..., 2j] low nibble, [..., 2j+1] high nibble; the last axis must be even."""
    codes = np.asarray(codes, dtype=np.uint8)
    if codes.shape[-1] % 2:
        raise ValueError("nibble packing needs an even last axis")
    if codes.size and codes.max() > 15:
        raise ValueError("4-bit codes must be 0..15")
    return (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)


def unpack_nibbles(packed):
    packed = np.asarray(packed, dtype=np.uint8)
    out = np.empty(packed.shape[:-1] + (packed.shape[-1] * 2,), dtype=np.uint8)
    out[..., 0::2] = packed & 0x0F
    out[..., 1::2] = packed >> 4
    return out


def int4_blocks(in_features, block_size):
    if block_size < 16 or block_size & (block_size - 1):
        raise ValueError(f"block_size must be a power of two >= 16, got {block_size}")
    return -(-in_features // block_size)


def _blocks_of(weight_out_in, block_size):
    """The [out, in] weight as float32 blocks [N, blocks, block_size] along `in`, zero-padded to whole blocks."""
    w = np.asarray(weight_out_in, dtype=np.float32)
    if w.ndim != 2:
        raise ValueError(f"weight must be [out, in], got shape {w.shape}")
    n, k = w.shape
    blocks = int4_blocks(k, block_size)
    padded = np.zeros((n, blocks * block_size), dtype=np.float32)
    padded[:, :k] = w
    return padded.reshape(n, blocks, block_size)


def quantize_int4_blocks(weight_out_in, block_size=32):
    """Returns (packed uint8 [N, blocks, block_size/2], scales float32 [N, blocks])."""
    grouped = _blocks_of(weight_out_in, block_size)
    index = np.abs(grouped).argmax(axis=2)
    extreme = np.take_along_axis(grouped, index[..., None], axis=2)[..., 0]
    scales = (extreme / np.float32(-8)).astype(np.float32)
    safe = np.where(scales != 0, scales, np.float32(1))
    codes = np.clip(np.rint(grouped / safe[..., None]) + 8, 0, 15).astype(np.uint8)
    return pack_nibbles(codes), scales


def dequantize_int4(packed, scales, in_features):
    codes = unpack_nibbles(packed).astype(np.float32) - 8
    w = codes * scales[..., None]
    return w.reshape(w.shape[0], -1)[:, :in_features]


def quantize_int8_blocks(weight_out_in, block_size=32):
    """Returns (codes uint8 [N, blocks, block_size], scales float32 [N, blocks]) for MatMulNBits bits 8."""
    grouped = _blocks_of(weight_out_in, block_size)
    scales = (np.abs(grouped).max(axis=2) / np.float32(127)).astype(np.float32)
    safe = np.where(scales > 0, scales, np.float32(1))
    codes = (np.clip(np.rint(grouped / safe[..., None]), -127, 127) + 128).astype(np.uint8)
    return codes, scales


def dequantize_int8_blocks(codes, scales, in_features):
    w = (codes.astype(np.float32) - 128) * scales[..., None]
    return w.reshape(w.shape[0], -1)[:, :in_features]


# --- node emitters -----------------------------------------------------------------------------------------------
def _out_in(weight):
    shape = tuple(weight.shape)
    if len(shape) != 2:
        raise ValueError(f"linear weight must be [out, in], got {shape}")
    return shape


def _bias(g, name, bias, out_features):
    if bias is None:
        return ""
    if tuple(bias.shape) != (out_features,):
        raise ValueError(f"{name}: bias shape {tuple(bias.shape)} does not match {out_features} outputs")
    return g.weight(f"{name}.bias", bias)


def make_linear_fp32(g, name, x, weight_out_in, bias=None):
    """Gemm(x, W, b, transB=1): x must be 2-D; the weight keeps its HF name and layout."""
    out_features, _ = _out_in(weight_out_in)
    w = g.weight(f"{name}.weight", weight_out_in)
    return g.node("Gemm", [x, w, _bias(g, name, bias, out_features)], name, transB=1)


def make_linear_int8(g, name, x, weight_out_in, bias=None):
    """DynamicQuantizeMatMul with per-output-channel int8 weights (see the module docstring)."""
    out_features, in_features = _out_in(weight_out_in)
    if isinstance(weight_out_in, Placeholder):
        codes_t = Placeholder((in_features, out_features), "int8", {"kind": "int8_random"})
        scales = Placeholder((out_features,), "float32", {"kind": "constant", "value": mf.INT8_RANDOM_SCALE})
        zero = Placeholder((out_features,), "int8", {"kind": "zeros"})
    else:
        codes, scales = quantize_int8_per_channel(weight_out_in)
        codes_t = np.ascontiguousarray(codes.T)
        zero = np.zeros(out_features, dtype=np.int8)
    inputs = [x, g.weight(f"{name}.weight_int8", codes_t), g.weight(f"{name}.weight_scale", scales),
              g.weight(f"{name}.weight_zero_point", zero), _bias(g, name, bias, out_features)]
    return g.node("DynamicQuantizeMatMul", inputs, name, domain=MS_DOMAIN)


def make_linear_int4(g, name, x, weight_out_in, bias=None, block_size=32, accuracy_level=4):
    """MatMulNBits, bits 4, symmetric blocks (see the module docstring); the bias goes into the op."""
    out_features, in_features = _out_in(weight_out_in)
    blocks = int4_blocks(in_features, block_size)
    if isinstance(weight_out_in, Placeholder):
        packed = Placeholder((out_features, blocks, block_size // 2), "uint8", {"kind": "uint4_packed_random"})
        scales = Placeholder((out_features, blocks), "float32", {"kind": "constant", "value": mf.INT4_RANDOM_SCALE})
    else:
        packed, scales = quantize_int4_blocks(weight_out_in, block_size)
    inputs = [x, g.weight(f"{name}.weight_int4", packed), g.weight(f"{name}.weight_scales", scales), "", "",
              _bias(g, name, bias, out_features)]
    while inputs[-1] == "":
        inputs.pop()
    return g.node("MatMulNBits", inputs, name, domain=MS_DOMAIN, K=in_features, N=out_features, bits=4,
                  block_size=block_size, accuracy_level=accuracy_level)


def make_linear_int8_blocks(g, name, x, weight_out_in, bias=None, block_size=32, accuracy_level=4):
    """MatMulNBits bits 8, symmetric blocks (see the module docstring)."""
    out_features, in_features = _out_in(weight_out_in)
    blocks = int4_blocks(in_features, block_size)
    if isinstance(weight_out_in, Placeholder):
        codes = Placeholder((out_features, blocks, block_size), "uint8", {"kind": "uint8_random"})
        scales = Placeholder((out_features, blocks), "float32", {"kind": "constant", "value": mf.RANDOM_WEIGHT_STD / 73.9})
    else:
        codes, scales = quantize_int8_blocks(weight_out_in, block_size)
    inputs = [x, g.weight(f"{name}.weight_uint8", codes), g.weight(f"{name}.weight_scales", scales), "", "",
              _bias(g, name, bias, out_features)]
    while inputs[-1] == "":
        inputs.pop()
    return g.node("MatMulNBits", inputs, name, domain=MS_DOMAIN, K=in_features, N=out_features, bits=8,
                  block_size=block_size, accuracy_level=accuracy_level)


def make_linear(g, name, x, weight_out_in, bias=None, precision="fp32", block_size=32, accuracy_level=4):
    """The one entry point the graph builders use: the linear layer in the package's precision."""
    if precision == "fp32":
        return make_linear_fp32(g, name, x, weight_out_in, bias)
    if precision == "int8":
        return make_linear_int8(g, name, x, weight_out_in, bias)
    if precision == "int4":
        return make_linear_int4(g, name, x, weight_out_in, bias, block_size, accuracy_level)
    raise ValueError(f"unknown precision {precision!r}; expected one of {PRECISIONS}")
