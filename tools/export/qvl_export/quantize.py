"""Weight quantization of exported graphs with ONNX Runtime's own quantizers.

int4: block-wise MatMulNBits (onnxruntime.quantization MatMulNBitsQuantizer, RTN), symmetric or with zero points.
int8: dynamic quantization of MatMul weights (quantize_dynamic: per-channel int8 weights, activations quantized at
run time; ONNX Runtime fuses the result into DynamicQuantizeMatMul on CPU).
The embedding Gather (embed_tokens graph) can be int8 (quantize_dynamic) or int4 (GatherBlockQuantized, where the
installed ONNX Runtime supports it). Norms, biases and everything outside MatMul/Gather stay fp32.
"""
import inspect
import tempfile
from pathlib import Path

import onnx

from . import graph_surgery

TIED_OR_HEAD = ("model.language_model.embed_tokens.weight", "lm_head.weight")


class QuantizationError(RuntimeError):
    """The installed ONNX Runtime cannot quantize as asked."""


def _nbits_quantizer_class():
    try:
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    except ImportError:
        try:
            from onnxruntime.quantization.matmul_4bits_quantizer import MatMulNBitsQuantizer
        except ImportError as error:
            raise QuantizationError("onnxruntime.quantization has no MatMulNBitsQuantizer") from error
    return MatMulNBitsQuantizer


def _call_with_supported(factory, **kwargs):
    """Calls factory with the keyword arguments its signature accepts (names moved between ORT releases)."""
    accepted = inspect.signature(factory).parameters
    return factory(**{k: v for k, v in kwargs.items() if k in accepted and v is not None})


def quantize_int4(model, block_size, symmetric, accuracy_level, include=None, exclude=None, op_types=("MatMul",)):
    """MatMulNBits 4-bit quantization of the MatMul (and optionally Gather) nodes with constant weights."""
    quantizer_class = _nbits_quantizer_class()
    params = inspect.signature(quantizer_class).parameters
    kwargs = dict(model=model, block_size=block_size, is_symmetric=symmetric, accuracy_level=accuracy_level,
                  nodes_to_exclude=list(exclude or []), nodes_to_include=list(include) if include else None,
                  op_types_to_quantize=tuple(op_types), bits=4, n_bits=4)
    if "Gather" in op_types and "quant_axes" in params:
        kwargs["quant_axes"] = (("MatMul", 0), ("Gather", 1))
    if include and "nodes_to_include" not in params:
        raise QuantizationError("this onnxruntime's MatMulNBitsQuantizer cannot select nodes to include")
    if "Gather" in op_types and "op_types_to_quantize" not in params:
        raise QuantizationError("this onnxruntime's MatMulNBitsQuantizer cannot quantize Gather")
    quantizer = _call_with_supported(quantizer_class, **kwargs)
    quantizer.process()
    result = quantizer.model.model if hasattr(quantizer.model, "model") else quantizer.model
    return result


def quantize_int8(model, include=None, exclude=None, op_types=("MatMul",)):
    """Dynamic int8 quantization (per-channel symmetric int8 weights) of the selected MatMul / Gather nodes."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="qvl-int8-") as folder:
        source = Path(folder) / "in.onnx"
        target = Path(folder) / "out.onnx"
        onnx.save_model(model, str(source), save_as_external_data=True, all_tensors_to_one_file=True,
                        location="in.onnx_data")
        _call_with_supported(
            quantize_dynamic, model_input=str(source), model_output=str(target),
            op_types_to_quantize=list(op_types), per_channel=True, reduce_range=False,
            weight_type=QuantType.QInt8, nodes_to_quantize=list(include) if include else None,
            nodes_to_exclude=list(exclude or []), use_external_data_format=True,
            extra_options={"MatMulConstBOnly": True, "WeightSymmetric": True})
        return onnx.load(str(target), load_external_data=True)


def lm_head_nodes(model, renamed):
    """MatMul nodes that compute the logits (read the tied embedding or lm_head.weight, transposed)."""
    heads = [new for new, old in renamed.items() if old in TIED_OR_HEAD]
    return graph_surgery.matmuls_reading(model, heads + list(TIED_OR_HEAD))


def quantize_graph(model, precision, options, log, is_decoder):
    """Returns (quantized model, {folded initializer name: original name}). model is not modified."""
    work = graph_surgery.clone(model)
    renamed = graph_surgery.fold_weight_transposes(work)
    renamed.update(graph_surgery.gemm_to_matmul(work))
    graph_surgery.ensure_node_names(work)
    matmuls = [n.name for n in work.graph.node if n.op_type == "MatMul"]
    heads = lm_head_nodes(work, renamed) if is_decoder else []
    head_precision = options.lm_head_precision if options.lm_head_precision != "same" else precision
    body = [n for n in matmuls if n not in heads]
    log(f"  {len(matmuls)} MatMul nodes, {len(heads)} lm_head; body {precision}, lm_head {head_precision}")
    groups = {}
    for names, wanted in ((body, precision), (heads, head_precision)):
        if names and wanted != "fp32":
            groups.setdefault(wanted, []).extend(names)
    # int4 first: its MatMulNBits nodes are no longer MatMul, so the int8 pass cannot touch them.
    if "int4" in groups:
        exclude = [n for n in matmuls if n not in groups["int4"]]
        work = quantize_int4(work, options.block_size, options.symmetric, options.accuracy_level, exclude=exclude)
    if "int8" in groups:
        work = quantize_int8(work, include=groups["int8"])
    log(f"  ops after quantization: {graph_surgery.count_ops(work)}")
    return work, renamed


def quantize_embedding(model, precision, options, log):
    """embed_tokens graph: the Gather of the embedding table in int8 or int4."""
    work = graph_surgery.clone(model)
    graph_surgery.ensure_node_names(work)
    if precision == "int8":
        work = quantize_int8(work, op_types=("Gather",))
    elif precision == "int4":
        work = quantize_int4(work, options.block_size, options.symmetric, options.accuracy_level,
                             op_types=("Gather",))
    else:
        raise ValueError(f"unknown embedding precision {precision!r}")
    log(f"  embed ops after quantization: {graph_surgery.count_ops(work)}")
    return work
