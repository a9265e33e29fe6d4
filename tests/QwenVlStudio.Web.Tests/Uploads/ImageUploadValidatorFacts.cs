using System.Buffers.Binary;
using System.Text;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Web.Uploads;

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
    public void Check_AcceptsBmp_LikeTheEngineDecoder()
    {
        // Before the one gate the upload check refused BMP while the engine decoded it.
        Assert.Equal(("image/bmp", 3, 2), Facts(BmpOf(3, 2)));
    }

    [Fact]
    public void Check_ReportsTheUprightSize_OfARotatedJpeg()
    {
        // EXIF orientation 6 (rotate 90°): the stored 32×24 picture is shown, and decoded, as 24×32.
        Assert.Equal(("image/jpeg", 24, 32), Facts(JpegWithOrientation6(TestImages.Jpeg())));
    }

    [Fact]
    public void Check_RefusesWhatTheEngineRefuses_WithTheEnginesReason()
    {
        var bomb = BadImages.PixelBomb(30_000, 30_000);
        var engine = Assert.Throws<ImageRejectedException>(() => new ImageGate(1 << 20, 4_000_000).Check(bomb));

        var check = ImageUploadValidator.Check(bomb, 1 << 20, 4_000_000);

        Assert.False(check.IsAccepted);
        Assert.Equal("The PNG image is 30000×30000 = 900,000,000 pixels; the limit is 4,000,000 pixels.", check.Error);
        Assert.Equal(check.Error, EngineMessage.AsSentence(engine.Message) + ".");
    }

    [Fact]
    public void Check_RefusesTextFile_WhateverItsName()
    {
        var check = ImageUploadValidator.Check(Encoding.UTF8.GetBytes("not an image at all"), 1 << 20, 1 << 20);
        Assert.False(check.IsAccepted);
        Assert.Equal("The file is a text file, not an image; send JPEG, PNG, GIF, WebP or BMP.", check.Error);
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
        var truncated = TestImages.Png(8, 8)[..20];
        Assert.Contains("truncated or corrupt", ImageUploadValidator.Check(truncated, 1 << 20, 1 << 20).Error);
        var tiff = "II*\0\u0008\0\0\0"u8.ToArray();
        Assert.Contains("TIFF", ImageUploadValidator.Check(tiff, 1 << 20, 1 << 20).Error);
        Assert.Equal("The image file is empty (0 bytes).", ImageUploadValidator.Check([], 1 << 20, 1 << 20).Error);
    }

    /// <summary>24-bit uncompressed BMP, mid-grey.</summary>
    private static byte[] BmpOf(int width, int height)
    {
        int rowSize = (width * 3 + 3) / 4 * 4;
        var file = new byte[54 + rowSize * height];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        file.AsSpan(54).Fill(128);
        return file;
    }

    /// <summary>The JPEG with an EXIF APP1 segment (big-endian TIFF, one Orientation = 6 entry) after its SOI.</summary>
    private static byte[] JpegWithOrientation6(byte[] jpeg)
    {
        byte[] exif = [.. "Exif\0\0"u8, .. "MM\0*"u8, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
        return [.. jpeg[..2], 0xFF, 0xE1, 0, (byte)(exif.Length + 2), .. exif, .. jpeg[2..]];
    }

    private static (string, int, int) Facts(byte[] bytes)
    {
        var check = ImageUploadValidator.Check(bytes, 1 << 20, 1 << 20);
        Assert.True(check.IsAccepted, check.Error);
        return (check.Info!.ContentType, check.Info.Width, check.Info.Height);
    }
}
