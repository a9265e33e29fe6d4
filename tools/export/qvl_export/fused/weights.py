"""Where the decoder's weights come from: a legacy package's graph, a PyTorch HF model, or shapes only."""
import numpy as np
import onnx
from onnx import numpy_helper

from . import decoder
from .graph import WeightSpec
from .. import manifest as mf


class WeightResolutionError(ValueError):
    """A weight the fused graph needs cannot be found (or is ambiguous) in the source."""


def from_legacy_graph(path, dims):
    """{HF name: array} from a legacy decoder_model_merged.onnx with embedded weights.

    The legacy exporter merged initializers with identical contents (model-package.md §10): a merged tensor
    keeps one HF name, and every other name it stands for survives only as the output of an `Identity` node whose
    input is that initializer (torch's export keeps the module's parameter name there). Each name is resolved
    either as an initializer or through exactly one such Identity; anything else is an error, never a guess.
    Returns (weights, aliases) with aliases {alias name: initializer it resolved to}.
    """
    model = onnx.load(str(path))
    inits = {t.name: t for t in model.graph.initializer}
    alias_sources = {}
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in inits:
            alias_sources.setdefault(node.output[0], set()).add(node.input[0])
    weights, aliases = {}, {}
    for name in decoder.required_weights(dims):
        if name in inits:
            source = name
        elif name in alias_sources:
            sources = alias_sources[name]
            if len(sources) != 1:
                raise WeightResolutionError(f"{name} is an Identity of several initializers: {sorted(sources)}")
            source = next(iter(sources))
            aliases[name] = source
        else:
            raise WeightResolutionError(f"{name} is neither an initializer nor an Identity alias in {path}")
        weights[name] = numpy_helper.to_array(inits[source]).astype(np.float32, copy=False)
    return weights, aliases


def from_torch_model(model, dims):
    """{HF name: float32 array} from a transformers Qwen3-VL model (state_dict names as in §10)."""
    state = model.state_dict()
    weights = {}
    for name in decoder.required_weights(dims):
        if name not in state:
            raise WeightResolutionError(f"the checkpoint has no {name}")
        weights[name] = state[name].detach().to("cpu").float().numpy()
    return weights


def shape_specs(dims):
    """{HF name: WeightSpec} for a package without weights: norms 'ones', everything else 'normal' (§10)."""
    h, hd, inter = dims.hidden, dims.head_dim, dims.intermediate

    def normal(*shape):
        return WeightSpec(shape, "normal", mean=0.0, std=mf.RANDOM_WEIGHT_STD)

    def ones(n):
        return WeightSpec((n,), "ones")

    specs = {decoder.EMBEDDING: normal(dims.vocab, h), decoder.PREFIX + "norm.weight": ones(h)}
    if not dims.tied:
        specs["lm_head.weight"] = normal(dims.vocab, h)
    for i in range(dims.layers):
        layer = f"{decoder.PREFIX}layers.{i}."
        specs.update({
            layer + "input_layernorm.weight": ones(h), layer + "post_attention_layernorm.weight": ones(h),
            layer + "self_attn.q_proj.weight": normal(dims.q_size, h),
            layer + "self_attn.k_proj.weight": normal(dims.kv_size, h),
            layer + "self_attn.v_proj.weight": normal(dims.kv_size, h),
            layer + "self_attn.o_proj.weight": normal(h, dims.q_size),
            layer + "self_attn.q_norm.weight": ones(hd), layer + "self_attn.k_norm.weight": ones(hd),
            layer + "mlp.gate_proj.weight": normal(inter, h), layer + "mlp.up_proj.weight": normal(inter, h),
            layer + "mlp.down_proj.weight": normal(h, inter)})
    return specs
