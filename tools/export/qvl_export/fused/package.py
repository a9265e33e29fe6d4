"""The fused decoder of one package, for export.py: from a PyTorch model (or shapes only), in a precision."""
from . import text_dims, weights as fw, writer
from .decoder import build_decoder
from .decoder_quant import linear_for, lm_head_for

GRAPH = "decoder_fused"
PREFILL_GRAPH = "decoder_fused_prefill"


def _build(weights, dims, precision, options):
    return build_decoder(weights, dims, linear=linear_for(precision, **options), lm_head=lm_head_for(precision, **options))


def write_fused_decoder(model, onnx_dir, precision, mode, log, options=None):
    """Builds decoder_fused.onnx (+ data or manifest) and onnx/fused.json. mode: 'auto' / 'external' /
    'embedded' with the model's weights, or 'manifest' with shapes only. int4 packages also get
    decoder_fused_prefill.onnx, the same weights in int8 for prompt chunks (docs/fused-package.md)."""
    dims = text_dims.from_config(model.config.to_dict())
    weights = fw.shape_specs(dims) if mode == "manifest" else fw.from_torch_model(model, dims)
    options = options or {}
    quant_options = dict(block_size=options.get("block_size", 32), accuracy_level=options.get("accuracy_level", 4))
    summary = writer.write_graph(_build(weights, dims, precision, quant_options), onnx_dir, GRAPH, mode)
    if precision == "int4":
        prefill = writer.write_graph(_build(weights, dims, "int8", quant_options), onnx_dir, PREFILL_GRAPH, mode)
        log(f"wrote {PREFILL_GRAPH} (int8 prompt chunks): {prefill}")
    info = writer.write_fused_json(onnx_dir, precision=precision, **quant_options)
    log(f"wrote {GRAPH}: {summary}; fused.json {info}")
    return summary
