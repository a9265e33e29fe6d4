"""One conversation through PyTorch (HF) and through the ONNX package, with every comparison the goldens and
--verify report. Optionally writes the case's golden folder (model-package.md §9)."""
import json
from pathlib import Path

import numpy as np
import torch

from . import hf_reference as hf
from .onnx_runner import EOS_IDS, OnnxPackage


def vision_position_tensors(grid_h, grid_w, side, merge):
    """§4 position inputs with torch float32 linspace, as the reference goldens were made."""
    hy = torch.linspace(0, side - 1, grid_h)
    wx = torch.linspace(0, side - 1, grid_w)
    rows, cols = [], []
    for bh in range(grid_h // merge):
        for bw in range(grid_w // merge):
            for mh in range(merge):
                for mw in range(merge):
                    rows.append(bh * merge + mh)
                    cols.append(bw * merge + mw)
    r = torch.tensor(rows)
    c = torch.tensor(cols)
    y, x = hy[r], wx[c]
    h0, w0 = y.floor().long(), x.floor().long()
    h1, w1 = (h0 + 1).clamp(max=side - 1), (w0 + 1).clamp(max=side - 1)
    dh, dw = y - h0, x - w0
    idx = torch.stack([h0 * side + w0, h0 * side + w1, h1 * side + w0, h1 * side + w1])
    weight = torch.stack([(1 - dh) * (1 - dw), (1 - dh) * dw, dh * (1 - dw), dh * dw])
    return idx, weight.float(), torch.stack([r, c], dim=1)


def _max_diff(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shape mismatch {a.shape} vs {b.shape}")
    return float(np.abs(a - b).max()) if a.size else 0.0


def _top5(row):
    order = np.argsort(-row, kind="stable")[:5]
    return [int(i) for i in order], [float(row[i]) for i in order]


def run_case(model, processor, package: OnnxPackage, case, image_dir, steps):
    """Returns (record for case.json / verify, tensors for the golden folder)."""
    from PIL import Image

    config = model.config
    merge = config.vision_config.spatial_merge_size
    side = int(round(config.vision_config.num_position_embeddings ** 0.5))
    images = [Image.open(Path(image_dir) / name).convert("RGB") for name in case["images"]]
    prompt, inputs = hf.processor_inputs(processor, case["messages"], images)
    input_ids = inputs["input_ids"]
    ids_list = input_ids[0].tolist()
    grids = inputs["image_grid_thw"].tolist() if "image_grid_thw" in inputs else []
    record = {"case": case["case"], "images": list(case["images"]), "messages": case["messages"],
              "prompt_text": prompt, "num_tokens": len(ids_list)}
    record["processor_ids_equal_manual"] = hf.manual_ids(processor, prompt, grids, merge) == ids_list
    record["processor_keys"] = sorted(inputs.keys())
    if images:
        alone = processor.image_processor(images=images, return_tensors="pt")["pixel_values"]
        record["processor_pixels_equal_image_processor"] = bool(torch.equal(alone, inputs["pixel_values"]))

    own_pos, own_delta = hf.own_positions(ids_list, grids, merge)
    try:
        hf_pos, hf_delta = hf.hf_rope_index(model, inputs)
        record["rope_index_equal_hf"] = bool(torch.equal(hf_pos.long(), own_pos)) and int(hf_delta.flatten()[0]) == own_delta
    except Exception as error:  # noqa: BLE001 - recorded; the package math does not depend on HF's helper
        record["rope_index_equal_hf"] = f"HF get_rope_index failed: {error!r}"
    record["rope_delta"] = own_delta
    tensors = {"input_ids": input_ids.numpy().astype(np.int64),
               "attention_mask": np.ones_like(input_ids.numpy(), dtype=np.int64),
               "position_ids": own_pos.numpy(), "rope_deltas": np.array([[own_delta]], dtype=np.int64)}

    features, deepstacks = [], []
    if grids:
        record["image_grid_thw"] = grids
        pixels = inputs["pixel_values"].float()
        tensors["pixel_values"] = pixels.numpy()
        tensors["image_grid_thw"] = inputs["image_grid_thw"].numpy().astype(np.int64)
        offset = 0
        for i, grid in enumerate(grids):
            count = grid[0] * grid[1] * grid[2]
            pv = pixels[offset:offset + count]
            offset += count
            feats, deep = hf.visual_outputs(model, pv, torch.tensor([grid]))
            idx, weight, rotary = vision_position_tensors(grid[1], grid[2], side, merge)
            onnx_feats, onnx_deep = package.encode_image(pv.numpy(), idx.numpy(), weight.numpy(), rotary.numpy())
            record[f"image{i}_onnx_vs_hf_features"] = _max_diff(onnx_feats, feats.numpy())
            record[f"image{i}_onnx_vs_hf_deepstack"] = _max_diff(onnx_deep, deep.numpy())
            tensors[f"vision_pos_embed_idx_{i}"] = idx.numpy().astype(np.int64)
            tensors[f"vision_pos_embed_weight_{i}"] = weight.numpy()
            tensors[f"vision_rotary_pos_ids_{i}"] = rotary.numpy().astype(np.int64)
            tensors[f"image_features_{i}"] = feats.numpy()
            tensors[f"deepstack_features_{i}"] = deep.numpy()
            features.append(feats)
            deepstacks.append(deep)

    embeds, deep = hf.prefill_inputs(model, input_ids, features, deepstacks)
    tensors["inputs_embeds"] = embeds.numpy()
    tensors["deepstack_embeds"] = deep.numpy()

    gen_ids, gen_logits = hf.hf_generate(model, inputs, steps)
    logits = gen_logits.numpy()
    raw_argmax = [int(np.argmax(row)) for row in logits]
    top5 = [_top5(row) for row in logits]
    record["top5_ids_per_step"] = [t[0] for t in top5]
    record["top5_logits_per_step"] = [t[1] for t in top5]
    record["generated_ids"] = gen_ids
    record["generated_text"] = processor.tokenizer.decode(gen_ids, skip_special_tokens=False)
    record["raw_argmax_equals_generated"] = raw_argmax == gen_ids
    suppressed = [row.copy() for row in logits]
    for row in suppressed:
        row[list(EOS_IDS)] = -np.inf
    record["eos_suppression_mattered"] = [int(np.argmax(r)) for r in suppressed] != raw_argmax
    record["min_top1_top2_gap"] = float(min(t[1][0] - t[1][1] for t in top5))
    record["distinct_generated_ids"] = len(set(gen_ids))
    if grids:
        no_deep = hf.hf_generate_without_deepstack(model, inputs, steps)
        record["ids_without_deepstack"] = no_deep
        record["deepstack_changes_ids"] = None if no_deep is None else no_deep != gen_ids
        patch = config.vision_config.patch_size
        record["images_need_no_resize"] = [img.size[1] == g[1] * patch and img.size[0] == g[2] * patch
                                           for img, g in zip(images, grids)]
    tensors["generated_ids"] = np.array(gen_ids, dtype=np.int64)
    tensors["logits_first3"] = logits[:3].astype(np.float32)

    onnx = package.greedy(embeds.numpy(), own_pos.numpy(), deep.numpy(), own_delta, steps)
    onnx_top5 = [_top5(row)[0] for row in onnx["logits"]]
    record["onnx_top5_match_hf_all_steps"] = onnx_top5 == record["top5_ids_per_step"]
    record["onnx_generated_ids"] = onnx["ids"]
    record["onnx_ids_match_hf"] = onnx["ids"] == gen_ids
    record["onnx_vs_hf_logits_first3"] = _max_diff(onnx["logits"][:3], logits[:3])
    record["onnx_vs_hf_logits_all_steps"] = _max_diff(onnx["logits"], logits)
    record["onnx_free_run_agreement"] = float(np.mean([a == b for a, b in zip(onnx["ids"], gen_ids)]))
    # Teacher forcing: feed HF's tokens, so every step compares logits of the same prefix even after the
    # free-running ids diverge (quantized packages).
    forced = package.greedy(embeds.numpy(), own_pos.numpy(), deep.numpy(), own_delta, steps, forced=gen_ids)
    record["onnx_forced_top1_agreement"] = float(np.mean([a == b for a, b in zip(forced["ids"], gen_ids)]))
    record["onnx_forced_vs_hf_logits_max_abs"] = _max_diff(forced["logits"], logits)
    record["onnx_forced_vs_hf_logits_mean_abs"] = float(np.abs(forced["logits"] - logits).mean())
    record["logits_absmax"] = float(np.abs(logits).max())

    hf_last, hf_kv = hf.hf_prefill(model, inputs)
    record["prefill_onnx_vs_hf_logits"] = _max_diff(onnx["logits"][0], hf_last.numpy())
    record["prefill_onnx_vs_hf_kv"] = max(_max_diff(onnx["prefill_kv"][2 * i + j], hf_kv[i][j].numpy())
                                          for i in range(len(hf_kv)) for j in range(2))
    wrapper_logits = torch_wrapper_prefill(model, embeds, own_pos, deep)
    record["prefill_torch_wrapper_vs_hf_logits"] = _max_diff(wrapper_logits, hf_last.numpy())
    return record, tensors


def torch_wrapper_prefill(model, embeds, positions, deep):
    """The exported wrapper run in PyTorch: separates tracing problems from wrapper math problems."""
    from .wrappers import Decoder

    text = model.config.text_config
    empty = torch.zeros(1, text.num_key_value_heads, 0, text.head_dim)
    module = Decoder(model).eval()
    with torch.no_grad():
        out = module(embeds, torch.ones(1, embeds.shape[1], dtype=torch.int64), positions, deep,
                     *([empty] * (2 * text.num_hidden_layers)))
    return out[0][0].numpy()


def write_golden_case(folder, record, tensors):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in tensors.items():
        np.save(folder / f"{name}.npy", array)
    (folder / "case.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
