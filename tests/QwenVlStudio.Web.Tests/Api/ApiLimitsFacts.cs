using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Api;

/// <summary>Per-key rate limit, readiness while loading, remote images, and the real model through the API.</summary>
public sealed class ApiLimitsFacts
{
    private const string Hi = """{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}""";

    [Fact]
    public async Task ChatCompletions_Answers429WithRetryAfter_WhenKeyExceedsItsRate()
    {
        await using var host = new ApiTestHost(f => f.Settings["Api:RequestsPerMinute"] = "3");
        await host.Factory.WaitForEngineAsync();

        for (int i = 0; i < 3; i++)
            using (var ok = await host.Client.SendAsync(host.Post(Hi)))
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var limited = await host.Client.SendAsync(host.Post(Hi));

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        // The window opened with the first request moments ago: it frees in under a minute, and the header says so.
        Assert.InRange(limited.Headers.RetryAfter.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Contains("rate_limit_exceeded", await limited.Content.ReadAsStringAsync());
        // Another key has its own budget.
        var user = host.Factory.CreateUser("other-key-owner");
        var (_, key) = host.Keys.Create(user.Id, "other");
        using var other = await host.Client.SendAsync(host.Post(Hi, key));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_Answers413_WhenBodyExceedsTheLimit()
    {
        await using var host = new ApiTestHost(f => f.Settings["Api:MaxRequestBytes"] = "2048");
        await host.Factory.WaitForEngineAsync();
        var big = $$"""{"messages": [{"role": "user", "content": "{{new string('x', 4000)}}"}]}""";

        using var response = await host.Client.SendAsync(host.Post(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("request_too_large", await response.Content.ReadAsStringAsync());
        Assert.Empty(host.Factory.Engines.Latest!.Requests);
    }

    [Fact]
    public async Task ChatCompletionsAndReadiness_Answer503_WhileModelLoads()
    {
        await using var host = new ApiTestHost(f => f.Engines.HoldLoad = new TaskCompletionSource());

        using var chat = await host.Client.SendAsync(host.Post(Hi));
        using var ready = await host.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
        Assert.Equal("model_not_ready", JsonDocument.Parse(await chat.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
        host.Factory.Engines.HoldLoad!.SetResult();
    }

    [Fact]
    public async Task ChatCompletions_FetchesRemoteImage_WhenEnabled_AndRefusesOversizedOne()
    {
        await using var images = WebApplication.CreateBuilder().Build();
        images.Urls.Add("http://127.0.0.1:0");
        var png = TestImages.Png(40, 30);
        images.MapGet("/ok.png", () => Results.File(png, "image/png"));
        images.MapGet("/big.png", () => Results.File(new byte[4096], "image/png"));
        await images.StartAsync();
        var baseUrl = images.Urls.First();
        await using var host = new ApiTestHost(f =>
        {
            f.Settings["Api:AllowRemoteImages"] = "true";
            f.Settings["Api:MaxImageBytes"] = "2048";
        });
        await host.Factory.WaitForEngineAsync();
        string Body(string url) => $$$"""{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "{{{url}}}"}}, {"type": "text", "text": "what?"}]}], "max_tokens": 1}""";

        using var ok = await host.Client.SendAsync(host.Post(Body(baseUrl + "/ok.png")));
        using var big = await host.Client.SendAsync(host.Post(Body(baseUrl + "/big.png")));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Single(host.Factory.Engines.Latest!.Requests[^1][^1].Images);
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Contains("image_too_large", await big.Content.ReadAsStringAsync());
        await images.StopAsync();
    }

    [Fact]
    public async Task ChatCompletions_ReproducesGoldenText_OnTheRealTinyModel()
    {
        await using var host = new ApiTestHost(f => f.UseRealEngine = true);
        Assert.Equal(EngineState.Ready, (await host.Factory.WaitForEngineAsync()).State);
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "models", "qwen3-vl-tiny", "golden", "case4_text_only", "case.json"))).RootElement;

        using var response = await host.Client.SendAsync(host.Post(
            """{"messages": [{"role": "user", "content": "Hello, who are you?"}], "max_tokens": 16, "min_tokens": 16, "temperature": 0}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(golden.GetProperty("generated_text").GetString(), body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(14, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(16, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
