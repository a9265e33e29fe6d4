"""decoder_fused.onnx (docs/fused-package.md): per layer SkipSimplifiedLayerNormalization, packed QKV, per-head
q/k RMSNorm, RotaryEmbedding on fed MRoPE cos/sin, GroupQueryAttention over shared past/present buffers,
o_proj, packed gate/up, SiLU·up, down, DeepStack; final RMSNorm and the lm_head on the last position only."""
import numpy as np
from onnx import TensorProto

from .graph import MS_DOMAIN, GraphBuilder, concat_rows
from .linear import make_linear, make_tied_lm_head

PREFIX = "model.language_model."
EMBEDDING = PREFIX + "embed_tokens.weight"
INT64_MAX = np.iinfo(np.int64).max


def required_weights(dims):
    """Every HF state-dict name the graph reads."""
    names = [EMBEDDING, PREFIX + "norm.weight"]
    if not dims.tied:
        names.append("lm_head.weight")
    for i in range(dims.layers):
        layer = f"{PREFIX}layers.{i}."
        names += [layer + n for n in (
            "input_layernorm.weight", "post_attention_layernorm.weight",
            "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
            "self_attn.o_proj.weight", "self_attn.q_norm.weight", "self_attn.k_norm.weight",
            "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight")]
    return names


def _check_shapes(weights, dims):
    h, hd, inter = dims.hidden, dims.head_dim, dims.intermediate
    expected = {EMBEDDING: (dims.vocab, h), PREFIX + "norm.weight": (h,), "lm_head.weight": (dims.vocab, h)}
    for i in range(dims.layers):
        layer = f"{PREFIX}layers.{i}."
        expected.update({
            layer + "input_layernorm.weight": (h,), layer + "post_attention_layernorm.weight": (h,),
            layer + "self_attn.q_proj.weight": (dims.q_size, h), layer + "self_attn.k_proj.weight": (dims.kv_size, h),
            layer + "self_attn.v_proj.weight": (dims.kv_size, h), layer + "self_attn.o_proj.weight": (h, dims.q_size),
            layer + "self_attn.q_norm.weight": (hd,), layer + "self_attn.k_norm.weight": (hd,),
            layer + "mlp.gate_proj.weight": (inter, h), layer + "mlp.up_proj.weight": (inter, h),
            layer + "mlp.down_proj.weight": (h, inter)})
    missing = [n for n in required_weights(dims) if n not in weights]
    if missing:
        raise KeyError(f"{len(missing)} decoder weights missing, e.g. {missing[:5]}")
    for name in required_weights(dims):
        if tuple(weights[name].shape) != expected[name]:
            raise ValueError(f"{name} is {tuple(weights[name].shape)}, config says {expected[name]}")


def _rms_norm(b, x, weight, name, eps):
    return b.node("SimplifiedLayerNormalization", [x, weight], name, axis=-1, epsilon=eps, stash_type=1)


def _skip_rms_norm(b, x, skip, weight, name, eps):
    """(normed, x + skip): the residual add fused into the norm."""
    normed, _, _, total = b.node("SkipSimplifiedLayerNormalization", [x, skip, weight], name,
                                 outputs=[f"{name}/out", "", "", f"{name}/sum"], domain=MS_DOMAIN, epsilon=eps)
    return normed, total


def _head_norm(b, x, heads, head_dim, weight, name, eps):
    """Per-head RMSNorm (q_norm / k_norm) over [B, S, heads·hd] viewed as [B, S, heads, hd]."""
    split = b.node("Reshape", [x, b.const(f"{name}/shape4", [0, 0, heads, head_dim])], f"{name}/to_heads")
    normed = _rms_norm(b, split, weight, f"{name}/norm", eps)
    return b.node("Reshape", [normed, b.const(f"{name}/shape3", [0, 0, heads * head_dim])], f"{name}/from_heads")


