using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Tests.Support;
using System.Text.Json;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Imaging;

public sealed class VisionPositionsFacts(ITestOutputHelper output)
{
    private static int NumPositionEmbeddings()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinyModel, "config.json")));
        return config.RootElement.GetProperty("vision_config").GetProperty("num_position_embeddings").GetInt32();
    }

    [Theory]
    [MemberData(nameof(GoldenImageCases.CaseNames), MemberType = typeof(GoldenImageCases))]
    public void Compute_EqualsGoldenVisionInputs_ForEveryImageOfTheCase(string caseName)
    {
        var grids = GoldenImageCases.Grids(caseName);
        for (int i = 0; i < grids.Length; i++)
        {
            var (_, gh, gw) = grids[i];
            var expectedIdx = GoldenImageCases.ReadCaseArray(caseName, $"vision_pos_embed_idx_{i}.npy");
            var expectedWeight = GoldenImageCases.ReadCaseArray(caseName, $"vision_pos_embed_weight_{i}.npy");
            var expectedRotary = GoldenImageCases.ReadCaseArray(caseName, $"vision_rotary_pos_ids_{i}.npy");

            var actual = VisionPositions.Compute(gh, gw, 2, NumPositionEmbeddings());

            Assert.Equal(gh * gw, actual.NumPatches);
            Assert.Equal(new[] { 4, gh * gw }, expectedIdx.Shape);
            Assert.Equal(new[] { gh * gw, 2 }, expectedRotary.Shape);
            Assert.Equal(expectedIdx.AsInt64(), actual.PosEmbedIdx);
            Assert.Equal(expectedRotary.AsInt64(), actual.RotaryPosIds);
            var weights = expectedWeight.AsFloat32();
            float maxDiff = weights.Zip(actual.PosEmbedWeight, (e, a) => Math.Abs(e - a)).Max();
            int identical = weights.Zip(actual.PosEmbedWeight, (e, a) => e == a ? 1 : 0).Sum();
            output.WriteLine($"{caseName} image {i} grid {gh}x{gw}: weights max |diff| {maxDiff:E2}, {identical}/{weights.Length} bit-identical");
            // float32 torch.linspace reproduced step for step: weights are exact, not merely close.
            Assert.Equal(weights, actual.PosEmbedWeight);
        }
    }

    [Fact]
    public void Compute_WeightsSumToOneAndIndicesStayInTable_ForAnOddGrid()
    {
        var positions = VisionPositions.Compute(6, 10, 2, 48 * 48);
        int n = positions.NumPatches;
        for (int p = 0; p < n; p++)
        {
            float sum = 0;
            for (int k = 0; k < 4; k++)
            {
                sum += positions.PosEmbedWeight[k * n + p];
                Assert.InRange(positions.PosEmbedIdx[k * n + p], 0, 48 * 48 - 1);
            }
            Assert.Equal(1f, sum, 1e-6f);
        }
        // Corners of the grid sample the corners of the table exactly.
        Assert.Equal(0, positions.PosEmbedIdx[0]);
        Assert.Equal(1f, positions.PosEmbedWeight[0]);
        Assert.Equal(48 * 48 - 1, positions.PosEmbedIdx[3 * n + n - 1]);
    }

    [Fact]
    public void Compute_OrdersRotaryIdsByMergeBlock_WhenGridIsFourByFour()
    {
        var positions = VisionPositions.Compute(4, 4, 2, 48 * 48);

        // First merge block (bh 0, bw 0) holds (0,0) (0,1) (1,0) (1,1); the second (bh 0, bw 1) starts at (0,2).
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 0, 1, 1, 0, 2 }, positions.RotaryPosIds[..10]);
    }

    [Fact]
    public void Compute_Throws_WhenTableIsNotSquare()
    {
        Assert.Throws<ArgumentException>(() => VisionPositions.Compute(4, 4, 2, 2305));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(18)]
    [InlineData(28)]
    [InlineData(7)]
    public void Linspace_HitsBothEndsExactly_AndIsIncreasing(int steps)
    {
        var values = VisionPositions.Linspace(0, 47, steps);

        Assert.Equal(0f, values[0]);
        Assert.Equal(47f, values[^1]);
        for (int i = 1; i < steps; i++)
            Assert.True(values[i] > values[i - 1]);
    }

    [Fact]
    public void Compute_UsesThePreprocessedGrid_WhenGivenAnImage()
    {
        var image = new ImagePreprocessor(GoldenImageCases.TinyOptions()).Preprocess(GoldenImageCases.ReadImage("image4_256x192.png"));

        var positions = VisionPositions.Compute(image, 2, NumPositionEmbeddings());

        Assert.Equal(image.NumPatches, positions.NumPatches);
        Assert.Equal(GoldenImageCases.ReadCaseArray("case6_exact_size", "vision_pos_embed_idx_0.npy").AsInt64(), positions.PosEmbedIdx);
    }

    [Fact]
    public void Compute_Throws_WhenImageHasSeveralTemporalGroups()
    {
        var video = new PreprocessedImage(new float[2 * 4 * 1536], 2, 2, 2, 1536);

        Assert.Throws<ArgumentException>(() => VisionPositions.Compute(video, 2, 48 * 48));
    }
}
