using System.ComponentModel.DataAnnotations;

namespace QwenVlStudio.Web.Data;

/// <summary>appsettings.json section "Data".</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    /// <summary>
    /// The LiteDB file holding users, conversations, messages, uploaded images and settings; relative paths are
    /// resolved against the content root.
    /// </summary>
    [Required(ErrorMessage = "Data:Path must name the LiteDB file.")]
    public string Path { get; set; } = "data/qwenvl-studio.db";

    /// <summary>
    /// Data:AcceptMissingLog — open a data file copied from a running app without its -log file, accepting that its
    /// most recent writes are lost (without it the app refuses to start on such a file, saying so).
    /// </summary>
    public bool AcceptMissingLog { get; set; }

    /// <summary>Data:MinFreeBytes — below this much free space on the data files' disk, /readyz answers 503.</summary>
    [Range(0, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 100L * 1024 * 1024;
}
