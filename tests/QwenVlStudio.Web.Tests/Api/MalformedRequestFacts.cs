using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Api;

/// <summary>
/// Issue 15 items 3 and 11: every malformed field is a 400 in OpenAI's shape naming it, every /v1 error is OpenAI
/// JSON (never an HTML page or an empty body), and the pages carry the security headers.
/// </summary>
public sealed class MalformedRequestFacts : IAsyncLifetime
{
    private const string Hi = """{"role": "user", "content": "hi"}""";

    private readonly ApiTestHost _host = new();

    public async Task InitializeAsync() => Assert.Equal(EngineState.Ready, (await _host.Factory.WaitForEngineAsync()).State);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonElement> OpenAiErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("type", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error;
    }

    public static TheoryData<string, string> MalformedFields() => new()
    {
        { $$$"""{"messages": [{"role": "user", "content": [{"type": 5, "text": "x"}]}]}""", "messages[0].content[0].type" },
        { $$$"""{"messages": [{"role": "user", "content": [{"type": ["text"], "text": "x"}]}]}""", "messages[0].content[0].type" },
        { $$$"""{"messages": [{"role": "user", "content": [7]}]}""", "messages[0].content[0]" },
        { $$$"""{"messages": [{{{Hi}}}], "seed": "42"}""", "seed" },
        { $$$"""{"messages": [{{{Hi}}}], "seed": 1.5}""", "seed" },
        { $$$"""{"messages": [{{{Hi}}}], "response_format": {"type": 1}}""", "response_format.type" },
        { $$$"""{"messages": [{{{Hi}}}], "response_format": "json"}""", "response_format" },
        { """{"messages": [{"role": "user", "content": "a\ud800b"}]}""", "messages[0].content" },
        { """{"messages": [{"role": "user", "content": "\udc00"}]}""", "messages[0].content" },
        { """{"messages": [{"role": "user", "content": [{"type": "text", "text": "x\ud800"}]}]}""", "messages[0].content[0].text" },
        { """{"messages": [{"role": "user", "content": "a\ufffeb"}]}""", "messages[0].content" },
        { """{"messages": [{"role": "user", "content": "\uffff"}]}""", "messages[0].content" },
        { """{"messages": [{"role": "system", "content": "\ufffe"}, {"role": "user", "content": "hi"}]}""", "messages[0].content" },
        { $$$"""{"messages": [{{{Hi}}}], "stop": "\ud800"}""", "stop" },
        { $$$"""{"messages": [{{{Hi}}}], "top_p": 1.5}""", "top_p" },
        { $$$"""{"messages": [{{{Hi}}}], "top_p": 1e-60}""", "top_p" },
        { $$$"""{"messages": [{{{Hi}}}], "top_p": "0.5"}""", "top_p" },
        { $$$"""{"messages": [{{{Hi}}}], "temperature": -1}""", "temperature" },
        { $$$"""{"messages": [{{{Hi}}}], "temperature": 1e-60}""", "temperature" },
        { $$$"""{"messages": [{{{Hi}}}], "repetition_penalty": 1e30}""", "repetition_penalty" },
        { $$$"""{"messages": [{{{Hi}}}], "repetition_penalty": 0}""", "repetition_penalty" },
        { $$$"""{"messages": [{{{Hi}}}], "top_k": 100000}""", "top_k" },
        { $$$"""{"messages": [{{{Hi}}}], "stop": ["a", "b", "c", "d", "e"]}""", "stop" },
        { $$$"""{"messages": [{{{Hi}}}], "stream": "yes"}""", "stream" },
        { $$$"""{"messages": [{{{Hi}}}], "stream_options": {"include_usage": 1}}""", "stream_options.include_usage" },
        { $$$"""{"messages": [{{{Hi}}}], "model": 3}""", "model" },
        { $$$"""{"messages": [{{{Hi}}}], "tools": []}""", "tools" },
        { $$$"""{"messages": [{{{Hi}}}], "tool_choice": "auto"}""", "tool_choice" },
        { $$$"""{"messages": [{{{Hi}}}], "functions": [{"name": "f"}]}""", "functions" },
        { $$$"""{"messages": [{{{Hi}}}], "function_call": "auto"}""", "function_call" },
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public async Task ChatCompletions_Answers400NamingTheField_WhenAFieldIsMalformed(string json, string param)
    {
        using var response = await _host.Client.SendAsync(_host.Post(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await OpenAiErrorOf(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Empty(_host.Factory.Engines.Latest!.Requests);
    }

    [Fact]
    public async Task ChatCompletions_Answers400NamingTheField_WhenAStringHoldsRawInvalidUtf8()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("""{"messages": [{"role": "user", "content": "a"""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}]}")];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiTestHost.ConfiguredKey);

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await OpenAiErrorOf(response);
        // System.Text.Json may refuse the bytes while parsing (no field to name) or while reading the string (the field).
        Assert.Contains(error.GetProperty("code").GetString(), new[] { "invalid_unicode", "invalid_json" });
        if (error.GetProperty("code").GetString() == "invalid_unicode")
            Assert.Equal("messages[0].content", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task ChatCompletions_AcceptsValidSurrogatePairsAndFalseFlags()
    {
        using var response = await _host.Client.SendAsync(_host.Post(
            """{"messages": [{"role": "user", "content": "smile \ud83d\ude00"}], "stream": false, "max_tokens": 2, "seed": 7, "stream_options": {"include_usage": false}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_RefusesTooMuchText_BeforeTokenizingIt()
    {
        var text = new string('a', 600 * 1024); // over Api:MaxTextBytes (512 KiB)
        using var response = await _host.Client.SendAsync(_host.Post(JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = text } },
        })));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await OpenAiErrorOf(response);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Contains("Api:MaxTextBytes", error.GetProperty("message").GetString());
        Assert.Empty(_host.Factory.Engines.Latest!.Requests);
    }

    [Fact]
    public async Task ChatCompletions_RefusesTooManyImages()
    {
        var parts = Enumerable.Range(0, 17).Select(_ => new { type = "image_url", image_url = new { url = "data:image/png;base64,AAAA" } });
        using var response = await _host.Client.SendAsync(_host.Post(JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = parts } },
        })));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("too_many_images", (await OpenAiErrorOf(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/nope", HttpStatusCode.NotFound)]
    [InlineData("POST", "/v1/completions", HttpStatusCode.NotFound)]
    [InlineData("POST", "/v1/embeddings", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/v1", HttpStatusCode.NotFound)]
    [InlineData("GET", "/v1/chat/completions", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PUT", "/v1/chat/completions", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/v1/models", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/v1/models/fake-tiny", HttpStatusCode.MethodNotAllowed)]
    public async Task UnknownRoutesAndMethods_AnswerOpenAiJson(string method, string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiTestHost.ConfiguredKey);

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        var error = await OpenAiErrorOf(response);
        Assert.Equal(status == HttpStatusCode.NotFound ? "not_found" : "method_not_allowed", error.GetProperty("code").GetString());
        if (status == HttpStatusCode.MethodNotAllowed)
            Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task ModelsRetrieve_AnswersTheLoadedModel_And404ForAnotherId()
    {
        using var found = await Get("/v1/models/fake-tiny");
        using var missing = await Get("/v1/models/gpt-4");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        using (var doc = JsonDocument.Parse(await found.Content.ReadAsStringAsync()))
        {
            Assert.Equal("fake-tiny", doc.RootElement.GetProperty("id").GetString());
            Assert.Equal("model", doc.RootElement.GetProperty("object").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("model_not_found", (await OpenAiErrorOf(missing)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ModelsRetrieve_Answers401_WithoutAKey()
    {
        using var response = await _host.Client.GetAsync("/v1/models/fake-tiny");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await OpenAiErrorOf(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/hangfire")]
    [InlineData("/v1/models")]
    [InlineData("/no-such-page")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.Contains("Referrer-Policy"));
    }

    private async Task<HttpResponseMessage> Get(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiTestHost.ConfiguredKey);
        return await _host.Client.SendAsync(request);
    }
}
