using QwenVlStudio.Web.Observability;

namespace QwenVlStudio.Web.Tests.Observability;

public sealed class PercentilesFacts
{
    [Theory]
    [InlineData(50, 30)]
    [InlineData(0, 10)]
    [InlineData(100, 50)]
    [InlineData(95, 48)]
    [InlineData(25, 20)]
    public void Of_InterpolatesBetweenRanks_ForUnsortedValues(double p, double expected)
    {
        Assert.Equal(expected, Percentiles.Of([50, 10, 40, 20, 30], p), 6);
    }

    [Fact]
    public void Of_IsZero_WhenThereAreNoValues() => Assert.Equal(0, Percentiles.Of([], 95));

    [Fact]
    public void Of_Throws_WhenPercentileIsOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 101));
}
