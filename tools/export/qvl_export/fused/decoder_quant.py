"""The decoder's projections in a package precision: quant.py's emitters (written against OnnxGraphBuilder:
`weight()`, `Placeholder`) adapted to the decoder's GraphBuilder (`initializer()`, `WeightSpec`).

int8 packages use DynamicQuantizeMatMul (per-channel int8 weights) by default: measured from C# with
`qwenvl bench --scenarios linear` on ONNX Runtime 1.32.0, it is 2.7–2.9× faster (medians) than MatMulNBits bits 8 at prefill
sizes (M = 270, 512) and on a par at decode sizes (figures in docs/fused-package.md); `int8_kernel="nbits"` builds
the other one.
The tied lm_head is quantized with the rest (its own copy of the embedding, named `lm_head.*`), so a quantized
decoder holds no fp32 embedding.
"""
from . import quant
from .graph import WeightSpec
from .linear import make_linear as make_linear_fp32
from .onnx_graph_vision import Placeholder

INT8_KERNELS = ("dqmm", "nbits")


class _EmitterView:
    """What quant.py's emitters call on a builder (`weight`, `node`), mapped onto GraphBuilder."""

    def __init__(self, builder):
        self._builder = builder

    def weight(self, name, value):
        if isinstance(value, Placeholder):
            kind = dict(value.kind)
            value = WeightSpec(value.shape, kind.pop("kind"), dtype=value.dtype, **kind)
        return self._builder.initializer(name, value)

    def node(self, op_type, inputs, name, outputs=1, domain="", **attrs):
        return self._builder.node(op_type, inputs, name, outputs=outputs, domain=domain, **attrs)


def _emitter_weight(weight):
    if isinstance(weight, WeightSpec):
        return Placeholder(weight.shape, weight.dtype.name, dict(weight.kind))
    return weight


def linear_for(precision, block_size=32, accuracy_level=4, int8_kernel="dqmm"):
    """(builder, name, x, weight_out_in) -> output for decoder.build_decoder(linear=...)."""
    if precision not in quant.PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; expected one of {quant.PRECISIONS}")
    if int8_kernel not in INT8_KERNELS:
        raise ValueError(f"unknown int8 kernel {int8_kernel!r}; expected one of {INT8_KERNELS}")
    if precision == "fp32":
        return make_linear_fp32

    def linear(builder, name, x, weight_out_in):
        view, weight = _EmitterView(builder), _emitter_weight(weight_out_in)
        if precision == "int4":
            return quant.make_linear_int4(view, name, x, weight, None, block_size, accuracy_level)
        if int8_kernel == "nbits":
            return quant.make_linear_int8_blocks(view, name, x, weight, None, block_size, accuracy_level)
        return quant.make_linear_int8(view, name, x, weight)

    return linear


def lm_head_for(precision, **options):
    """The lm_head builder for build_decoder(lm_head=...): None (the tied fp32 Gemm) for fp32, else the quantized
    projection under the name `lm_head`."""
    if precision == "fp32":
        return None
    linear = linear_for(precision, **options)
    return lambda builder, x2d, weight: linear(builder, "lm_head", x2d, weight)
