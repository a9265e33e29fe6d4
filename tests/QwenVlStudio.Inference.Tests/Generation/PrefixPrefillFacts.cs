using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Generation;

/// <summary>
/// Prefilling only the tail of a prompt on top of a reused KV prefix gives the logits and greedy ids of a full
/// prefill: positions continue the full prompt's MRoPE positions, and image and DeepStack rows land on the new
/// image tokens even when the split falls inside an image.
/// </summary>
public class PrefixPrefillFacts(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    private const float LogitTolerance = 1e-4f;
    private const int Steps = 16;

    [Theory]
    [MemberData(nameof(Splits))]
    public void Prefill_OnReusedPrefix_MatchesFullPrefill(string name, string split)
    {
        var golden = GoldenCase.Load(name);
        var config = model.Package.Config;
        var ids = golden.InputIds;
        var features = GoldenFeatures(golden);
        var positions = MropePositions.Compute(ids, golden.ImageGrids, config.Tokens.ImagePad, config.Vision.SpatialMergeSize);
        int reuse = split switch
        {
            "half" => ids.Length / 2,
            "all-but-last" => ids.Length - 1,
            "inside-first-image" => Array.IndexOf(ids, config.Tokens.ImagePad) + 3,
            _ => throw new ArgumentException(split),
        };

        using var full = new SequenceState(model.Sessions, ids.Length + Steps);
        full.Prefill(ids, features, positions);
        var (fullIds, fullLogits) = Decode(full);
        using var fullCache = full.DetachCache();

        using var reused = new SequenceState(model.Sessions, ids.Length + Steps);
        reused.Prefill(ids, features, positions, fullCache.CopyPrefix(reuse));
        var (reusedIds, reusedLogits) = Decode(reused);

        Assert.Equal(golden.GeneratedIds, fullIds);
        Assert.Equal(fullIds, reusedIds);
        for (int step = 0; step < Steps; step++)
            QwenVlStudio.Inference.Tests.Onnx.GoldenParityFacts.AssertClose(fullLogits[step], reusedLogits[step], LogitTolerance);
    }

    [Fact]
    public void Prefill_Throws_WhenPrefixLeavesNothingToPrefill()
    {
        var golden = GoldenCase.Load("case4_text_only");
        var config = model.Package.Config;
        var ids = golden.InputIds;
        var positions = MropePositions.Compute(ids, [], config.Tokens.ImagePad, config.Vision.SpatialMergeSize);
        using var full = new SequenceState(model.Sessions, ids.Length + 1);
        full.Prefill(ids, [], positions);
        using var cache = full.DetachCache();

        using var again = new SequenceState(model.Sessions, ids.Length + 1);
        Assert.Throws<ArgumentException>(() => again.Prefill(ids, [], positions, cache.CopyPrefix(ids.Length)));
    }

    /// <summary>Greedy with EOS masked (the goldens' min_new_tokens); the logits of every step, copied.</summary>
    private (List<int> Ids, List<float[]> Logits) Decode(SequenceState sequence)
    {
        var ids = new List<int>();
        var logits = new List<float[]>();
        for (int step = 0; step < Steps; step++)
        {
            logits.Add(sequence.Logits.ToArray());
            foreach (var eos in model.Package.Config.Tokens.Eos) sequence.Logits[eos] = float.NegativeInfinity;
            int token = TokenSampler.ArgMax(sequence.Logits);
            ids.Add(token);
            if (step < Steps - 1) sequence.Step(token);
        }
        return (ids, logits);
    }

    private List<VisionFeatures> GoldenFeatures(GoldenCase golden)
    {
        var pixels = golden.PixelValuesPerImage(model.Package.Config.Vision.PatchRowLength);
        return Enumerable.Range(0, pixels.Count).Select(i =>
        {
            var (t, h, w) = golden.ImageGrids[i];
            return model.Sessions.Vision.Encode(pixels[i], t * h * w,
                golden.Npy($"vision_pos_embed_idx_{i}.npy").AsInt64(),
                golden.Npy($"vision_pos_embed_weight_{i}.npy").AsFloat32(),
                golden.Npy($"vision_rotary_pos_ids_{i}.npy").AsInt64());
        }).ToList();
    }

    public static TheoryData<string, string> Splits()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in TestPaths.GoldenCaseNames)
        {
            data.Add(name, "half");
            data.Add(name, "all-but-last");
            if (File.Exists(Path.Combine(TestPaths.GoldenCase(name), "pixel_values.npy")))
                data.Add(name, "inside-first-image");
        }
        return data;
    }
}
