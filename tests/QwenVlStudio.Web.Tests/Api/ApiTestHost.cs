using System.Net.Http.Headers;
using System.Text;
using QwenVlStudio.Web.Api;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Api;

/// <summary>The web host (fake engine) with one configured API key and helpers for raw HTTP calls.</summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    public const string ConfiguredKey = "config-key-0123456789abcdef";

    public ApiTestHost(Action<StudioFactory>? configure = null)
    {
        Factory = new StudioFactory();
        Factory.Settings["Api:Keys:0"] = ConfiguredKey;
        configure?.Invoke(Factory);
        Client = Factory.CreateClient();
    }

    public StudioFactory Factory { get; }

    public HttpClient Client { get; }

    public HttpRequestMessage Post(string json, string? key = ConfiguredKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    public static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    public ApiKeyStore Keys => Factory.Get<ApiKeyStore>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
