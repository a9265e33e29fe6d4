namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// What an image file's header says, read without decoding pixels. <see cref="Width"/> and
/// <see cref="Height"/> are upright (after the EXIF orientation is applied).
/// </summary>
public sealed record ImageHeader(SupportedImageFormat Format, int Width, int Height, bool HasAlpha);
