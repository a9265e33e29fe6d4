using System.ComponentModel.DataAnnotations;
using QwenVlStudio.Web.Batches.Zip;

namespace QwenVlStudio.Web.Batches;

/// <summary>appsettings.json section "Batch": the job storage, the workers and the limits of one batch.</summary>
public sealed class BatchOptions : IValidatableObject
{
    public const string Section = "Batch";

    public BatchStorageKind Storage { get; set; } = BatchStorageKind.LiteDb;

    /// <summary>
    /// The Hangfire LiteDB file; relative paths are resolved against the content root. Empty: "hangfire.db" next to
    /// the app's database (Data:Path).
    /// </summary>
    public string? HangfirePath { get; set; }

    /// <summary>Connection string for <see cref="BatchStorageKind.PostgreSql"/>.</summary>
    public string? PostgreSqlConnection { get; set; }

    /// <summary>
    /// False: this process enqueues and shows batches but runs no Hangfire server (another process does the work).
    /// </summary>
    public bool RunServer { get; set; } = true;

    /// <summary>
    /// Hangfire workers taking batch items. Each waits for an engine slot at batch priority, so more workers than
    /// concurrent sequences only keep the next items ready.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Batch:Workers must be between 1 and 64.")]
    public int Workers { get; set; } = 2;

    [Range(1, 100_000, ErrorMessage = "Batch:MaxFiles must be between 1 and 100000.")]
    public int MaxFiles { get; set; } = 10_000;

    /// <summary>Largest single uploaded file (a zip archive can be this large; each image obeys Uploads:MaxBytes).</summary>
    [Range(1_024, 64L * 1024 * 1024 * 1024, ErrorMessage = "Batch:MaxUploadBytes must be between 1 KiB and 64 GiB.")]
    public long MaxUploadBytes { get; set; } = 1024L * 1024 * 1024;

    [Range(1, 100_000, ErrorMessage = "Batch:MaxPromptLength must be between 1 and 100000.")]
    public int MaxPromptLength { get; set; } = 8_000;

    [Range(1, 1_000_000, ErrorMessage = "Batch:ZipMaxEntries must be between 1 and 1000000.")]
    public int ZipMaxEntries { get; set; } = 10_000;

    /// <summary>Largest total of the uncompressed files of one archive.</summary>
    [Range(1_024, 1024L * 1024 * 1024 * 1024, ErrorMessage = "Batch:ZipMaxTotalBytes must be between 1 KiB and 1 TiB.")]
    public long ZipMaxTotalBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Largest uncompressed:compressed ratio of a file of 1 MiB or more in an archive (zip bombs).</summary>
    [Range(2, 100_000, ErrorMessage = "Batch:ZipMaxCompressionRatio must be between 2 and 100000.")]
    public double ZipMaxCompressionRatio { get; set; } = 100;

    public ZipLimits ZipLimits(long maxEntryBytes) => new(ZipMaxEntries, ZipMaxTotalBytes, maxEntryBytes, ZipMaxCompressionRatio);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Storage == BatchStorageKind.PostgreSql && string.IsNullOrWhiteSpace(PostgreSqlConnection))
            yield return new ValidationResult("Batch:Storage is PostgreSql but Batch:PostgreSqlConnection is empty.");
    }
}
