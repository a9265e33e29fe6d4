"""The fused vision encoder graph (`onnx/vision_fused.onnx`): same inputs and outputs as model-package.md §4.

Per block: LayerNormalization → one packed QKV linear → Split → com.microsoft RotaryEmbedding on q and k (2-D
vision RoPE: the per-patch cos/sin table is computed once in the graph from rotary_pos_ids and indexed by patch
number) → com.microsoft MultiHeadAttention (bidirectional over the N patches; ONNX Runtime's CPU kernel runs it
flash-style without a score matrix) → proj + residual → LayerNormalization → fc1 → FastGelu (tanh GELU, bias
fused) → fc2 + residual. Patch embedding (Conv3d with stride = kernel) is one linear layer over the patch rows.
Mergers: LayerNorm → [N/4, 4·d] → fc1 → BiasGelu (erf GELU, bias fused) → fc2; DeepStack mergers after the blocks
of `deepstack_visual_indexes` (LayerNorm after the 2×2 shuffle). Linear layers go through `quant.make_linear`, so
`precision` int8 / int4 quantizes every one of them; norms, position table and attention stay fp32.
"""
from dataclasses import dataclass

import numpy as np
from onnx import TensorProto

from .. import manifest as mf
from . import quant
from .onnx_graph_vision import MS_DOMAIN, OnnxGraphBuilder, Placeholder

PREFIX = "model.visual"
LAYER_NORM_EPS = 1e-6
SUPPORTED_ACT = "gelu_pytorch_tanh"


@dataclass(frozen=True)
class VisionDims:
    depth: int
    hidden: int
    heads: int
    intermediate: int
    out_hidden: int
    patch: int
    temporal_patch: int
    merge: int
    in_channels: int
    num_positions: int
    deepstack: tuple
    rope_theta: float

    @property
    def head_dim(self):
        return self.hidden // self.heads

    @property
    def row_length(self):
        return self.in_channels * self.temporal_patch * self.patch * self.patch

    @property
    def merged_width(self):
        return self.hidden * self.merge * self.merge

    @staticmethod
    def from_config(vision_config):
        c = vision_config
        act = c.get("hidden_act", SUPPORTED_ACT)
        if act != SUPPORTED_ACT:
            raise ValueError(f"vision hidden_act {act!r} is not supported (only {SUPPORTED_ACT})")
        dims = VisionDims(
            depth=c["depth"], hidden=c["hidden_size"], heads=c["num_heads"], intermediate=c["intermediate_size"],
            out_hidden=c["out_hidden_size"], patch=c["patch_size"], temporal_patch=c["temporal_patch_size"],
            merge=c["spatial_merge_size"], in_channels=c.get("in_channels", 3),
            num_positions=c["num_position_embeddings"], deepstack=tuple(c["deepstack_visual_indexes"]),
            rope_theta=float(c.get("rope_parameters", {}).get("rope_theta", 10000.0)))
        if dims.hidden % dims.heads or dims.head_dim % 4:
            raise ValueError(f"vision head dim {dims.hidden}/{dims.heads} must be a multiple of 4 (2-D RoPE)")
        if not dims.deepstack or any(i < 0 or i >= dims.depth for i in dims.deepstack):
            raise ValueError(f"deepstack_visual_indexes {list(dims.deepstack)} must be non-empty and < depth {dims.depth}")
        return dims


def weight_shapes(dims):
    """{HF name: (shape, module type)} of every vision parameter the fused graph reads."""
    h, i4 = dims.hidden, dims.merged_width
    shapes = {
        f"{PREFIX}.patch_embed.proj.weight": ((h, dims.in_channels, dims.temporal_patch, dims.patch, dims.patch), "Conv3d"),
        f"{PREFIX}.patch_embed.proj.bias": ((h,), "Conv3d"),
        f"{PREFIX}.pos_embed.weight": ((dims.num_positions, h), "Embedding"),
    }
    for b in range(dims.depth):
        p = f"{PREFIX}.blocks.{b}"
        for norm in ("norm1", "norm2"):
            shapes[f"{p}.{norm}.weight"] = ((h,), "LayerNorm")
            shapes[f"{p}.{norm}.bias"] = ((h,), "LayerNorm")
        for layer, (out, inp) in (("attn.qkv", (3 * h, h)), ("attn.proj", (h, h)),
                                  ("mlp.linear_fc1", (dims.intermediate, h)), ("mlp.linear_fc2", (h, dims.intermediate))):
            shapes[f"{p}.{layer}.weight"] = ((out, inp), "Linear")
            shapes[f"{p}.{layer}.bias"] = ((out,), "Linear")
    mergers = [(f"{PREFIX}.merger", h)] + [(f"{PREFIX}.deepstack_merger_list.{k}", i4) for k in range(len(dims.deepstack))]
    for p, norm_width in mergers:
        shapes[f"{p}.norm.weight"] = ((norm_width,), "LayerNorm")
        shapes[f"{p}.norm.bias"] = ((norm_width,), "LayerNorm")
        shapes[f"{p}.linear_fc1.weight"] = ((i4, i4), "Linear")
        shapes[f"{p}.linear_fc1.bias"] = ((i4,), "Linear")
        shapes[f"{p}.linear_fc2.weight"] = ((dims.out_hidden, i4), "Linear")
        shapes[f"{p}.linear_fc2.bias"] = ((dims.out_hidden,), "Linear")
    return shapes


