"""Where the PyTorch model comes from: a random-weight model of a given config, or a local HF checkpoint."""
import json
from pathlib import Path

import torch


def load_tiny_random(config_path, seed):
    """Random-weight Qwen3-VL of `config_path`, built exactly like the shared reference packages.

    Same calls in the same order as the reference build (its README): Qwen3VLConfig from the JSON,
    torch.manual_seed(seed), _from_config(..., attn_implementation="eager"), fp32, eval. Any change to this order
    changes the random weights.
    """
    from transformers import Qwen3VLConfig, Qwen3VLForConditionalGeneration

    config = Qwen3VLConfig.from_dict(json.loads(Path(config_path).read_text(encoding="utf-8")))
    torch.manual_seed(seed)
    model = Qwen3VLForConditionalGeneration._from_config(config, attn_implementation="eager")
    return model.float().eval()


def load_checkpoint(checkpoint_dir):
    """A local Hugging Face checkpoint folder (no hub access), loaded in fp32 with eager attention."""
    from transformers import Qwen3VLForConditionalGeneration

    folder = Path(checkpoint_dir)
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise FileNotFoundError(f"{folder} has no config.json: not a Hugging Face checkpoint folder")
    model_type = json.loads(config_file.read_text(encoding="utf-8")).get("model_type")
    if model_type != "qwen3_vl":
        raise ValueError(f"{config_file}: model_type is {model_type!r}, this exporter handles 'qwen3_vl'")
    model = Qwen3VLForConditionalGeneration.from_pretrained(
        str(folder), dtype=torch.float32, attn_implementation="eager", local_files_only=True)
    return model.float().eval()


def describe(model):
    """One line for the build log: parameter count and whether lm_head is tied to the embedding."""
    params = sum(p.numel() for p in model.parameters())
    tied = model.lm_head.weight.data_ptr() == model.model.language_model.embed_tokens.weight.data_ptr()
    return f"params {params / 1e6:.3f}M tied={tied}"
