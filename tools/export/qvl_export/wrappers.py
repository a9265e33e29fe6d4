"""PyTorch modules with the package's graph signatures, built on a Hugging Face Qwen3-VL model's own submodules.

The wrappers hold the HF model as `self.model` (and `self.lm_head`), so the exported initializers keep the HF
state-dict names (`model.visual.blocks.0.attn.qkv.weight`, ...). Norms, MLPs, mergers, linear layers and the text
rotary embedding are HF's modules; attention is written out here because HF's vision attention splits by
`cu_seqlens` with Python lists (a traced graph would freeze the patch count) and its text attention works on a
Cache object that the ONNX graph replaces with explicit past/present tensors.
"""
import torch
from torch import nn


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class VisionEncoder(nn.Module):
    """One image's patches -> (merged image features [N/4, H], DeepStack features [K, N/4, H]). §4."""

    def __init__(self, hf_model):
        super().__init__()
        self.model = hf_model.model
        visual = self.model.visual
        config = visual.config
        self.num_heads = config.num_heads
        self.head_dim = config.hidden_size // config.num_heads
        self.deepstack_indexes = list(config.deepstack_visual_indexes)
        # The rotary table is a non-persistent buffer (a constant in the graph, not a weight).
        rotary = getattr(visual, "rotary_pos_emb", None)
        inv_freq = getattr(rotary, "inv_freq", None)
        if inv_freq is None:
            quarter = self.head_dim // 4
            theta = float(getattr(config, "rope_parameters", {}).get("rope_theta", 10000.0))
            inv_freq = 1.0 / (theta ** (torch.arange(0, quarter, dtype=torch.float32) / quarter))
        self.register_buffer("rotary_inv_freq", inv_freq.detach().float().clone(), persistent=False)

    def forward(self, pixel_values, pos_embed_idx, pos_embed_weight, rotary_pos_ids):
        visual = self.model.visual
        hidden = visual.patch_embed(pixel_values)
        corners = visual.pos_embed(pos_embed_idx) * pos_embed_weight.unsqueeze(-1)
        hidden = hidden + (corners[0] + corners[1] + corners[2] + corners[3])

        # 2-D rotary: row angles then column angles, duplicated over both halves of the head.
        angles = rotary_pos_ids.float().unsqueeze(-1) * self.rotary_inv_freq
        angles = angles.flatten(1)
        emb = torch.cat((angles, angles), dim=-1)
        cos = emb.cos().unsqueeze(1)
        sin = emb.sin().unsqueeze(1)

        deepstack = []
        for layer, block in enumerate(visual.blocks):
            hidden = hidden + self._attention(block.attn, block.norm1(hidden), cos, sin)
            hidden = hidden + block.mlp(block.norm2(hidden))
            if layer in self.deepstack_indexes:
                merger = visual.deepstack_merger_list[self.deepstack_indexes.index(layer)]
                deepstack.append(merger(hidden))
        return visual.merger(hidden), torch.stack(deepstack, dim=0)

    def _attention(self, attn, hidden, cos, sin):
        count = hidden.shape[0]
        qkv = attn.qkv(hidden).reshape(count, 3, self.num_heads, self.head_dim).permute(1, 0, 2, 3)
        query, key, value = qkv[0], qkv[1], qkv[2]
        query = query * cos + rotate_half(query) * sin
        key = key * cos + rotate_half(key) * sin
        query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        scale = getattr(attn, "scaling", self.head_dim ** -0.5)
        scores = torch.matmul(query, key.transpose(1, 2)) * scale
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
        out = torch.matmul(probs, value).transpose(0, 1).reshape(count, -1)
        return attn.proj(out)


class EmbedTokens(nn.Module):
    """Token ids -> embeddings. §5."""

    def __init__(self, hf_model):
        super().__init__()
        self.model = hf_model.model

    def forward(self, input_ids):
        return self.model.language_model.embed_tokens(input_ids)