def placeholder_weights(dims):
    """Shape-only weights with the §10 fill kinds (random benchmark packages, --manifest-only)."""
    return {name: Placeholder(tuple(shape), "float32", mf.float_kind_for_parameter(name, module))
            for name, (shape, module) in weight_shapes(dims).items()}


def check_weights(weights, dims):
    """Every parameter is there with its shape; raises naming the first problem."""
    for name, (shape, _) in weight_shapes(dims).items():
        if name not in weights:
            raise KeyError(f"vision weight {name} is missing")
        if tuple(weights[name].shape) != tuple(shape):
            raise ValueError(f"vision weight {name} has shape {tuple(weights[name].shape)}, expected {tuple(shape)}")


def _reshaped(value, shape):
    if isinstance(value, Placeholder):
        return Placeholder(tuple(shape), value.dtype, value.kind)
    return np.asarray(value, dtype=np.float32).reshape(shape)


def rotary_inv_freq(dims):
    """HF VisionRotaryEmbedding(head_dim / 2): 1 / theta^(arange(0, dim, 2) / dim), in float32."""
    dim = dims.head_dim // 2
    exponent = np.arange(0, dim, 2, dtype=np.float32) / np.float32(dim)
    return (np.float32(1) / np.power(np.float32(dims.rope_theta), exponent, dtype=np.float32)).astype(np.float32)


