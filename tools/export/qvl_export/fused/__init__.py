"""Builder of the fused decoder graph (docs/fused-package.md) from a weights dict, in onnx + numpy only.

Modules: text_dims (dimensions from config.json), graph (a small graph builder), weights (weight sources:
legacy package, HF state dict, shapes only), linear (the fp32 linear layer and tied lm_head), decoder (the graph),
writer (embedded or manifest-only output, fused.json).
"""
