using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// Turns an image_url into image bytes: data: URLs always; http(s) only when Api:AllowRemoteImages is on, then
/// with a size and time limit. Every image is checked (format, bytes, pixels) before the request is queued.
/// </summary>
public sealed class ImageUrlReader(IOptions<ApiOptions> options, EngineGovernor governor, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "api-images";

    public async Task<byte[]> ReadAsync(string url, string param, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        byte[] bytes;
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            bytes = DecodeDataUrl(url, param, limits.MaxImageBytes);
        else if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            bytes = limits.AllowRemoteImages
                ? await FetchAsync(uri, param, limits, cancellationToken)
                : throw ApiException.BadRequest("Remote image URLs are disabled on this server (Api:AllowRemoteImages); send the image as a data: URL.", param, "remote_images_disabled");
        else
            throw ApiException.BadRequest("image_url.url must be a data: URL (data:image/png;base64,…) or an http(s) URL.", param, "invalid_image_url");

        var check = ImageUploadValidator.Check(bytes, limits.MaxImageBytes, governor.Current.MaxImagePixels);
        if (!check.IsAccepted)
            throw ApiException.BadRequest($"Invalid image: {check.Error}", param, "invalid_image");
        return bytes;
    }

    private static byte[] DecodeDataUrl(string url, string param, int maxBytes)
    {
        int comma = url.IndexOf(',');
        if (comma < 0 || !url[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            throw ApiException.BadRequest("A data: image URL must be base64-encoded (data:image/png;base64,…).", param, "invalid_image_url");
        var payload = url.AsSpan(comma + 1);
        if (payload.Length / 4 * 3 > maxBytes + 3)
            throw ApiException.BadRequest($"The image is larger than the limit of {ImageUploadValidator.FormatBytes(maxBytes)}.", param, "image_too_large");
        var bytes = new byte[payload.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(payload, bytes, out int written))
            throw ApiException.BadRequest("The data: image URL is not valid base64.", param, "invalid_image_url");
        return bytes[..written];
    }

    private async Task<byte[]> FetchAsync(Uri uri, string param, ApiOptions limits, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(limits.RemoteImageTimeoutSeconds));
        var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw ApiException.BadRequest($"Fetching the image failed: HTTP {(int)response.StatusCode}.", param, "image_fetch_failed");
            if (response.Content.Headers.ContentLength > limits.MaxImageBytes)
                throw ApiException.BadRequest($"The image is larger than the limit of {ImageUploadValidator.FormatBytes(limits.MaxImageBytes)}.", param, "image_too_large");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > limits.MaxImageBytes)
                    throw ApiException.BadRequest($"The image is larger than the limit of {ImageUploadValidator.FormatBytes(limits.MaxImageBytes)}.", param, "image_too_large");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ApiException.BadRequest($"Fetching the image took longer than {limits.RemoteImageTimeoutSeconds} s.", param, "image_fetch_timeout");
        }
        catch (HttpRequestException e)
        {
            throw ApiException.BadRequest($"Fetching the image failed: {e.Message}", param, "image_fetch_failed");
        }
    }
}
