using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Generation;

public class MropePositionsFacts
{
    private const int ImagePad = 151655;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_EqualsGoldenPositionsAndDelta_ForEveryCase(string name)
    {
        var golden = GoldenCase.Load(name);

        var positions = MropePositions.Compute(golden.InputIds, golden.ImageGrids, ImagePad, mergeSize: 2);

        Assert.Equal(golden.Npy("position_ids.npy").AsInt64(), positions.Values);
        Assert.Equal(golden.Npy("rope_deltas.npy").AsInt64()[0], positions.RopeDelta);
    }

    [Fact]
    public void Compute_Throws_WhenImageCountDoesNotMatchTokenRuns()
    {
        int[] ids = [1, ImagePad, ImagePad, ImagePad, ImagePad, 2];

        var e = Assert.Throws<InvalidPromptException>(() => MropePositions.Compute(ids, [], ImagePad, 2));
        Assert.Contains("image", e.Message);
    }

    [Fact]
    public void Compute_SpreadsHeightAndWidth_ForOneImageBetweenText()
    {
        // grid 1×4×6 patches → 2×3 merged tokens.
        int[] ids = [7, ImagePad, ImagePad, ImagePad, ImagePad, ImagePad, ImagePad, 8];

        var p = MropePositions.Compute(ids, [(1, 4, 6)], ImagePad, 2);

        int s = ids.Length;
        Assert.Equal([0, 1, 1, 1, 1, 1, 1, 4], p.Values[..s]);
        Assert.Equal([0, 1, 1, 1, 2, 2, 2, 4], p.Values[s..(2 * s)]);
        Assert.Equal([0, 1, 2, 3, 1, 2, 3, 4], p.Values[(2 * s)..]);
        Assert.Equal(5 - s, p.RopeDelta);
        Assert.Equal(s + p.RopeDelta, p.DecodePosition(s));
    }

    public static TheoryData<string> Cases() => GoldenCase.All();
}
