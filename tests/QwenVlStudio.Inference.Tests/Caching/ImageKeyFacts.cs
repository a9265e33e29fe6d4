using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Tests.Caching;

public class ImageKeyFacts
{
    private static PreprocessedImage Image(int gridH, int gridW, Action<float[]>? edit = null)
    {
        var pixels = Enumerable.Range(0, gridH * gridW * 6).Select(i => i * 0.01f).ToArray();
        edit?.Invoke(pixels);
        return new PreprocessedImage(pixels, 1, gridH, gridW, 6);
    }

    [Fact]
    public void Of_GivesEqualKeys_WhenPixelsAndGridAreEqual() =>
        Assert.Equal(ImageKey.Of(Image(2, 4)), ImageKey.Of(Image(2, 4)));

    [Fact]
    public void Of_GivesDifferentKeys_WhenOnePixelDiffers() =>
        Assert.NotEqual(ImageKey.Of(Image(2, 4)), ImageKey.Of(Image(2, 4, p => p[17] += 1e-6f)));

    [Fact]
    public void Of_GivesDifferentKeys_WhenSamePixelsHaveAnotherGrid() =>
        Assert.NotEqual(ImageKey.Of(Image(2, 4)), ImageKey.Of(Image(4, 2)));
}
