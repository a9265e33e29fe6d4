using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// Resolves "Authorization: Bearer KEY" to its owner: a user's key from the store, or a key provisioned in
/// configuration (Api:Keys), which belongs to the first admin.
/// </summary>
public sealed class ApiKeyAuthenticator(ApiKeyStore keys, UserStore users, IOptions<ApiOptions> options)
{
    private readonly byte[][] _configuredHashes = options.Value.Keys
        .Where(k => !string.IsNullOrWhiteSpace(k))
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim()))).ToArray();

    public ApiCaller Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
            throw new ApiException(401, "Missing API key: send it as 'Authorization: Bearer YOUR_KEY'.", "invalid_request_error", code: "invalid_api_key");
        var key = header[7..].Trim();

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        if (_configuredHashes.Any(h => CryptographicOperations.FixedTimeEquals(h, hash)))
        {
            var admin = users.List().Where(u => u.Role == Roles.Admin).OrderBy(u => u.CreatedUtc).FirstOrDefault()
                ?? throw new ApiException(503, "No admin user exists yet to own the configured API keys.", "server_error");
            return new ApiCaller(admin.Id, "config:" + Convert.ToHexStringLower(hash)[..12]);
        }

        var record = keys.Find(key)
            ?? throw new ApiException(401, "Incorrect API key provided.", "invalid_request_error", code: "invalid_api_key");
        return new ApiCaller(record.OwnerId, record.Id.ToString("N"));
    }

    /// <summary>The rate-limit partition of a request, derived from the presented key without a database lookup.</summary>
    public static string PartitionKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.Length > 7 ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim()))) : "anonymous";
    }
}