def _rope_inputs(b, dims):
    """cos/sin caches [B·S, hd/2] (the fed per-token values) and position ids 0…B·S−1 shaped [B, S]: RotaryEmbedding
    then picks row b·S + s for token (b, s), i.e. exactly the fed angle."""
    half = dims.head_dim // 2
    cos = b.node("Reshape", ["rope_cos", b.const("rope/cos_shape", [-1, half])], "rope/cos_rows")
    sin = b.node("Reshape", ["rope_sin", b.const("rope/sin_shape", [-1, half])], "rope/sin_rows")
    shape = b.node("Shape", ["inputs_embeds"], "rope/embeds_shape", end=2)
    count = b.node("ReduceProd", [shape], "rope/token_count", keepdims=0)
    flat = b.node("Range", [b.const("rope/zero", 0), count, b.const("rope/one", 1)], "rope/range")
    positions = b.node("Reshape", [flat, shape], "rope/position_ids")
    return cos, sin, positions


def _deepstack_levels(b, dims):
    """deepstack_embeds [K, B, S, H] → K tensors [B, S, H]. One Split + Squeeze each, explicitly: separate scalar
    Gathers get rewritten by ONNX Runtime's Gather→Split fusion into unsqueezed [1, B, S, H] pieces (seen with 1.32)."""
    if dims.deepstack == 0:
        return []
    parts = b.node("Split", ["deepstack_embeds"], "deepstack/split", outputs=dims.deepstack, axis=0)
    parts = [parts] if dims.deepstack == 1 else parts
    axis = b.const("deepstack/axis", [0])
    return [b.node("Squeeze", [p, axis], f"deepstack/level{i}") for i, p in enumerate(parts)]


def _attention(b, i, h, weights, dims, linear, rope):
    layer = f"{PREFIX}layers.{i}."
    name = f"layers.{i}.attn"
    qkv_weight = concat_rows([weights[layer + f"self_attn.{p}_proj.weight"] for p in "qkv"])
    qkv = linear(b, f"{PREFIX}layers.{i}.self_attn.qkv_proj", h, qkv_weight)
    q, k, v = b.node("Split", [qkv, b.const(f"{name}/split", [dims.q_size, dims.kv_size, dims.kv_size])],
                     f"{name}/split_qkv", outputs=3, axis=-1)
    q = _head_norm(b, q, dims.heads, dims.head_dim, b.initializer(layer + "self_attn.q_norm.weight",
                   weights[layer + "self_attn.q_norm.weight"]), f"{name}/q_norm", dims.rms_eps)
    k = _head_norm(b, k, dims.kv_heads, dims.head_dim, b.initializer(layer + "self_attn.k_norm.weight",
                   weights[layer + "self_attn.k_norm.weight"]), f"{name}/k_norm", dims.rms_eps)
    cos, sin, positions = rope
    q = b.node("RotaryEmbedding", [q, positions, cos, sin], f"{name}/q_rotary", domain=MS_DOMAIN,
               interleaved=0, num_heads=dims.heads)
    k = b.node("RotaryEmbedding", [k, positions, cos, sin], f"{name}/k_rotary", domain=MS_DOMAIN,
               interleaved=0, num_heads=dims.kv_heads)
    attn, _, _ = b.node("GroupQueryAttention",
                        [q, k, v, f"past_key.{i}", f"past_value.{i}", "seqlens_k", "total_sequence_length"],
                        f"{name}/gqa", outputs=[f"{name}/gqa/out", f"present_key.{i}", f"present_value.{i}"],
                        domain=MS_DOMAIN, num_heads=dims.heads, kv_num_heads=dims.kv_heads,
                        scale=float(dims.head_dim ** -0.5), do_rotary=0, local_window_size=-1)
    return linear(b, f"{PREFIX}layers.{i}.self_attn.o_proj", attn, weights[layer + "self_attn.o_proj.weight"])


def _mlp(b, i, h, weights, dims, linear):
    layer = f"{PREFIX}layers.{i}."
    name = f"layers.{i}.mlp"
    gate_up_weight = concat_rows([weights[layer + "mlp.gate_proj.weight"], weights[layer + "mlp.up_proj.weight"]])
    gate_up = linear(b, f"{PREFIX}layers.{i}.mlp.gate_up_proj", h, gate_up_weight)
    gate, up = b.node("Split", [gate_up, b.const(f"{name}/split", [dims.intermediate, dims.intermediate])],
                      f"{name}/split_gate_up", outputs=2, axis=-1)
    silu = b.node("Mul", [gate, b.node("Sigmoid", [gate], f"{name}/sigmoid")], f"{name}/silu")
    act = b.node("Mul", [silu, up], f"{name}/silu_up")
    return linear(b, f"{PREFIX}layers.{i}.mlp.down_proj", act, weights[layer + "mlp.down_proj.weight"])


