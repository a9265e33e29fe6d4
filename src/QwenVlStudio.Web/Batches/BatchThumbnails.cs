using SkiaSharp;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// Small JPEG previews of batch images, made on first request and kept beside the image. The image was checked at
/// upload (format and pixel count from its header), so decoding it here is bounded; one that does not decode has
/// no preview.
/// </summary>
public sealed class BatchThumbnails(BatchStore store)
{
    public const int MaxSide = 160;

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
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            return null;
        // JPEG and WebP decode straight to a smaller size, which keeps large photos cheap.
        var scale = Math.Min(1f, (float)MaxSide / Math.Max(codec.Info.Width, codec.Info.Height));
        var decodedSize = codec.GetScaledDimensions(scale);
        var info = new SKImageInfo(decodedSize.Width, decodedSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            return null;

        var ratio = Math.Min(1.0, (double)MaxSide / Math.Max(info.Width, info.Height));
        var target = new SKImageInfo(Math.Max(1, (int)Math.Round(info.Width * ratio)), Math.Max(1, (int)Math.Round(info.Height * ratio)), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var resized = ratio < 1 ? decoded.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)) : null;
        using var flattened = new SKBitmap(target.WithAlphaType(SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(flattened))
        {
            canvas.Clear(SKColors.White); // JPEG has no transparency: show it on white, as the model sees it
            using var source = SKImage.FromBitmap(resized ?? decoded);
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        }

        using var jpeg = flattened.Encode(SKEncodedImageFormat.Jpeg, 75);
        return jpeg?.ToArray();
    }
}
