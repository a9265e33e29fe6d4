using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>
/// SkiaSharp decoding against PIL's (what transformers decodes with): same pixels for JPEG variants, RGBA and
/// palette transparency, with alpha flattened onto white or dropped. Fixtures are described in Fixtures/README.md.
/// </summary>
public sealed class PilDecodingParityFacts
{
    private static string Fixture(string name) =>
        Path.Combine(TestPaths.RepoRoot, "tests", "QwenVlStudio.Inference.Tests", "Imaging", "Fixtures", name);

    [Theory]
    [InlineData("photo_420.jpg", "photo_420.pil.png", true)]
    [InlineData("photo_progressive_444.jpg", "photo_progressive_444.pil.png", true)]
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