class _VisionBuilder:
    def __init__(self, weights, dims, precision, block_size, accuracy_level):
        self.g = OnnxGraphBuilder("qwen3_vl_vision_fused")
        self.w = weights
        self.dims = dims
        self.precision = precision
        self.block_size = block_size
        self.accuracy_level = accuracy_level

    def linear(self, module, x, bias=True, weight=None):
        return quant.make_linear(self.g, module, x, self.w[f"{module}.weight"] if weight is None else weight,
                                 self.w[f"{module}.bias"] if bias else None, self.precision, self.block_size,
                                 self.accuracy_level)

    def layer_norm(self, module, x):
        g = self.g
        return g.node("LayerNormalization", [x, g.weight(f"{module}.weight", self.w[f"{module}.weight"]),
                                             g.weight(f"{module}.bias", self.w[f"{module}.bias"])],
                      module, axis=-1, epsilon=LAYER_NORM_EPS)

    def build(self):
        g, d = self.g, self.dims
        pixels = g.input("pixel_values", TensorProto.FLOAT, ["num_patches", d.row_length])
        idx = g.input("pos_embed_idx", TensorProto.INT64, [4, "num_patches"])
        pos_w = g.input("pos_embed_weight", TensorProto.FLOAT, [4, "num_patches"])
        rotary_ids = g.input("rotary_pos_ids", TensorProto.INT64, ["num_patches", 2])

        # Conv3d with stride = kernel over [N, C, t, p, p] patch rows = one linear layer over the flattened row.
        patch = f"{PREFIX}.patch_embed.proj"
        x = self.linear(patch, pixels, weight=_reshaped(self.w[f"{patch}.weight"], (d.hidden, d.row_length)))
        x = g.node("Add", [x, self.position_embedding(idx, pos_w)], f"{PREFIX}.pos_embed")
        cos, sin, positions = self.rotary_tables(pixels, rotary_ids)

        deepstack = []
        for b in range(d.depth):
            x = self.block(b, x, cos, sin, positions)
            if b in d.deepstack:
                k = d.deepstack.index(b)
                deepstack.append((k, self.merger(f"{PREFIX}.deepstack_merger_list.{k}", x, norm_after_shuffle=True)))
        deepstack = [out for _, out in sorted(deepstack)]

        features = self.merger(f"{PREFIX}.merger", x, norm_after_shuffle=False, output="image_features")
        stacked = [g.node("Unsqueeze", [f, g.const([0], dtype=np.int64)], f"deepstack.{k}") for k, f in enumerate(deepstack)]
        g.node("Concat", stacked, "deepstack", outputs=["deepstack_features"], axis=0)
        g.output("image_features", TensorProto.FLOAT, ["num_merged_tokens", d.out_hidden])
        g.output("deepstack_features", TensorProto.FLOAT, [len(d.deepstack), "num_merged_tokens", d.out_hidden])
        return g

    def position_embedding(self, idx, pos_w):
        """Σ_k pos_embed[idx[k]] · w[k]: Gather [4, N, d] · w[4, N, 1] summed over the 4 corners."""
        g, name = self.g, f"{PREFIX}.pos_embed"
        table = g.weight(f"{name}.weight", self.w[f"{name}.weight"])
        rows = g.node("Gather", [table, idx], name, axis=0)
        weights = g.node("Unsqueeze", [pos_w, g.const([2], dtype=np.int64)], name)
        return g.node("ReduceSum", [g.node("Mul", [rows, weights], name), g.const([0], dtype=np.int64)], name,
                      keepdims=0)

    def rotary_tables(self, pixels, rotary_ids):
        """cos/sin [N, head_dim/2] of the angles [r·inv_freq, c·inv_freq] and position ids [1, N] = 0…N−1."""
        g, d, name = self.g, self.dims, "rotary"
        rc = g.node("Unsqueeze", [g.node("Cast", [rotary_ids], name, to=TensorProto.FLOAT),
                                  g.const([2], dtype=np.int64)], name)
        angles = g.node("Mul", [rc, g.const(rotary_inv_freq(d), name="rotary.inv_freq")], name)
        angles = g.node("Reshape", [angles, g.const([-1, d.head_dim // 2], dtype=np.int64)], name)
        cos = g.node("Cos", [angles], name)
        sin = g.node("Sin", [angles], name)
        count = g.node("Shape", [pixels], name, start=0, end=1)
        count = g.node("Squeeze", [count, g.const([0], dtype=np.int64)], name)
        positions = g.node("Range", [g.const(np.int64(0)), count, g.const(np.int64(1))], name)
        positions = g.node("Unsqueeze", [positions, g.const([0], dtype=np.int64)], name)
        return cos, sin, positions

    def block(self, b, x, cos, sin, positions):
        g, d = self.g, self.dims
        p = f"{PREFIX}.blocks.{b}"
        h = self.layer_norm(f"{p}.norm1", x)
        qkv = self.linear(f"{p}.attn.qkv", h)
        qkv = g.node("Unsqueeze", [qkv, g.const([0], dtype=np.int64)], f"{p}.attn")
        q, k, v = g.node("Split", [qkv, g.const([d.hidden] * 3, dtype=np.int64)], f"{p}.attn", outputs=3, axis=2)
        q = g.node("RotaryEmbedding", [q, positions, cos, sin], f"{p}.attn.q_rotary", domain=MS_DOMAIN,
                   num_heads=d.heads, interleaved=0)
        k = g.node("RotaryEmbedding", [k, positions, cos, sin], f"{p}.attn.k_rotary", domain=MS_DOMAIN,
                   num_heads=d.heads, interleaved=0)
        a = g.node("MultiHeadAttention", [q, k, v], f"{p}.attn", domain=MS_DOMAIN, num_heads=d.heads,
                   scale=float(d.head_dim) ** -0.5)
        a = g.node("Squeeze", [a, g.const([0], dtype=np.int64)], f"{p}.attn")
        x = g.node("Add", [x, self.linear(f"{p}.attn.proj", a)], f"{p}.attn_residual")
        h = self.layer_norm(f"{p}.norm2", x)
        h = self.linear(f"{p}.mlp.linear_fc1", h, bias=False)
        h = g.node("FastGelu", [h, g.weight(f"{p}.mlp.linear_fc1.bias", self.w[f"{p}.mlp.linear_fc1.bias"])],
                   f"{p}.mlp.act_fn", domain=MS_DOMAIN)
        return g.node("Add", [x, self.linear(f"{p}.mlp.linear_fc2", h)], f"{p}.mlp_residual")

    def merger(self, p, x, norm_after_shuffle, output=None):
        g, d = self.g, self.dims
        shuffle = g.const([-1, d.merged_width], dtype=np.int64)
        if norm_after_shuffle:
            h = self.layer_norm(f"{p}.norm", g.node("Reshape", [x, shuffle], p))
        else:
            h = g.node("Reshape", [self.layer_norm(f"{p}.norm", x), shuffle], p)
        h = self.linear(f"{p}.linear_fc1", h, bias=False)
        h = g.node("BiasGelu", [h, g.weight(f"{p}.linear_fc1.bias", self.w[f"{p}.linear_fc1.bias"])], f"{p}.act_fn",
                   domain=MS_DOMAIN)
        out = self.linear(f"{p}.linear_fc2", h)
        if output is not None:
            g.node("Identity", [out], p, outputs=[output])
        return out


def build_vision_graph(weights, vision_config, precision="fp32", block_size=32, accuracy_level=4):
    """The graph builder (call .save) of the fused vision encoder. weights: {HF name: array or Placeholder}."""
    if precision not in quant.PRECISIONS:
        raise ValueError(f"unknown vision precision {precision!r}")
    dims = VisionDims.from_config(vision_config)
    check_weights(weights, dims)
    return _VisionBuilder(weights, dims, precision, block_size, accuracy_level).build()
