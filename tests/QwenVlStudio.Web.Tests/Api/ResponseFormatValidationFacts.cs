using System.Net;
using System.Text.Json;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Api;

/// <summary>Malformed or unsupported response_format values are a 400 naming the parameter (and the schema keyword).</summary>
public sealed class ResponseFormatValidationFacts : IAsyncLifetime
{
    private readonly ApiTestHost _host = new();

    public async Task InitializeAsync() => Assert.Equal(EngineState.Ready, (await _host.Factory.WaitForEngineAsync()).State);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string?> BadFormats() => new()
    {
        { """{"type": "json_schema", "json_schema": {"name": "x", "schema": {"oneOf": [{"type": "string"}]}}}""", "response_format.json_schema.schema", "unsupported_schema_keyword" },
        { """{"type": "json_schema", "json_schema": {"name": "x", "schema": {"enum": []}}}""", "response_format.json_schema.schema", "invalid_schema" },
        { """{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "string", "pattern": "(?<=a)b"}}}""", "response_format.json_schema.schema", "unsupported_schema_keyword" },
        { """{"type": "json_schema", "json_schema": {"schema": {"type": "string"}}}""", "response_format.json_schema.name", null },
        { """{"type": "json_schema", "json_schema": {"name": "has space", "schema": {}}}""", "response_format.json_schema.name", null },
        { """{"type": "json_schema", "json_schema": {"name": "x"}}""", "response_format.json_schema.schema", null },
        { """{"type": "json_schema", "json_schema": {"name": "x", "strict": "yes", "schema": {}}}""", "response_format.json_schema.strict", null },
        { """{"type": "json_schema"}""", "response_format.json_schema", null },
        { """{"type": "yaml"}""", "response_format.type", "unsupported_response_format" },
        { "\"json\"", "response_format", null },
    };

    [Theory]
    [MemberData(nameof(BadFormats))]
    public async Task BadResponseFormat_IsA400WithItsParam(string format, string param, string? code)
    {
        using var response = await _host.Client.SendAsync(_host.Post($$"""{"messages": [{"role": "user", "content": "hi"}], "response_format": {{format}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        if (code is not null) Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Empty(_host.Factory.Engines.Latest!.Requests); // refused before it reaches the engine
    }


    [Fact]
    public async Task UnsupportedKeyword_MessageNamesTheKeywordAndWhereItIs()
    {
        using var response = await _host.Client.SendAsync(_host.Post("""
            {"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "json_schema", "json_schema": {"name": "x",
             "schema": {"type": "object", "properties": {"when": {"type": "string", "format": "date-time"}}}}}}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("'format'", message);
        Assert.Contains("#/properties/when", message);
    }

    [Theory]
    [InlineData("""{"type": "text"}""")]
    [InlineData("null")]
    public async Task TextFormat_IsAPlainAnswer(string format)
    {
        using var response = await _host.Client.SendAsync(_host.Post($$"""{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 3, "response_format": {{format}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
