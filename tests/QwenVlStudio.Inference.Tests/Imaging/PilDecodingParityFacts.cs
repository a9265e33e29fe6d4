using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>
/// ImageSharp decoding against PIL's (what transformers decodes with): same pixels for JPEG variants, RGBA and
/// palette transparency, with alpha flattened onto white or dropped. Fixtures are described in Fixtures/README.md.
/// </summary>
public sealed class PilDecodingParityFacts
{
    private static string Fixture(string name) =>
        Path.Combine(TestPaths.RepoRoot, "tests", "QwenVlStudio.Inference.Tests", "Imaging", "Fixtures", name);

    [Theory]
    [InlineData("alpha.png", "alpha.pil-white.png", true)]
    [InlineData("alpha.png", "alpha.pil-drop.png", false)]
    [InlineData("palette_trns.png", "palette_trns.pil-white.png", true)]
    [InlineData("palette_trns.png", "palette_trns.pil-drop.png", false)]
    public void Decode_GivesPilsPixels(string file, string pilReference, bool flattenOntoWhite)
    {
        var decoder = new ImageDecoder(new ImagePreprocessorOptions { FlattenAlphaOntoWhite = flattenOntoWhite });
        var expected = new ImageDecoder(new ImagePreprocessorOptions()).Decode(File.ReadAllBytes(Fixture(pilReference)));

        var actual = decoder.Decode(File.ReadAllBytes(Fixture(file)));

        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        Assert.Equal(expected.Pixels, actual.Pixels);
    }

    /// <summary>
    /// JPEG is where decoders differ: PIL (libjpeg-turbo: integer IDCT, "fancy" triangle-filter chroma upsampling)
    /// and ImageSharp (its own IDCT and a plainer chroma upsampling) round differently. With full-resolution chroma
    /// (4:4:4) only IDCT rounding is left, a few levels at most; with 4:2:0 chroma the colour edges differ more
    /// (measured on this fixture: mean 2.0 levels, 95 % of values within 6, worst 94 at a sharp red/blue edge).
    /// The golden cases are PNG, which decodes bit-identically; these bounds say what a JPEG upload gives.
    /// </summary>
    [Theory]
    [InlineData("photo_progressive_444.jpg", "photo_progressive_444.pil.png", 3, 0.1, 1)]
    [InlineData("photo_420.jpg", "photo_420.pil.png", 255, 2.5, 8)]
    public void Decode_StaysCloseToPil_ForJpeg(string file, string pilReference, int maxLevels, double maxMeanLevels, int maxLevelsAt95Percent)
    {
        var decoder = new ImageDecoder(new ImagePreprocessorOptions());
        var expected = decoder.Decode(File.ReadAllBytes(Fixture(pilReference)));

        var actual = decoder.Decode(File.ReadAllBytes(Fixture(file)));

        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var differences = expected.Pixels.Zip(actual.Pixels, (e, a) => Math.Abs(e - a)).Order().ToArray();
        var summary = $"{file}: worst {differences[^1]} levels, mean {differences.Average():F3}, 95th percentile {differences[differences.Length * 95 / 100]}";
        Assert.True(differences[^1] <= maxLevels, summary);
        Assert.True(differences.Average() <= maxMeanLevels, summary);
        Assert.True(differences[differences.Length * 95 / 100] <= maxLevelsAt95Percent, summary);
    }

    [Fact]
    public void Decode_DiffersBetweenFlattenAndDrop_ForTheAlphaFixture()
    {
        // Guards the parity facts above: the two alpha modes must really produce different pixels here.
        var white = File.ReadAllBytes(Fixture("alpha.pil-white.png"));
        var drop = File.ReadAllBytes(Fixture("alpha.pil-drop.png"));
        var decoder = new ImageDecoder(new ImagePreprocessorOptions());

        Assert.NotEqual(decoder.Decode(white).Pixels, decoder.Decode(drop).Pixels);
    }
}
