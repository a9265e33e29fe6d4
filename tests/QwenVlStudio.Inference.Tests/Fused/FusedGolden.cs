using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>A golden case as a prepared prompt, and greedy decoding of it on a <see cref="KvPoolDecodeBatch"/> (§9).</summary>
internal static class FusedGolden
{
    public const int Steps = 16;

    /// <summary>The case's prompt with the engine's own vision features (encoded from the golden pixels).</summary>
    public static PreparedPrompt Prompt(GoldenCase golden, ModelSessions sessions)
    {
        var config = sessions.Package.Config;
        var pixels = golden.PixelValuesPerImage(config.Vision.PatchRowLength);
        var features = new List<VisionFeatures>();
        for (int i = 0; i < pixels.Count; i++)
        {
            var (t, h, w) = golden.ImageGrids[i];
            features.Add(sessions.Vision.Encode(pixels[i], t * h * w,
                golden.Npy($"vision_pos_embed_idx_{i}.npy").AsInt64(),
                golden.Npy($"vision_pos_embed_weight_{i}.npy").AsFloat32(),
                golden.Npy($"vision_rotary_pos_ids_{i}.npy").AsInt64()));
        }
        var ids = golden.InputIds;
        var positions = MropePositions.Compute(ids, golden.ImageGrids, config.Tokens.ImagePad, config.Vision.SpatialMergeSize);
        return new PreparedPrompt(ids, features, positions, 0);
    }

    /// <summary>Greedy pick with EOS masked (the goldens suppress EOS for 16 tokens).</summary>
    public static int Pick(Span<float> logits, ModelConfig config)
    {
        foreach (var eos in config.Tokens.Eos) logits[eos] = float.NegativeInfinity;
        return TokenSampler.ArgMax(logits);
    }

    /// <summary>Prefills the row in chunks of <paramref name="chunk"/> tokens; returns the number of calls.</summary>
    public static int PrefillAll(KvPoolDecodeBatch batch, DecodeRow row, int chunk)
    {
        int calls = 0;
        while (!batch.Prefill(row, chunk)) calls++;
        return calls + 1;
    }

    /// <summary>One row alone: ids of 16 greedy steps and the logits before each of the first three picks.</summary>
    public static (List<int> Ids, List<float[]> Logits) DecodeAlone(KvPoolDecodeBatch batch, PreparedPrompt prompt, ModelConfig config,
        int chunk = 512, KvCache? prefix = null)
    {
        var row = batch.Join(prompt, prefix);
        PrefillAll(batch, row, chunk);
        var ids = new List<int>();
        var logits = new List<float[]>();
        for (int step = 0; step < Steps; step++)
        {
            logits.Add(batch.Logits(row).ToArray());
            int token = Pick(batch.Logits(row), config);
            ids.Add(token);
            if (step < Steps - 1) batch.Step([(row, token)]);
        }
        batch.Leave(row);
        return (ids, logits);
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"lengths {expected.Length} and {actual.Length} differ");
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        return worst;
    }
}
