namespace QwenVlStudio.Web.Api;

/// <summary>A user's API key: only its SHA-256 hash is stored; the key itself is shown once, at creation.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string Hash { get; set; } = "";

    /// <summary>The first characters, so a person can tell keys apart in the list.</summary>
    public string Prefix { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
}
