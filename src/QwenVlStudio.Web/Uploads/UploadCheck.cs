using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Uploads;

/// <summary>The outcome of <see cref="ImageUploadValidator.Check"/>: the image's facts, or why it was refused.</summary>
public sealed record UploadCheck(ImageInfo? Info, string? Error)
{
    public bool IsAccepted => Info is not null;

    public static UploadCheck Accepted(ImageInfo info) => new(info, null);

    public static UploadCheck Refused(string error) => new(null, error);
}