def _declare_io(b, dims):
    f, i32 = TensorProto.FLOAT, TensorProto.INT32
    kv_shape = ["batch", dims.kv_heads, "kv_capacity", dims.head_dim]
    b.input("inputs_embeds", f, ["batch", "sequence", dims.hidden])
    b.input("deepstack_embeds", f, [dims.deepstack, "batch", "sequence", dims.hidden])
    b.input("rope_cos", f, ["batch", "sequence", dims.head_dim // 2])
    b.input("rope_sin", f, ["batch", "sequence", dims.head_dim // 2])
    b.input("seqlens_k", i32, ["batch"])
    b.input("total_sequence_length", i32, [])
    for i in range(dims.layers):
        b.input(f"past_key.{i}", f, kv_shape)
        b.input(f"past_value.{i}", f, kv_shape)
    b.output("logits", f, ["batch", dims.vocab])
    for i in range(dims.layers):
        b.output(f"present_key.{i}", f, kv_shape)
        b.output(f"present_value.{i}", f, kv_shape)


def build_decoder(weights, dims, linear=make_linear, lm_head=None):
    """weights: {HF name: np.ndarray | WeightSpec}; dims: text_dims.TextDims; linear: the projection builder
    (builder, name, x, weight_out_in) -> output; lm_head: (builder, x2d [B, H], weight [V, H]) -> logits, default
    the tied fp32 Gemm on the embedding (or `linear` when untied). Returns the GraphBuilder (writer.write_graph)."""
    _check_shapes(weights, dims)
    b = GraphBuilder("qwen3_vl_decoder_fused")
    _declare_io(b, dims)
    rope = _rope_inputs(b, dims)
    deepstack = _deepstack_levels(b, dims)
    eps = dims.rms_eps

    def norm_weight(name):
        return b.initializer(name, weights[name])

    hidden = "inputs_embeds"  # the residual stream when it is materialized (first layer, after DeepStack)
    pending = None  # (mlp_out, residual) not yet added: the next norm fuses the add
    for i in range(dims.layers):
        layer = f"{PREFIX}layers.{i}."
        if pending is None:
            residual = hidden
            h = _rms_norm(b, hidden, norm_weight(layer + "input_layernorm.weight"), f"layers.{i}.input_norm", eps)
        else:
            h, residual = _skip_rms_norm(b, pending[0], pending[1], norm_weight(layer + "input_layernorm.weight"),
                                         f"layers.{i}.input_norm", eps)
        attn = _attention(b, i, h, weights, dims, linear, rope)
        h, residual = _skip_rms_norm(b, attn, residual, norm_weight(layer + "post_attention_layernorm.weight"),
                                     f"layers.{i}.post_attention_norm", eps)
        mlp = _mlp(b, i, h, weights, dims, linear)
        if i < dims.deepstack or i == dims.layers - 1:
            # HF: hidden = residual + mlp, then hidden[visual] += deepstack[i] (zeros elsewhere: bit-exact).
            hidden = b.node("Add", [residual, mlp], f"layers.{i}.residual_add")
            if i < dims.deepstack:
                hidden = b.node("Add", [hidden, deepstack[i]], f"layers.{i}.deepstack_add")
            pending = None
        else:
            pending = (mlp, residual)

    last = b.node("Slice", [hidden, b.const("last/start", [-1]), b.const("last/end", [INT64_MAX]),
                            b.const("last/axis", [1])], "last/position")
    normed = _rms_norm(b, last, norm_weight(PREFIX + "norm.weight"), "final_norm", eps)
    flat = b.node("Reshape", [normed, b.const("last/shape", [-1, dims.hidden])], "last/flatten")
    head_weight = weights[EMBEDDING] if dims.tied else weights["lm_head.weight"]
    if lm_head is not None:
        logits = lm_head(b, flat, head_weight)
    elif dims.tied:
        logits = make_tied_lm_head(b, "lm_head", flat, head_weight, EMBEDDING)
    else:
        logits = linear(b, "lm_head", flat, head_weight)
    b.node("Identity", [logits], "logits/identity", outputs=["logits"])
    return b
