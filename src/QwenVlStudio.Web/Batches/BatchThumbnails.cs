using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// Small JPEG previews of batch images, made on first request and kept beside the image. The image is decoded by
/// the engine's own <see cref="ImageDecoder"/> (the same gate, upright, transparency on white), so the preview shows
/// what the model sees; one that does not decode has no preview.
/// </summary>
public sealed class BatchThumbnails(BatchStore store)
{
    public const int MaxSide = 160;

    private static readonly ImageDecoder Decoder = new(new ImagePreprocessorOptions());

    public byte[]? Get(BatchItemRecord item)
    {
        if (store.ReadThumbnail(item) is { } cached)
            return cached;
        var image = store.ReadImage(item);
        var thumbnail = image is null ? null : Make(image);
        if (thumbnail is not null)
            store.SaveThumbnail(item, thumbnail);
        return thumbnail;
    }

    /// <summary>A JPEG no larger than <see cref="MaxSide"/> on its longer side, or null when the image does not decode.</summary>
    public static byte[]? Make(byte[] encoded)
    {
        RgbImage decoded;
        try
        {
            decoded = Decoder.Decode(encoded);
        }
        catch (ImageRejectedException)
        {
            return null; // the item itself fails with the reason when its job decodes it
        }

        using var image = Image.LoadPixelData<Rgb24>(decoded.Pixels, decoded.Width, decoded.Height);
        var ratio = Math.Min(1.0, (double)MaxSide / Math.Max(image.Width, image.Height));
        if (ratio < 1)
            image.Mutate(x => x.Resize(Math.Max(1, (int)Math.Round(image.Width * ratio)), Math.Max(1, (int)Math.Round(image.Height * ratio))));
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 75 });
        return jpeg.ToArray();
    }
}
