"""Traces the three wrappers to ONNX (TorchScript exporter, opset 17, no constant folding). §4-§6."""
import tempfile
from pathlib import Path

import onnx
import torch

from . import wrappers
from .vision_math import vision_position_inputs

def _export(module, args, input_names, output_names, dynamic_axes, work_dir, name):
    path = Path(work_dir) / name / f"{name}.onnx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(module, args, str(path), dynamo=False, opset_version=17, do_constant_folding=False,
                          input_names=input_names, output_names=output_names, dynamic_axes=dynamic_axes)
    # Models over 2 GB come back with one external file per tensor beside the graph; load them into memory.
    return onnx.load(str(path), load_external_data=True)


def vision_sample_inputs(vision_config, grid_h=4, grid_w=6):
    side = int(round(vision_config.num_position_embeddings ** 0.5))
    merge = vision_config.spatial_merge_size
    idx, weight, rotary = vision_position_inputs(grid_h, grid_w, side, merge)
    row = vision_config.in_channels * vision_config.temporal_patch_size * vision_config.patch_size ** 2
    generator = torch.Generator().manual_seed(0)
    pixels = torch.randn(grid_h * grid_w, row, generator=generator)
    return (pixels, torch.tensor(idx, dtype=torch.int64), torch.tensor(weight, dtype=torch.float32),
            torch.tensor(rotary, dtype=torch.int64))


def decoder_sample_inputs(config, batch=2, new=3, past=2):
    text = config.text_config
    layers = text.num_hidden_layers
    stack = len(config.vision_config.deepstack_visual_indexes)
    generator = torch.Generator().manual_seed(0)
    embeds = torch.randn(batch, new, text.hidden_size, generator=generator)
    mask = torch.ones(batch, past + new, dtype=torch.int64)
    positions = (torch.arange(new, dtype=torch.int64) + past).view(1, 1, new).expand(3, batch, new).contiguous()
    deepstack = torch.zeros(stack, batch, new, text.hidden_size)
    cache = []
    for _ in range(layers):
        cache.append(torch.randn(batch, text.num_key_value_heads, past, text.head_dim, generator=generator))
        cache.append(torch.randn(batch, text.num_key_value_heads, past, text.head_dim, generator=generator))
    return (embeds, mask, positions, deepstack, *cache)


def export_vision(model, work_dir):
    module = wrappers.VisionEncoder(model).eval()
    names_in = ["pixel_values", "pos_embed_idx", "pos_embed_weight", "rotary_pos_ids"]
    names_out = ["image_features", "deepstack_features"]
    axes = {"pixel_values": {0: "num_patches"}, "pos_embed_idx": {1: "num_patches"},
            "pos_embed_weight": {1: "num_patches"}, "rotary_pos_ids": {0: "num_patches"},
            "image_features": {0: "num_merged_tokens"}, "deepstack_features": {1: "num_merged_tokens"}}
    return _export(module, vision_sample_inputs(model.config.vision_config), names_in, names_out, axes, work_dir,
                   "vision_encoder")


def export_embed(model, work_dir):
    module = wrappers.EmbedTokens(model).eval()
    ids = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int64)
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "inputs_embeds": {0: "batch", 1: "sequence"}}
    return _export(module, (ids,), ["input_ids"], ["inputs_embeds"], axes, work_dir, "embed_tokens")


def export_decoder(model, work_dir, use_hf_rotary=True):
    module = wrappers.Decoder(model, use_hf_rotary=use_hf_rotary).eval()
    layers = model.config.text_config.num_hidden_layers
    names_in, names_out = wrappers.decoder_io_names(layers)
    axes = {"inputs_embeds": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total_sequence"},
            "position_ids": {1: "batch", 2: "sequence"}, "deepstack_embeds": {1: "batch", 2: "sequence"},
            "logits": {0: "batch"}}
    for i in range(layers):
        for kind in ("key", "value"):
            axes[f"past_key_values.{i}.{kind}"] = {0: "batch", 2: "past_sequence"}
            axes[f"present.{i}.{kind}"] = {0: "batch", 2: "total_sequence"}
    return _export(module, decoder_sample_inputs(model.config), names_in, names_out, axes, work_dir,
                   "decoder_model_merged")


def hf_rotary_traces(model):
    """True when HF's text rotary embedding gives the same cos/sin as the §6 formula (then the graph uses it)."""
    text = model.model.language_model
    config = text.config
    positions = torch.tensor([[[0, 5, 9, 40]], [[0, 3, 7, 40]], [[0, 4, 8, 40]]], dtype=torch.int64)
    probe = torch.zeros(1, 4, config.hidden_size)
    try:
        with torch.no_grad():
            cos_hf, sin_hf = text.rotary_emb(probe, positions)
    except Exception as error:  # noqa: BLE001 - reported, the caller falls back to the formula
        return False, f"HF rotary failed: {error!r}"
    cos_own, sin_own = wrappers.InterleavedMrope(config)(probe, positions)
    diff = max((cos_hf - cos_own).abs().max().item(), (sin_hf - sin_own).abs().max().item())
    return diff < 1e-5, f"HF rotary vs formula max diff {diff:.3g}"


def export_all(model, log, work_dir=None):
    """The three graphs as in-memory ModelProtos, keyed by graph name."""
    use_hf_rotary, note = hf_rotary_traces(model)
    log(f"text rotary: {'HF module' if use_hf_rotary else 'own formula'} ({note})")
    holder = tempfile.TemporaryDirectory(prefix="qvl-export-") if work_dir is None else None
    folder = holder.name if holder else work_dir
    try:
        graphs = {"vision_encoder": export_vision(model, folder), "embed_tokens": export_embed(model, folder),
                  "decoder_model_merged": export_decoder(model, folder, use_hf_rotary)}
    finally:
        if holder:
            holder.cleanup()
    for name, graph in graphs.items():
        log(f"exported {name}: {len(graph.graph.node)} nodes, {len(graph.graph.initializer)} initializers, "
            f"{initializer_bytes(graph) / 1e6:.1f} MB of weights")
    return graphs


def initializer_bytes(model):
    total = 0
    for tensor in model.graph.initializer:
        total += len(tensor.raw_data) if tensor.raw_data else onnx.numpy_helper.to_array(tensor).nbytes
    return total
