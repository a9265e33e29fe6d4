namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>Max and mean absolute difference of two equally long float arrays.</summary>
internal readonly record struct VisionFeatureDiff(float Max, double Mean)
{
    public static VisionFeatureDiff Of(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        double sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = Math.Abs(expected[i] - actual[i]);
            Assert.False(float.IsNaN(d), $"NaN at {i}");
            max = Math.Max(max, d);
            sum += d;
        }
        return new VisionFeatureDiff(max, expected.Length == 0 ? 0 : sum / expected.Length);
    }

    public static float MaxAbs(float[] values) => values.Length == 0 ? 0 : values.Max(Math.Abs);
}