class InterleavedMrope(nn.Module):
    """Fallback for HF's text rotary embedding: interleaved MRoPE exactly as §6 describes."""

    def __init__(self, text_config):
        super().__init__()
        rope = text_config.rope_parameters
        head_dim = text_config.head_dim
        theta = float(rope["rope_theta"])
        inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
        section = list(rope.get("mrope_section", [24, 20, 20]))
        source = []
        for d in range(head_dim // 2):
            if d % 3 == 1 and d < 3 * section[1]:
                source.append(1)
            elif d % 3 == 2 and d < 3 * section[2]:
                source.append(2)
            else:
                source.append(0)
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.register_buffer("source", torch.tensor(source, dtype=torch.int64), persistent=False)

    def forward(self, x, position_ids):
        freqs = position_ids.float().unsqueeze(-1) * self.inv_freq  # [3, B, S, hd/2]
        picked = torch.gather(freqs, 0, self.source.view(1, 1, 1, -1).expand(1, *freqs.shape[1:]))[0]
        emb = torch.cat((picked, picked), dim=-1)
        return emb.cos().to(x.dtype), emb.sin().to(x.dtype)


class Decoder(nn.Module):
    """Prefill and decode with explicit KV cache, logits of the last position only. §6."""

    def __init__(self, hf_model, use_hf_rotary=True):
        super().__init__()
        self.model = hf_model.model
        self.lm_head = hf_model.lm_head
        text = self.model.language_model
        config = text.config
        self.num_layers = config.num_hidden_layers
        self.num_heads = config.num_attention_heads
        self.num_kv_heads = config.num_key_value_heads
        self.head_dim = config.head_dim
        self.num_deepstack = len(hf_model.config.vision_config.deepstack_visual_indexes)
        self.rotary = text.rotary_emb if use_hf_rotary else InterleavedMrope(config)

    def forward(self, inputs_embeds, attention_mask, position_ids, deepstack_embeds, *past):
        text = self.model.language_model
        batch, new = inputs_embeds.shape[0], inputs_embeds.shape[1]
        total = attention_mask.shape[1]
        past_len = total - new
        cos, sin = self.rotary(inputs_embeds, position_ids)
        cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)

        # Query s (absolute index past_len + s) sees key j iff j <= past_len + s and attention_mask[b, j] == 1.
        query_pos = torch.arange(new, device=inputs_embeds.device) + past_len
        key_pos = torch.arange(total, device=inputs_embeds.device)
        causal = key_pos.view(1, 1, 1, total) <= query_pos.view(1, 1, new, 1)
        allowed = causal & (attention_mask.view(batch, 1, 1, total) == 1)
        zero = torch.zeros((), dtype=inputs_embeds.dtype, device=inputs_embeds.device)
        lowest = torch.full((), torch.finfo(inputs_embeds.dtype).min, dtype=inputs_embeds.dtype,
                            device=inputs_embeds.device)
        mask = torch.where(allowed, zero, lowest)

        hidden = inputs_embeds
        presents = []
        for index, layer in enumerate(text.layers):
            attn_out, key, value = self._attention(layer.self_attn, layer.input_layernorm(hidden), cos, sin, mask,
                                                   past[2 * index], past[2 * index + 1])
            presents.extend((key, value))
            hidden = hidden + attn_out
            hidden = hidden + layer.mlp(layer.post_attention_layernorm(hidden))
            if index < self.num_deepstack:
                hidden = hidden + deepstack_embeds[index]
        last = text.norm(hidden[:, -1, :])
        logits = self.lm_head(last)
        return (logits, *presents)

    def _attention(self, attn, hidden, cos, sin, mask, past_key, past_value):
        batch, new = hidden.shape[0], hidden.shape[1]
        query = attn.q_norm(attn.q_proj(hidden).view(batch, new, -1, self.head_dim)).transpose(1, 2)
        key = attn.k_norm(attn.k_proj(hidden).view(batch, new, -1, self.head_dim)).transpose(1, 2)
        value = attn.v_proj(hidden).view(batch, new, -1, self.head_dim).transpose(1, 2)
        query = query * cos + rotate_half(query) * sin
        key = key * cos + rotate_half(key) * sin
        key = torch.cat((past_key, key), dim=2)
        value = torch.cat((past_value, value), dim=2)
        groups = self.num_heads // self.num_kv_heads
        key_all = self._repeat_kv(key, groups)
        value_all = self._repeat_kv(value, groups)
        scale = getattr(attn, "scaling", self.head_dim ** -0.5)
        scores = torch.matmul(query, key_all.transpose(2, 3)) * scale + mask
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
        out = torch.matmul(probs, value_all).transpose(1, 2).reshape(batch, new, -1)
        return attn.o_proj(out), key, value

    @staticmethod
    def _repeat_kv(states, groups):
        if groups == 1:
            return states
        batch, heads, length, dim = states.shape
        return states[:, :, None, :, :].expand(batch, heads, groups, length, dim).reshape(
            batch, heads * groups, length, dim)


def decoder_io_names(num_layers):
    inputs = ["inputs_embeds", "attention_mask", "position_ids", "deepstack_embeds"]
    outputs = ["logits"]
    for i in range(num_layers):
        inputs += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        outputs += [f"present.{i}.key", f"present.{i}.value"]
    return inputs, outputs
