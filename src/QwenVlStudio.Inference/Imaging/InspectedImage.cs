namespace QwenVlStudio.Inference.Imaging;

/// <summary>What <see cref="ImageGate"/> read from a header: the upright facts, and the EXIF orientation (1–8) that makes them upright.</summary>
internal sealed record InspectedImage(ImageHeader Header, ushort Orientation);
