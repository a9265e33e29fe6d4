using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Onnx;

/// <summary>The ONNX graphs driven by the engine's caller-side code reproduce the PyTorch reference's tensors.</summary>
public class GoldenParityFacts(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    private const float LogitTolerance = 1e-3f;

    [Theory]
    [MemberData(nameof(ImageCases))]
    public void VisionEncoder_MatchesReferenceFeatures_WhenFedGoldenInputs(string name)
    {
        var golden = GoldenCase.Load(name);
        var pixels = golden.PixelValuesPerImage(model.Package.Config.Vision.PatchRowLength);

        for (int i = 0; i < pixels.Count; i++)
        {
            var features = EncodeGoldenImage(golden, pixels, i);

            AssertClose(golden.Npy($"image_features_{i}.npy").AsFloat32(), features.ImageFeatures, 1e-4f);
            AssertClose(golden.Npy($"deepstack_features_{i}.npy").AsFloat32(), features.DeepstackFeatures, 1e-4f);
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void GreedyDecode_ReproducesReferenceIdsAndLogits_WhenFedGoldenIdsAndPixels(string name)
    {
        var golden = GoldenCase.Load(name);
        var config = model.Package.Config;
        var pixels = golden.PixelValuesPerImage(config.Vision.PatchRowLength);
        var features = Enumerable.Range(0, pixels.Count).Select(i => EncodeGoldenImage(golden, pixels, i)).ToList();
        var ids = golden.InputIds;
        var positions = MropePositions.Compute(ids, golden.ImageGrids, config.Tokens.ImagePad, config.Vision.SpatialMergeSize);
        var expectedLogits = golden.Npy("logits_first3.npy").AsFloat32();
        int vocab = config.Text.VocabSize;

        using var sequence = new SequenceState(model.Sessions, ids.Length + 16);
        sequence.Prefill(ids, features, positions);
        var generated = new List<int>();
        for (int step = 0; step < 16; step++)
        {
            if (step < 3)
                AssertClose(expectedLogits.AsSpan(step * vocab, vocab).ToArray(), sequence.Logits.ToArray(), LogitTolerance);
            foreach (var eos in config.Tokens.Eos) sequence.Logits[eos] = float.NegativeInfinity;
            int token = TokenSampler.ArgMax(sequence.Logits);
            generated.Add(token);
            if (step < 15) sequence.Step(token);
        }

        Assert.Equal(golden.GeneratedIds, generated);
    }

    private VisionFeatures EncodeGoldenImage(GoldenCase golden, IReadOnlyList<float[]> pixels, int i)
    {
        var (t, h, w) = golden.ImageGrids[i];
        return model.Sessions.Vision.Encode(pixels[i], t * h * w,
            golden.Npy($"vision_pos_embed_idx_{i}.npy").AsInt64(),
            golden.Npy($"vision_pos_embed_weight_{i}.npy").AsFloat32(),
            golden.Npy($"vision_rotary_pos_ids_{i}.npy").AsInt64());
    }

    internal static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= tolerance, $"max abs diff {worst} > {tolerance}");
    }

    public static TheoryData<string> AllCases() => GoldenCase.All();

    public static TheoryData<string> ImageCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in TestPaths.GoldenCaseNames.Where(n => File.Exists(Path.Combine(TestPaths.GoldenCase(n), "pixel_values.npy"))))
            data.Add(name);
        return data;
    }
}
