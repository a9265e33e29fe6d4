namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Spots an animated WebP from its VP8X header (the animation flag), which ImageSharp 2 cannot decode ("animated
/// webp are not yet supported"): the gate refuses it by name instead of calling it corrupt.
/// </summary>
internal static class WebpAnimation
{
    private const byte AnimationFlag = 0b0000_0010;

    /// <summary>"RIFF", size, "WEBP", then a "VP8X" chunk whose first data byte holds the feature flags.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> webp) =>
        webp.Length > 20 && webp.Slice(12, 4).SequenceEqual("VP8X"u8) && (webp[20] & AnimationFlag) != 0;
}
