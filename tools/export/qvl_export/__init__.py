"""QwenVL Studio's exporter: Qwen3-VL (Hugging Face transformers) -> the project's ONNX model package.

Modules named *_math, manifest, golden_cases and npy_lite are pure Python (no numpy/torch) so their unit tests
run anywhere; everything else needs torch / transformers / onnx / onnxruntime (see requirements.txt).
"""
