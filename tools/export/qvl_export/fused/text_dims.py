"""The language model's dimensions, read from the text_config of config.json (model-package.md §1)."""
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class TextDims:
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    rms_eps: float
    deepstack: int  # K: DeepStack levels, added after decoder layers 0..K-1
    tied: bool

    @property
    def q_size(self):
        return self.heads * self.head_dim

    @property
    def kv_size(self):
        return self.kv_heads * self.head_dim


def from_config(config):
    """config: the parsed config.json dict (Qwen3-VL: text_config + vision_config)."""
    text = config["text_config"]
    head_dim = text.get("head_dim") or text["hidden_size"] // text["num_attention_heads"]
    tied = bool(config.get("tie_word_embeddings", text.get("tie_word_embeddings", False)))
    dims = TextDims(hidden=text["hidden_size"], layers=text["num_hidden_layers"], heads=text["num_attention_heads"],
                    kv_heads=text["num_key_value_heads"], head_dim=head_dim,
                    intermediate=text["intermediate_size"], vocab=text["vocab_size"],
                    rms_eps=float(text["rms_norm_eps"]),
                    deepstack=len(config["vision_config"].get("deepstack_visual_indexes", [])), tied=tied)
    if dims.heads % dims.kv_heads:
        raise ValueError(f"{dims.heads} attention heads are not a multiple of {dims.kv_heads} KV heads")
    if dims.deepstack > dims.layers:
        raise ValueError(f"{dims.deepstack} DeepStack levels but only {dims.layers} decoder layers")
    return dims


def load(path):
    with open(path, encoding="utf-8") as handle:
        return from_config(json.load(handle))
