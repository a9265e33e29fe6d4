namespace QwenVlStudio.Web.Observability;

public static class Percentiles
{
    /// <summary>The p-th percentile (0–100) with linear interpolation between ranks; 0 for no values.</summary>
    public static double Of(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return 0;
        if (p is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(p), "a percentile lies between 0 and 100");
        var sorted = values.Order().ToArray();
        double rank = p / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
