using System.Text;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Web.Uploads;
using SkiaSharp;

namespace QwenVlStudio.Web.Tests.Uploads;

public sealed class ImageUploadValidatorFacts
{
    [Fact]
    public void Check_AcceptsPngJpegAndWebp_WithTheirSizes()
    {
        Assert.Equal(("image/png", 32, 24), Facts(TestImages.Png()));
        Assert.Equal(("image/jpeg", 32, 24), Facts(TestImages.Jpeg()));
        Assert.Equal(("image/webp", 32, 24), Facts(TestImages.Webp()));
    }

    [Fact]
    public void Check_RefusesTextFile_WhateverItsName()
    {
        var check = ImageUploadValidator.Check(Encoding.UTF8.GetBytes("not an image at all"), 1 << 20, 1 << 20);
        Assert.False(check.IsAccepted);
        Assert.Contains("not an image", check.Error);
    }

    [Fact]
    public void Check_RefusesImage_WhenItHasTooManyPixels()
    {
        var check = ImageUploadValidator.Check(TestImages.Png(64, 64), 1 << 20, maxPixels: 4000);
        Assert.False(check.IsAccepted);
        Assert.Contains("64×64", check.Error);
        Assert.Contains("4,000", check.Error);
    }

    [Fact]
    public void Check_RefusesFile_WhenOverTheByteLimit()
    {
        var png = TestImages.Png();
        var check = ImageUploadValidator.Check(png, png.Length - 1, 1 << 20);
        Assert.False(check.IsAccepted);
        Assert.Contains("limit", check.Error);
    }

    [Fact]
    public void Check_RefusesUnsupportedFormatAndEmptyFile()
    {
        using var bitmap = new SKBitmap(8, 8);
        using var bmpLike = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        var truncated = bmpLike.ToArray()[..20];
        Assert.False(ImageUploadValidator.Check(truncated, 1 << 20, 1 << 20).IsAccepted);
        Assert.Equal("The file is empty.", ImageUploadValidator.Check([], 1 << 20, 1 << 20).Error);
    }

    private static (string, int, int) Facts(byte[] bytes)
    {
        var check = ImageUploadValidator.Check(bytes, 1 << 20, 1 << 20);
        Assert.True(check.IsAccepted, check.Error);
        return (check.Info!.ContentType, check.Info.Width, check.Info.Height);
    }
}
