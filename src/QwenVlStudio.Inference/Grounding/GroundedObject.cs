namespace QwenVlStudio.Inference.Grounding;

/// <summary>A box in pixels of the upright image (EXIF orientation applied, as viewers show it): left ≤ right, top ≤ bottom.</summary>
public readonly record struct PixelBox(double Left, double Top, double Right, double Bottom)
{
    public double Width => Right - Left;
    public double Height => Bottom - Top;
}

/// <summary>One thing the model found: its label and where it is.</summary>
public sealed record GroundedObject(string Label, PixelBox Box);
