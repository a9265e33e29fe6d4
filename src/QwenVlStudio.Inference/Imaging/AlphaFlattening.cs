namespace QwenVlStudio.Inference.Imaging;

/// <summary>Turns unpremultiplied RGBA rows into RGB, either compositing onto white or dropping alpha.</summary>
internal static class AlphaFlattening
{
    /// <summary>
    /// <c>out = round((c·a + 255·(255 − a)) / 255)</c> per channel: "source over" onto an opaque white background,
    /// the value PIL's <c>Image.alpha_composite(white, image)</c> produces (its fixed-point division rounds to
    /// nearest, and <c>(v + 127) / 255</c> is that rounding since v/255 is never a tie).
    /// </summary>
    public static void FlattenOntoWhite(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        int pixels = rgba.Length / 4;
        for (int i = 0; i < pixels; i++)
        {
            int a = rgba[4 * i + 3];
            if (a == 255)
            {
                rgb[3 * i] = rgba[4 * i];
                rgb[3 * i + 1] = rgba[4 * i + 1];
                rgb[3 * i + 2] = rgba[4 * i + 2];
                continue;
            }
            int background = 255 * (255 - a);
            rgb[3 * i] = (byte)((rgba[4 * i] * a + background + 127) / 255);
            rgb[3 * i + 1] = (byte)((rgba[4 * i + 1] * a + background + 127) / 255);
            rgb[3 * i + 2] = (byte)((rgba[4 * i + 2] * a + background + 127) / 255);
        }
    }

    /// <summary>Keeps the stored colour and discards alpha (PIL's <c>convert("RGB")</c> of an RGBA image).</summary>
    public static void DropAlpha(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        int pixels = rgba.Length / 4;
        for (int i = 0; i < pixels; i++)
        {
            rgb[3 * i] = rgba[4 * i];
            rgb[3 * i + 1] = rgba[4 * i + 1];
            rgb[3 * i + 2] = rgba[4 * i + 2];
        }
    }
}
