namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// One image as the vision encoder takes it: <see cref="PixelValues"/> holds N = GridH·GridW patch rows of
/// <see cref="PatchRowLength"/> floats in the reference's merge order (model-package.md §2).
/// </summary>
public sealed record PreprocessedImage(float[] PixelValues, int GridT, int GridH, int GridW, int PatchRowLength)
{
    public int NumPatches => GridT * GridH * GridW;

    /// <summary>Image tokens in the prompt: patches divided by merge² (merge = 2 for every Qwen3-VL).</summary>
    public int MergedTokenCount(int mergeSize) => NumPatches / (mergeSize * mergeSize);
}
