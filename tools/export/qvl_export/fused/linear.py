"""The fp32 linear layer and tied lm_head of the fused decoder.

Every projection goes through one function with the signature `make_linear(builder, name, x, weight_out_in)`
(weight in HF layout [out, in]); quantized variants (quant.py: make_linear_int8 / make_linear_int4) have the
same signature and are passed to decoder.build_decoder(linear=...). The lm_head has its own function of the same
shape because the tied fp32 head must not copy the embedding (see make_tied_lm_head).
"""
from .graph import transpose


def make_linear(builder, name, x, weight_out_in):
    """x [..., in] @ W^T → [..., out] as one MatMul. W is stored transposed ([in, out]) in the file, so
    ONNX Runtime needs no Transpose node (and folds nothing) at load; `name`.weight names the initializer."""
    weight = builder.initializer(f"{name}.weight", transpose(weight_out_in))
    return builder.node("MatMul", [x, weight], f"{name}/MatMul")


def make_tied_lm_head(builder, name, x2d, embedding_weight, embedding_name):
    """x2d [B, H] → logits [B, V] = x · Eᵀ with E the embedding [V, H] in its HF layout and name: Gemm(transB=1)
    reads E directly, so there is no transposed copy in the file and no constant-folded one in memory
    (the 2B embedding is 1.24 GB)."""
    weight = builder.initializer(embedding_name, embedding_weight)
    return builder.node("Gemm", [x2d, weight], f"{name}/Gemm", transB=1)
