"""The PyTorch (Hugging Face) side of a golden case: processor inputs, vision features, rope index, prefill,
greedy generation, and generation with DeepStack dropped."""
import inspect

import torch

from .prompt_math import mrope_positions


def load_processor(package_dir):
    from transformers import AutoProcessor

    return AutoProcessor.from_pretrained(str(package_dir), local_files_only=True)


def apply_generation_config(model, package_dir):
    """Uses the package's generation_config.json (EOS 151645 and 151643) like the reference build."""
    from transformers import GenerationConfig

    model.generation_config = GenerationConfig.from_pretrained(str(package_dir), local_files_only=True)


def processor_inputs(processor, messages, images):
    prompt = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    if images:
        inputs = processor(text=[prompt], images=images, return_tensors="pt")
    else:
        inputs = processor(text=[prompt], return_tensors="pt")
    return prompt, inputs


def manual_ids(processor, prompt, grids, merge):
    """§3: tokenize the unexpanded prompt, then expand each <|image_pad|> to N/4 copies."""
    from .prompt_math import expand_image_tokens

    ids = processor.tokenizer(prompt, add_special_tokens=False)["input_ids"]
    counts = [int(t) * int(h) * int(w) // (merge * merge) for t, h, w in grids]
    return expand_image_tokens(ids, counts)


def visual_outputs(model, pixel_values, grid):
    """(merged features [N/4, H], DeepStack [K, N/4, H]) of one image from HF's vision tower."""
    visual = model.model.visual
    with torch.no_grad():
        out = visual(pixel_values, grid_thw=grid)
    merged_rows = int(grid[0].prod().item()) // (visual.config.spatial_merge_size ** 2)
    if isinstance(out, (tuple, list)):
        merged, deep = out[0], out[1]
    else:
        deep = getattr(out, "deepstack_features", None)
        merged = getattr(out, "pooler_output", None)
        if merged is None or merged.shape[0] != merged_rows:
            merged = out.last_hidden_state
    if merged.shape[0] != merged_rows:
        raise RuntimeError(f"HF vision output has {merged.shape[0]} rows, expected {merged_rows}")
    return merged.float(), torch.stack(list(deep), dim=0).float()


def hf_rope_index(model, inputs):
    """HF's get_rope_index on the processor inputs (arguments differ between releases: pass what it takes)."""
    method = model.model.get_rope_index
    accepted = inspect.signature(method).parameters
    kwargs = {k: v for k, v in inputs.items() if k in accepted}
    for name, param in accepted.items():
        required = param.default is inspect.Parameter.empty and param.kind in (
            inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        if name not in kwargs and (required or name == "image_grid_thw"):
            kwargs[name] = None
    result = method(**kwargs)
    return result[0], result[1]


def own_positions(input_ids, grids, merge):
    pos, delta = mrope_positions(input_ids, [tuple(int(v) for v in g) for g in grids], merge)
    return torch.tensor(pos, dtype=torch.int64).unsqueeze(1), delta


def prefill_inputs(model, input_ids, features, deepstacks):
    """§7: embeddings with image features scattered in, DeepStack rows at image positions."""
    with torch.no_grad():
        embeds = model.model.language_model.embed_tokens(input_ids).float()
    stack = len(model.config.vision_config.deepstack_visual_indexes)
    deep = torch.zeros(stack, *embeds.shape)
    if features:
        positions = (input_ids[0] == model.config.image_token_id).nonzero().flatten()
        embeds[0, positions] = torch.cat(features, dim=0)
        deep[:, 0, positions] = torch.cat(deepstacks, dim=1)
    return embeds, deep


def hf_prefill(model, inputs):
    """HF forward on the whole prompt: last-position logits and the KV cache as [(key, value)] per layer."""
    with torch.no_grad():
        out = model(**inputs, use_cache=True)
    cache = out.past_key_values
    layers = []
    for i in range(model.config.text_config.num_hidden_layers):
        if hasattr(cache, "layers"):
            layers.append((cache.layers[i].keys, cache.layers[i].values))
        elif hasattr(cache, "key_cache"):
            layers.append((cache.key_cache[i], cache.value_cache[i]))
        else:
            layers.append((cache[i][0], cache[i][1]))
    return out.logits[0, -1].float(), layers


def hf_generate(model, inputs, steps):
    """Greedy ids and the raw (unprocessed) logits of every step, EOS suppressed by min_new_tokens = steps."""
    with torch.no_grad():
        out = model.generate(**inputs, max_new_tokens=steps, min_new_tokens=steps, do_sample=False,
                             output_logits=True, return_dict_in_generate=True)
    prompt_len = inputs["input_ids"].shape[1]
    ids = out.sequences[0, prompt_len:].tolist()
    logits = torch.stack([step[0].float() for step in out.logits], dim=0)
    return ids, logits


def hf_generate_without_deepstack(model, inputs, steps):
    """Greedy ids when the decoder ignores DeepStack (shows the goldens exercise it)."""
    text = model.model.language_model
    if not hasattr(text, "_deepstack_process"):
        return None
    text._deepstack_process = lambda hidden_states, *args, **kwargs: hidden_states
    try:
        ids, _ = hf_generate(model, inputs, steps)
    finally:
        del text._deepstack_process
    return ids
