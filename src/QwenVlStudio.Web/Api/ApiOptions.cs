using System.ComponentModel.DataAnnotations;

namespace QwenVlStudio.Web.Api;

/// <summary>The "Api" section: provisioned keys, rate limit and image fetching rules of the OpenAI-compatible API.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Keys for automation (Api:Keys:0 … or Api__Keys__0), owned by the first admin. At least 16 characters.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Requests per key per minute.</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Largest image (decoded bytes) in one image_url part.</summary>
    [Range(1, 200 * 1024 * 1024)]
    public int MaxImageBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Whether image_url may be an http(s) address fetched by the server (off: only data: URLs).</summary>
    public bool AllowRemoteImages { get; set; }

    [Range(1, 300)]
    public int RemoteImageTimeoutSeconds { get; set; } = 10;

    /// <summary>Most bytes of text (UTF-8, all messages together) in one request; more is refused before tokenizing.</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxTextBytes { get; set; } = 512 * 1024;

    /// <summary>Most images in one request.</summary>
    [Range(0, 1000)]
    public int MaxImagesPerRequest { get; set; } = 16;

    /// <summary>Largest request body.</summary>
    [Range(1024, 512 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 64 * 1024 * 1024;
}
