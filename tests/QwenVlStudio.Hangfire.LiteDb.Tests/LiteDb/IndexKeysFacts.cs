using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>The composite index keys sort as the values they encode.</summary>
public sealed class IndexKeysFacts
{
    [Fact]
    public void SetOrder_SortsLikeTheScores_AcrossSignsAndInfinities()
    {
        double[] scores = [double.NegativeInfinity, -1e300, -2.5, -1, -0.0, 0, 1e-300, 1, 2.5, 1e300, double.PositiveInfinity];

        var keys = scores.Select(score => IndexKeys.SetOrder("s", score, "v")).ToList();

        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(IndexKeys.SetOrder("s", -0.0, "v"), IndexKeys.SetOrder("s", 0.0, "v"));
    }

    [Fact]
    public void SetMember_UsesADigest_ForValuesTooLongToIndex()
    {
        var longValue = new string('x', 10_000);

        var key = IndexKeys.SetMember("set", longValue);

        Assert.True(key.Length < 200);
        Assert.Equal(key, IndexKeys.SetMember("set", longValue));
        Assert.NotEqual(key, IndexKeys.SetMember("set", longValue + "y"));
    }

    [Fact]
    public void Keys_StayInsideTheirOwnersRange()
    {
        var key = IndexKeys.Waiting("default", 42);

        Assert.True(string.CompareOrdinal(key, IndexKeys.RangeStart("default")) > 0);
        Assert.True(string.CompareOrdinal(key, IndexKeys.RangeEnd("default")) < 0);
        Assert.True(string.CompareOrdinal(IndexKeys.Waiting("default-2", 1), IndexKeys.RangeEnd("default")) > 0);
    }

    [Fact]
    public void ListItem_OrdersNewestFirst()
    {
        Assert.True(string.CompareOrdinal(IndexKeys.ListItem("l", 2), IndexKeys.ListItem("l", 1)) < 0);
    }
}
