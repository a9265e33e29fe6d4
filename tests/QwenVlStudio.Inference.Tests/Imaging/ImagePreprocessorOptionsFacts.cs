using System.Text.Json;
using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Tests.Imaging;

public sealed class ImagePreprocessorOptionsFacts
{
    private static ImagePreprocessorOptions Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ImagePreprocessorOptions.FromPreprocessorConfig(doc.RootElement);
    }

    [Fact]
    public void FromPreprocessorConfig_ReadsTheTinyPackage()
    {
        var options = GoldenImageCases.TinyOptions();

        Assert.Equal(16384, options.MinPixels);
        Assert.Equal(65536, options.MaxPixels);
        Assert.Equal((16, 2, 2), (options.PatchSize, options.TemporalPatchSize, options.MergeSize));
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f }, options.ImageMean);
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f }, options.ImageStd);
        Assert.Equal(0.00392156862745098, options.RescaleFactor);
        Assert.Equal(1536, options.PatchRowLength);
        Assert.Equal(32, options.ResizeFactor);
    }

    [Fact]
    public void FromPreprocessorConfig_FallsBackToMinAndMaxPixels_WhenSizeIsAbsent()
    {
        var options = Parse("""{ "min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14 }""");

        Assert.Equal((3136L, 12845056L, 14), (options.MinPixels, options.MaxPixels, options.PatchSize));
    }

    [Theory]
    [InlineData("""{ "image_mean": [0.5, 0.5] }""", "image_mean")]
    [InlineData("""{ "patch_size": "16" }""", "patch_size")]
    [InlineData("""{ "size": { "shortest_edge": 70000, "longest_edge": 60000 } }""", "pixel budget")]
    [InlineData("""{ "image_std": [0.5, 0, 0.5] }""", "std")]
    [InlineData("""[1, 2]""", "JSON object")]
    public void FromPreprocessorConfig_ThrowsModelPackageException_WhenAValueIsUnusable(string json, string expected)
    {
        var error = Assert.Throws<ModelPackageException>(() => Parse(json));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void FromPreprocessorConfig_ThrowsModelPackageException_WhenFileIsNotJson()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not json");
            var error = Assert.Throws<ModelPackageException>(() => ImagePreprocessorOptions.FromPreprocessorConfig(path));
            Assert.Contains("not valid JSON", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
