using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Tests.Imaging;

public sealed class AlphaFlatteningFacts
{
    /// <summary>
    /// PIL's AlphaComposite.c for an opaque destination, derived independently: 7 extra fraction bits and a
    /// "divide by 255" made of two shifts, rounding to nearest.
    /// </summary>
    private static byte PilOverWhite(int colour, int alpha)
    {
        if (alpha == 0)
            return 255;
        const int precisionBits = 7;
        uint outA255 = (uint)(alpha * 255 + 255 * (255 - alpha));
        uint coef1 = (uint)(alpha * 255 * 255 * (1 << precisionBits)) / outA255;
        uint coef2 = 255 * (1 << precisionBits) - coef1;
        uint tmp = (uint)colour * coef1 + 255u * coef2 + (0x80u << precisionBits);
        return (byte)(((tmp >> 8) + tmp >> 8) >> precisionBits);
    }

    [Fact]
    public void FlattenOntoWhite_EqualsPilAlphaComposite_ForEveryColourAndAlpha()
    {
        var rgba = new byte[256 * 256 * 4];
        for (int c = 0; c < 256; c++)
            for (int a = 0; a < 256; a++)
            {
                int i = (c * 256 + a) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)c, (byte)(255 - c), 0, (byte)a);
            }
        var rgb = new byte[256 * 256 * 3];

        AlphaFlattening.FlattenOntoWhite(rgba, rgb);

        for (int c = 0; c < 256; c++)
            for (int a = 0; a < 256; a++)
            {
                int o = (c * 256 + a) * 3;
                Assert.Equal(PilOverWhite(c, a), rgb[o]);
                Assert.Equal(PilOverWhite(255 - c, a), rgb[o + 1]);
                Assert.Equal(PilOverWhite(0, a), rgb[o + 2]);
            }
    }
}
