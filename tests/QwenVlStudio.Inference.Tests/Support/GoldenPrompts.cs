using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>Golden cases as prepared prompts built from the reference's own ids and pixel values.</summary>
internal static class GoldenPrompts
{
    public static PreparedPrompt Load(ModelSessions sessions, GoldenCase golden)
    {
        var config = sessions.Package.Config;
        var pixels = golden.PixelValuesPerImage(config.Vision.PatchRowLength);
        var features = Enumerable.Range(0, pixels.Count).Select(i =>
        {
            var (t, h, w) = golden.ImageGrids[i];
            return sessions.Vision.Encode(pixels[i], t * h * w,
                golden.Npy($"vision_pos_embed_idx_{i}.npy").AsInt64(),
                golden.Npy($"vision_pos_embed_weight_{i}.npy").AsFloat32(),
                golden.Npy($"vision_rotary_pos_ids_{i}.npy").AsInt64());
        }).ToList();
        var ids = golden.InputIds;
        var positions = MropePositions.Compute(ids, golden.ImageGrids, config.Tokens.ImagePad, config.Vision.SpatialMergeSize);
        return new PreparedPrompt(ids, features, positions, 0);
    }

    /// <summary>Text deltas are not what these tests look at; ids and logits are.</summary>
    public sealed class NoText : ITokenTextStream
    {
        public string Append(int tokenId) => "";

        public string Flush() => "";
    }
}
