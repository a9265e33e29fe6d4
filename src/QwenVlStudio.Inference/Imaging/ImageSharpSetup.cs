using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// The one ImageSharp <see cref="Configuration"/> every image job uses: only the five supported formats are
/// registered (a TIFF or TGA is "unknown", never decoded), GIFs decode their first frame only, and the allocator
/// refuses any single buffer over <see cref="AllocationLimitMegabytes"/>: ImageSharp's own backstop behind the
/// header checks of <see cref="ImageGate"/>.
/// </summary>
internal static class ImageSharpSetup
{
    /// <summary>Room for a 16k×16k RGBA image; the gate's pixel limit (50 M by default) is far below it.</summary>
    public const int AllocationLimitMegabytes = 1024;

    public static Configuration Configuration { get; } = Create();

    private static Configuration Create()
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new GifConfigurationModule(),
            new WebpConfigurationModule(),
            new BmpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = AllocationLimitMegabytes }),
        };
        // The model sees a still image: an animated GIF is its first frame (as PIL's Image.open gives), and the
        // other frames are never decoded.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }
}
