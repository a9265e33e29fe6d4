using QwenVlStudio.Inference.Caching;

namespace QwenVlStudio.Inference.Tests.Caching;

public class PrefixMatchFacts
{
    private const int Pad = 9;
    private static readonly ImageKey A = new(1);
    private static readonly ImageKey B = new(2);

    [Fact]
    public void Length_IsFirstDifferingIndex_WhenTextDiffers() =>
        Assert.Equal(2, PrefixMatch.Length([1, 2, 3, 4], [], [1, 2, 5, 4], [], Pad));

    [Fact]
    public void Length_IsShorterLength_WhenOneContainsTheOther()
    {
        Assert.Equal(3, PrefixMatch.Length([1, 2, 3], [], [1, 2, 3, 4, 5], [], Pad));
        Assert.Equal(3, PrefixMatch.Length([1, 2, 3, 4, 5], [], [1, 2, 3], [], Pad));
    }

    [Fact]
    public void Length_CoversImageTokens_WhenImageKeysAgree() =>
        Assert.Equal(7, PrefixMatch.Length([1, Pad, Pad, 2, Pad, Pad, 3], [A, B], [1, Pad, Pad, 2, Pad, Pad, 3], [A, B], Pad));

    [Fact]
    public void Length_StopsAtImageStart_WhenSecondImageDiffers() =>
        Assert.Equal(4, PrefixMatch.Length([1, Pad, Pad, 2, Pad, Pad, 3], [A, A], [1, Pad, Pad, 2, Pad, Pad, 3], [A, B], Pad));

    [Fact]
    public void Length_StopsAtFirstImage_WhenKeysAreUnknown() =>
        Assert.Equal(1, PrefixMatch.Length([1, Pad, Pad, 2], [], [1, Pad, Pad, 2], [], Pad));
}
