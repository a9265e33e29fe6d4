using System.Net;
using System.Text.Json;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Api;

/// <summary>Status codes, error shapes and SSE framing of the API, checked on the wire.</summary>
public sealed class RawHttpFacts : IAsyncLifetime
{
    private readonly ApiTestHost _host = new();

    public async Task InitializeAsync() => Assert.Equal(EngineState.Ready, (await _host.Factory.WaitForEngineAsync()).State);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("type", out _));
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error;
    }

    public static TheoryData<string, string?> BadRequests() => new()
    {
        { "{\"messages\": [", null },
        { """{"messages": []}""", "messages" },
        { """{"messages": [{"role": "tool", "content": "x"}]}""", "messages[0].role" },
        { """{"messages": [{"role": "user", "content": "hi"}], "n": 2}""", "n" },
        { """{"messages": [{"role": "user", "content": "hi"}], "temperature": 3}""", "temperature" },
        { """{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}""", "max_tokens" },
        { """{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,bm90IGFuIGltYWdl"}}]}]}""", "messages[0].content[0].image_url" },
        { """{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://127.0.0.1:9/x.png"}}]}]}""", "messages[0].content[0].image_url" },
        { """{"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "xml"}}""", "response_format.type" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ChatCompletions_Answers400WithParam_WhenRequestIsBad(string json, string? param)
    {
        using var response = await _host.Client.SendAsync(_host.Post(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null)
            Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task ChatCompletions_Answers400ContextLength_WhenEngineRejectsPrompt()
    {
        using var response = await _host.Client.SendAsync(_host.Post("""{"messages": [{"role": "user", "content": "[reject] please"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_prompt", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nope")]
    public async Task ChatCompletions_Answers401_WhenKeyIsMissingOrWrong(string? key)
    {
        using var response = await _host.Client.SendAsync(_host.Post("""{"messages": [{"role": "user", "content": "hi"}]}""", key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await ErrorOf(response)).GetProperty("code").GetString());
        Assert.Empty(_host.Factory.Engines.Latest!.Requests);
    }

    [Fact]
    public async Task ChatCompletions_StreamsServerSentEvents_EndingWithDone()
    {
        using var response = await _host.Client.SendAsync(_host.Post(
            """{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 3, "stream": true, "stream_options": {"include_usage": true}}"""),
            HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", body);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Equal("Fake answer: word1 word2 word3 ", text);
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(3, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_CancelsGeneration_WhenClientDisconnectsMidStream()
    {
        _host.Factory.Engines.Behavior.TokenDelay = TimeSpan.FromMilliseconds(50);
        using var abort = new CancellationTokenSource();
        var response = await _host.Client.SendAsync(_host.Post(
            """{"messages": [{"role": "user", "content": "a long story"}], "max_tokens": 400, "stream": true}"""),
            HttpCompletionOption.ResponseHeadersRead, abort.Token);
        var stream = await response.Content.ReadAsStreamAsync(abort.Token);
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer, abort.Token) > 0);
        var engine = _host.Factory.Engines.Latest!;
        Assert.Equal(1, engine.Running);

        abort.Cancel();
        response.Dispose();

        for (int i = 0; i < 300 && (engine.Running > 0 || _host.Factory.Engine.Load.Running > 0); i++)
            await Task.Delay(10);
        Assert.Equal(0, engine.Running);
        Assert.Equal(0, _host.Factory.Engine.Load.Running);
    }

    [Fact]
    public async Task ChatCompletions_Answers429WithRetryAfter_WhenQueueIsFull()
    {
        var behavior = _host.Factory.Engines.Behavior;
        behavior.HoldFirstStep = new TaskCompletionSource();
        var body = """{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}""";
        // Two running (the host's limit) and eight waiting (its queue length) fill the interactive class.
        var held = Enumerable.Range(0, 10).Select(_ => _host.Client.SendAsync(_host.Post(body))).ToList();
        for (int i = 0; i < 500 && _host.Factory.Engine.Load.QueuedInteractive < 8; i++)
            await Task.Delay(10);

        using var response = await _host.Client.SendAsync(_host.Post(body));

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("server_busy", (await ErrorOf(response)).GetProperty("code").GetString());
        behavior.HoldFirstStep.SetResult();
        foreach (var r in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            r.Dispose();
        }
    }

    [Fact]
    public async Task Models_ListsTheLoadedModel()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", ApiTestHost.ConfiguredKey);

        using var response = await _host.Client.SendAsync(request);

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("fake-tiny", doc.RootElement.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task HealthAndReadiness_AnswerOk_WhenModelIsLoaded()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/healthz")).StatusCode);
        using var ready = await _host.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"ready\"", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_IsPrometheusTextWithEngineMetrics_AfterARequest()
    {
        using (var chat = await _host.Client.SendAsync(_host.Post("""{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}""")))
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

        string text = "";
        for (int i = 0; i < 50 && !text.Contains("qwenvl_tokens_output"); i++)
        {
            text = await _host.Client.GetStringAsync("/metrics");
            await Task.Delay(100);
        }

        foreach (var name in new[] { "qwenvl_requests", "qwenvl_tokens_output", "qwenvl_tokens_input", "qwenvl_ttft", "qwenvl_queue_depth", "qwenvl_sequences_active", "qwenvl_request_duration" })
            Assert.Contains(name, text);
        Assert.Contains("dotnet_gc", text);
        // Latency histograms have buckets that fit seconds, not the exporter's millisecond defaults (0, 5, 10 …).
        Assert.Matches(@"qwenvl_ttft_seconds_bucket\{[^}]*le=""0.05""", text);
        Assert.Matches(@"qwenvl_request_duration_seconds_bucket\{[^}]*le=""120""", text);
        Assert.DoesNotMatch(@"qwenvl_ttft_seconds_bucket\{[^}]*le=""7500""", text);
        // Every non-comment line is "name{labels} value" (the Prometheus text format).
        foreach (var line in text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
            Assert.Matches(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfNa]+( [0-9]+)?$", line);
    }
}
