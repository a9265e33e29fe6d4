using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class BatchThumbnailsFacts
{
    [Fact]
    public void Make_ShrinksTheLongerSideTo160_AndEncodesJpeg()
    {
        var thumbnail = BatchThumbnails.Make(TestImages.Png(640, 480));

        Assert.NotNull(thumbnail);
        using var image = Image.Load<Rgb24>(thumbnail, out var format);
        Assert.Same(JpegFormat.Instance, format);
        Assert.Equal((160, 120), (image.Width, image.Height));
        // The centre is the orange-red disc, the corner the cornflower-blue background (JPEG noise aside).
        Assert.InRange(image[80, 60].R, 225, 255);
        Assert.InRange(image[2, 2].B, 215, 255);
    }

    [Fact]
    public void Make_KeepsSmallImagesTheirSize()
    {
        using var image = Image.Load<Rgb24>(BatchThumbnails.Make(TestImages.Webp(40, 30))!);

        Assert.Equal((40, 30), (image.Width, image.Height));
    }

    [Fact]
    public void Make_ShowsTransparencyOnWhite()
    {
        using var transparent = new Image<Rgba32>(20, 20, new Rgba32(0, 0, 0, 0));
        using var png = new MemoryStream();
        transparent.SaveAsPng(png);

        using var image = Image.Load<Rgb24>(BatchThumbnails.Make(png.ToArray())!);

        Assert.InRange(image[10, 10].R, 250, 255);
        Assert.InRange(image[10, 10].G, 250, 255);
    }

    [Fact]
    public void Make_GivesNoThumbnail_ForAFileThatDoesNotDecode()
    {
        Assert.Null(BatchThumbnails.Make(BadImages.Truncated()));
        Assert.Null(BatchThumbnails.Make(BadImages.NotAnImage()));
    }
}
