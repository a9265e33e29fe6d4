using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenVlStudio.Cli;

internal static class CliJson
{
    /// <summary>Readable output: non-ASCII text stays as written instead of \u escapes.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
