using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>
/// Features from the fused vision graph, fed through the (legacy) decoder with DeepStack, give every golden image
/// case's 16 greedy ids and its first logits; the int8 vision variant's agreement is measured and printed.
/// </summary>
public class VisionFusedDecodeFacts(TinyModelFixture model, ITestOutputHelper output) : IClassFixture<TinyModelFixture>
{
    private const float LogitTolerance = 1e-3f;

    [Theory]
    [MemberData(nameof(VisionFusedGoldenFacts.ImageCases), MemberType = typeof(VisionFusedGoldenFacts))]
    public void FusedVisionFeatures_ReproduceGoldenGreedyIdsAndLogits(string name)
    {
        using var fused = new VisionEncoder(model.Package, 1, false, ModelPackage.FusedVisionGraph);
        var golden = GoldenCase.Load(name);

        var (generated, firstLogitsDiff) = Decode(fused, golden);

        output.WriteLine($"{name}: fused fp32 vision, first-step logits max abs diff {firstLogitsDiff:E2}");
        Assert.True(firstLogitsDiff <= LogitTolerance, $"prefill logits max abs diff {firstLogitsDiff}");
        Assert.Equal(golden.GeneratedIds, generated);
    }

    [Theory]
    [MemberData(nameof(VisionFusedGoldenFacts.ImageCases), MemberType = typeof(VisionFusedGoldenFacts))]
    public void FusedInt8VisionFeatures_AgreementWithGoldenIdsIsMeasured(string name)
    {
        using var int8 = new VisionEncoder(model.Package, 1, false, VisionEncodersFixture.FusedInt8Graph);
        var golden = GoldenCase.Load(name);

        var (generated, firstLogitsDiff) = Decode(int8, golden);

        int prefix = 0;
        while (prefix < generated.Count && generated[prefix] == golden.GeneratedIds[prefix]) prefix++;
        int same = generated.Zip(golden.GeneratedIds).Count(p => p.First == p.Second);
        output.WriteLine($"{name}: int8 vision, first-step logits max abs diff {firstLogitsDiff:F4}; greedy ids equal to golden " +
                         $"{same}/16 position-wise, first {prefix} identical");
        Assert.Equal(16, generated.Count);
        // The tiny model's logits span ≈ ±10; int8 vision features are ≈ 2 % off, so prefill logits move by well
        // under one unit. A broken quantized graph moves them by the logits' own size.
        Assert.True(firstLogitsDiff < 2.0f, $"int8 vision moved the prefill logits by {firstLogitsDiff}");
    }

    private (List<int> Generated, float FirstLogitsDiff) Decode(VisionEncoder encoder, GoldenCase golden)
    {
        var config = model.Package.Config;
        var pixels = golden.PixelValuesPerImage(config.Vision.PatchRowLength);
        var features = Enumerable.Range(0, pixels.Count).Select(i =>
        {
            var (t, h, w) = golden.ImageGrids[i];
            return encoder.Encode(pixels[i], t * h * w, golden.Npy($"vision_pos_embed_idx_{i}.npy").AsInt64(),
                golden.Npy($"vision_pos_embed_weight_{i}.npy").AsFloat32(), golden.Npy($"vision_rotary_pos_ids_{i}.npy").AsInt64());
        }).ToList();
        var ids = golden.InputIds;
        var positions = MropePositions.Compute(ids, golden.ImageGrids, config.Tokens.ImagePad, config.Vision.SpatialMergeSize);
        var expected = golden.Npy("logits_first3.npy").AsFloat32();
        int vocab = config.Text.VocabSize;

        using var sequence = new SequenceState(model.Sessions, ids.Length + 16);
        sequence.Prefill(ids, features, positions);
        var first = VisionFeatureDiff.Of(expected.AsSpan(0, vocab).ToArray(), sequence.Logits.ToArray()).Max;
        var generated = new List<int>();
        for (int step = 0; step < 16; step++)
        {
            foreach (var eos in config.Tokens.Eos) sequence.Logits[eos] = float.NegativeInfinity;
            int token = TokenSampler.ArgMax(sequence.Logits);
            generated.Add(token);
            if (step < 15) sequence.Step(token);
        }
        return (generated, first);
    }
}
