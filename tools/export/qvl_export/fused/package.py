"""The fused decoder of one package, for export.py: from a PyTorch model (or shapes only), in a precision."""
import importlib

from . import text_dims, weights as fw, writer
from .decoder import build_decoder
from .linear import make_linear

GRAPH = "decoder_fused"


def linear_for(precision):
    """The projection builder of a precision: fp32 here; int8 / int4 from quant.py (make_linear_int8/int4)."""
    if precision == "fp32":
        return make_linear
    try:
        quant = importlib.import_module(f"{__package__}.quant")
    except ModuleNotFoundError as error:
        raise NotImplementedError(f"fused {precision} needs qvl_export/fused/quant.py (make_linear_{precision})") from error
    return getattr(quant, f"make_linear_{precision}")


def write_fused_decoder(model, onnx_dir, precision, mode, log, options=None):
    """Builds decoder_fused.onnx (+ data or manifest) and onnx/fused.json. mode: 'auto' / 'external' /
    'embedded' with the model's weights, or 'manifest' with shapes only."""
    dims = text_dims.from_config(model.config.to_dict())
    weights = fw.shape_specs(dims) if mode == "manifest" else fw.from_torch_model(model, dims)
    summary = writer.write_graph(build_decoder(weights, dims, linear=linear_for(precision)), onnx_dir, GRAPH, mode)
    options = options or {}
    info = writer.write_fused_json(onnx_dir, precision=precision,
                                   block_size=options.get("block_size", 32),
                                   accuracy_level=options.get("accuracy_level", 4))
    log(f"wrote {GRAPH}: {summary}; fused.json {info}")
    return summary
