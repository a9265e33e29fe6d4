namespace QwenVlStudio.Web.Api;

/// <summary>An error answered in OpenAI's shape: {"error": {"message", "type", "param", "code"}}.</summary>
public sealed class ApiException(int status, string message, string type = "invalid_request_error", string? param = null, string? code = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    public TimeSpan? RetryAfter { get; init; }

    public static ApiException BadRequest(string message, string? param = null, string? code = null) => new(400, message, param: param, code: code);
}
