using System.Text;
using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// POST /v1/chat/completions: OpenAI's chat completion, non-streaming or as Server-Sent Events. Requests go through
/// the shared engine at interactive priority; errors are answered before any byte of the answer is sent.
/// </summary>
public static class ChatCompletionsEndpoint
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    public static async Task HandleAsync(HttpContext context, ApiKeyAuthenticator auth, ChatRequestParser parser, EngineService engine,
        Microsoft.Extensions.Options.IOptions<ApiOptions> options)
    {
        var ct = context.RequestAborted;
        try
        {
            var caller = auth.Authenticate(context.Request);
            using var body = await ReadBodyAsync(context, options.Value.MaxRequestBytes, ct);
            var request = await parser.ParseAsync(body.RootElement, ct);
            await using var updates = engine.GenerateAsync(request.Messages, request.Options, WorkPriority.Interactive, caller.OwnerId.ToString("N"), ct).GetAsyncEnumerator(ct);
            // Wait for the first engine event so that queue, image and context errors still get their status code.
            var first = await NextEventAsync(updates);
            var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var model = engine.Status.ModelName ?? request.Model ?? "qwen3-vl";
            if (request.Stream)
                await StreamAsync(context, updates, first, id, created, model, request.IncludeUsage, ct);
            else
                await CompleteAsync(context, updates, first, id, created, model, ct);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await ApiErrors.WriteAsync(context, e);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: the engine saw the same token and freed its slot.
        }
    }

    private static async Task<JsonDocument> ReadBodyAsync(HttpContext context, long maxBytes, CancellationToken ct)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
            throw new ApiException(413, $"The request body is larger than the limit of {maxBytes} bytes (Api:MaxRequestBytes).", code: "request_too_large");
        // Bodies sent without a length are cut off by the server at the same limit.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes;
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The request body is not valid JSON: {e.Message}", code: "invalid_json");
        }
        catch (BadHttpRequestException e)
        {
            throw new ApiException(e.StatusCode, e.Message);
        }
    }

    /// <summary>The next token event (queue updates skipped), or null at the end; engine errors become API errors.</summary>
    private static async Task<GenerationEvent?> NextEventAsync(IAsyncEnumerator<EngineUpdate> updates)
    {
        try
        {
            while (await updates.MoveNextAsync())
                if (updates.Current is TokenUpdate token)
                    return token.Event;
            return null;
        }
        catch (EngineBusyException e)
        {
            throw new ApiException(429, e.Message, "rate_limit_error", code: "server_busy") { RetryAfter = e.RetryAfter };
        }
        catch (EngineUnavailableException e)
        {
            throw new ApiException(503, e.Message, "server_error", code: "model_not_ready") { RetryAfter = TimeSpan.FromSeconds(10) };
        }
        catch (ImageRejectedException e)
        {
            throw ApiException.BadRequest($"Invalid image: {e.Message}", "messages", "invalid_image");
        }
        catch (MemoryBudgetExceededException e) when (e.FitsWhenIdle)
        {
            throw new ApiException(429, e.Message, "rate_limit_error", code: "server_busy") { RetryAfter = TimeSpan.FromSeconds(5) };
        }
        catch (MemoryBudgetExceededException e)
        {
            throw ApiException.BadRequest(e.Message, "messages", "request_too_large");
        }
        catch (InvalidGenerationOptionException e)
        {
            throw ApiException.BadRequest(e.Message, e.Field, "invalid_option");
        }
        catch (ContextLengthExceededException e)
        {
            throw ApiException.BadRequest(e.Message, "messages", "context_length_exceeded");
        }
        catch (InvalidPromptException e)
        {
            throw ApiException.BadRequest(e.Message, "messages", e.Message.Contains("context", StringComparison.Ordinal) ? "context_length_exceeded" : "invalid_prompt");
        }
    }

    private static async Task CompleteAsync(HttpContext context, IAsyncEnumerator<EngineUpdate> updates, GenerationEvent? evt,
        string id, long created, string model, CancellationToken ct)
    {
        var text = new StringBuilder();
        GenerationEvent? last = null;
        for (; evt is not null; evt = await NextEventAsync(updates))
        {
            text.Append(evt.TextDelta);
            last = evt;
        }
        if (last?.FinishReason is null or FinishReason.Cancelled)
            throw new OperationCanceledException(ct);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            id,
            @object = "chat.completion",
            created,
            model,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = text.ToString() }, logprobs = (object?)null, finish_reason = Finish(last.FinishReason) },
            },
            usage = Usage(last.Stats),
        }, Json), ct);
    }

    private static async Task StreamAsync(HttpContext context, IAsyncEnumerator<EngineUpdate> updates, GenerationEvent? evt,
        string id, long created, string model, bool includeUsage, CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await SendAsync(response, Chunk(id, created, model, new { role = "assistant", content = "" }, null), ct);

        GenerationEvent? last = null;
        try
        {
            for (; evt is not null; evt = await NextEventAsync(updates))
            {
                last = evt;
                if (evt.TextDelta.Length > 0)
                    await SendAsync(response, Chunk(id, created, model, new { content = evt.TextDelta }, null), ct);
            }
        }
        catch (ApiException e)
        {
            // Headers are gone: report the error in the stream, as OpenAI-compatible servers do, and end it.
            await SendAsync(response, ApiErrors.Json(e), ct);
            return;
        }
        if (last?.FinishReason is null or FinishReason.Cancelled)
            return;
        await SendAsync(response, Chunk(id, created, model, new { }, Finish(last.FinishReason)), ct);
        if (includeUsage)
            await SendAsync(response, JsonSerializer.Serialize(new
            {
                id,
                @object = "chat.completion.chunk",
                created,
                model,
                choices = Array.Empty<object>(),
                usage = Usage(last.Stats),
            }, Json), ct);
        await SendAsync(response, "[DONE]", ct);
    }

    private static string Chunk(string id, long created, string model, object delta, string? finishReason) => JsonSerializer.Serialize(new
    {
        id,
        @object = "chat.completion.chunk",
        created,
        model,
        choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finishReason } },
    }, Json);

    private static async Task SendAsync(HttpResponse response, string data, CancellationToken ct)
    {
        await response.WriteAsync("data: " + data + "\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    private static object Usage(GenerationStats stats) => new
    {
        prompt_tokens = stats.PromptTokens,
        completion_tokens = stats.GeneratedTokens,
        total_tokens = stats.PromptTokens + stats.GeneratedTokens,
    };

    private static string? Finish(FinishReason? reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        _ => null,
    };
}
