using System.IO.Hashing;
using System.Runtime.InteropServices;
using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Caching;

/// <summary>
/// Identity of one preprocessed image: a 128-bit hash of its grid, patch row length and pixel values. The same
/// picture at the same pixel budget gives the same key; a different budget changes the grid and so the key.
/// </summary>
public readonly record struct ImageKey(UInt128 Hash)
{
    public static ImageKey Of(PreprocessedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var hash = new XxHash128();
        ReadOnlySpan<int> shape = [image.GridT, image.GridH, image.GridW, image.PatchRowLength];
        hash.Append(MemoryMarshal.AsBytes(shape));
        hash.Append(MemoryMarshal.AsBytes(image.PixelValues.AsSpan()));
        return new ImageKey(hash.GetCurrentHashAsUInt128());
    }

    public override string ToString() => Hash.ToString("x32");
}
