using System.ComponentModel.DataAnnotations;

namespace QwenVlStudio.Web.Uploads;

/// <summary>appsettings.json section "Uploads". The pixel limit is the governor's MaxImagePixels (live setting).</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    [Range(1_024, 512L * 1024 * 1024, ErrorMessage = "Uploads:MaxBytes must be between 1 KiB and 512 MiB.")]
    public long MaxBytes { get; set; } = 20L * 1024 * 1024;

    [Range(1, 64, ErrorMessage = "Uploads:MaxImagesPerMessage must be between 1 and 64.")]
    public int MaxImagesPerMessage { get; set; } = 8;
}
