"""Runs a package's three graphs with ONNX Runtime (CPU) the way the engine does: §7 prefill, §9 greedy loop."""
from pathlib import Path

import numpy as np
import onnxruntime as ort

EOS_IDS = (151645, 151643)


class OnnxPackage:
    def __init__(self, package_dir, threads=0):
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        onnx_dir = Path(package_dir) / "onnx"
        providers = ["CPUExecutionProvider"]
        self.vision = ort.InferenceSession(str(onnx_dir / "vision_encoder.onnx"), options, providers=providers)
        self.embed = ort.InferenceSession(str(onnx_dir / "embed_tokens.onnx"), options, providers=providers)
        self.decoder = ort.InferenceSession(str(onnx_dir / "decoder_model_merged.onnx"), options,
                                            providers=providers)
        self.past_names = [i.name for i in self.decoder.get_inputs() if i.name.startswith("past_key_values.")]
        self.num_layers = len(self.past_names) // 2
        shape = self.decoder.get_inputs()[4].shape if self.past_names else None
        self.kv_heads = shape[1] if shape else 0
        self.head_dim = shape[3] if shape else 0

    def encode_image(self, pixel_values, idx, weight, rotary):
        feats, deep = self.vision.run(None, {"pixel_values": pixel_values.astype(np.float32),
                                             "pos_embed_idx": idx.astype(np.int64),
                                             "pos_embed_weight": weight.astype(np.float32),
                                             "rotary_pos_ids": rotary.astype(np.int64)})
        return feats, deep

    def embed_ids(self, ids):
        return self.embed.run(None, {"input_ids": np.asarray(ids, dtype=np.int64)})[0]

    def step(self, embeds, mask, positions, deepstack, past):
        feeds = {"inputs_embeds": embeds.astype(np.float32), "attention_mask": mask.astype(np.int64),
                 "position_ids": positions.astype(np.int64), "deepstack_embeds": deepstack.astype(np.float32)}
        feeds.update(zip(self.past_names, past))
        out = self.decoder.run(None, feeds)
        return out[0], out[1:]

    def greedy(self, embeds, positions, deepstack, rope_delta, steps, forced=None, suppress_eos=True):
        """Prefill + `steps` greedy tokens. forced: feed these ids instead of the argmax (teacher forcing).

        Returns dict(ids, logits [steps, V] (raw, before EOS suppression), prefill_kv).
        """
        batch, length = embeds.shape[0], embeds.shape[1]
        empty = np.zeros((batch, self.kv_heads, 0, self.head_dim), dtype=np.float32)
        past = [empty] * (2 * self.num_layers)
        logits, past = self.step(embeds, np.ones((batch, length), np.int64), positions, deepstack, past)
        prefill_kv = [p.copy() for p in past]
        ids, all_logits = [], []
        stack, hidden = deepstack.shape[0], embeds.shape[2]
        for step in range(steps):
            row = logits[0].copy()
            all_logits.append(row.copy())
            if suppress_eos:
                row[list(EOS_IDS)] = -np.inf
            token = int(np.argmax(row))
            ids.append(token)
            fed = forced[step] if forced is not None else token
            absolute = length + step
            if step == steps - 1:
                break
            logits, past = self.step(self.embed_ids([[fed]]), np.ones((1, absolute + 1), np.int64),
                                     np.full((3, 1, 1), absolute + rope_delta, np.int64),
                                     np.zeros((stack, 1, 1, hidden), np.float32), past)
        return {"ids": ids, "logits": np.stack(all_logits), "prefill_kv": prefill_kv}
