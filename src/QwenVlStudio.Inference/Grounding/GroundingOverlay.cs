using QwenVlStudio.Inference.Imaging;
using SkiaSharp;

namespace QwenVlStudio.Inference.Grounding;

/// <summary>Draws labelled boxes on the upright image (the engine's own decoder, so EXIF orientation is applied) and encodes a PNG.</summary>
public static class GroundingOverlay
{
    private static readonly SKColor[] Palette =
        [new(0xE6, 0x19, 0x4B), new(0x3C, 0xB4, 0x4B), new(0x43, 0x63, 0xD8), new(0xF5, 0x82, 0x31), new(0x91, 0x1E, 0xB4), new(0x42, 0xD4, 0xF4)];

    /// <summary>The image with the boxes of <paramref name="objects"/> (pixels of the upright image) drawn on it, as PNG.</summary>
    public static byte[] DrawPng(byte[] encodedImage, IReadOnlyList<GroundedObject> objects, ImagePreprocessorOptions? decoding = null)
    {
        var image = new ImageDecoder(decoding ?? new ImagePreprocessorOptions()).Decode(encodedImage);
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            pixels[j] = image.Pixels[i];
            pixels[j + 1] = image.Pixels[i + 1];
            pixels[j + 2] = image.Pixels[i + 2];
            pixels[j + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);

        using (var canvas = new SKCanvas(bitmap))
        {
            float stroke = Math.Max(2f, Math.Min(image.Width, image.Height) / 200f);
            using var font = new SKFont(SKTypeface.Default, Math.Max(12f, stroke * 6));
            for (int i = 0; i < objects.Count; i++)
            {
                var (label, box) = (objects[i].Label, objects[i].Box);
                var color = Palette[i % Palette.Length];
                using var outline = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = stroke, IsAntialias = true };
                canvas.DrawRect(new SKRect((float)box.Left, (float)box.Top, (float)box.Right, (float)box.Bottom), outline);
                if (label.Length == 0) continue;
                float textWidth = font.MeasureText(label);
                float top = Math.Max(0, (float)box.Top - font.Size - 4);
                using var fill = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
                canvas.DrawRect(new SKRect((float)box.Left, top, (float)box.Left + textWidth + 6, top + font.Size + 4), fill);
                using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
                canvas.DrawText(label, (float)box.Left + 3, top + font.Size, SKTextAlign.Left, font, text);
            }
        }
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }
}
