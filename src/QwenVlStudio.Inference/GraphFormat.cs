namespace QwenVlStudio.Inference;

/// <summary>Which decoder graphs of a package to run (docs/fused-package.md).</summary>
public enum GraphFormat
{
    /// <summary>The fused graphs when the package has onnx/fused.json, the legacy ones otherwise.</summary>
    Auto,

    /// <summary>The fused graphs (decoder_fused.onnx, preallocated KV); fails when the package has none.</summary>
    Fused,

    /// <summary>The raw torch export (decoder_model_merged.onnx, model-package.md §6).</summary>
    Legacy,
}
