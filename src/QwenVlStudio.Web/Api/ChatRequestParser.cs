using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// Reads an OpenAI chat completion body into engine messages and options, with a 400 naming the parameter for
/// anything malformed. Defaults come from the governor's settings.
/// </summary>
public sealed class ChatRequestParser(ImageUrlReader images, EngineGovernor governor)
{
    public async Task<ChatCompletionRequest> ParseAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("The request body must be a JSON object.");

        var defaults = governor.Current;
        string? model = Optional(body, "model", JsonValueKind.String)?.GetString();
        if (!body.TryGetProperty("messages", out var messagesJson) || messagesJson.ValueKind != JsonValueKind.Array || messagesJson.GetArrayLength() == 0)
            throw ApiException.BadRequest("'messages' must be a non-empty array.", "messages");

        var messages = new List<ChatMessage>();
        int index = 0;
        foreach (var message in messagesJson.EnumerateArray())
            messages.Add(await ParseMessageAsync(message, index++, cancellationToken));
        if (messages[^1].Role != ChatRole.User)
            throw ApiException.BadRequest("The last message must come from the user.", $"messages[{messages.Count - 1}].role");

        int n = Int(body, "n") ?? 1;
        if (n != 1) throw ApiException.BadRequest("Only n = 1 is supported.", "n");
        var constraint = ResponseFormatParser.Parse(body);
        if (Optional(body, "tools", JsonValueKind.Array) is not null)
            throw ApiException.BadRequest("Tools / function calling are not supported.", "tools");

        int maxTokens = Int(body, "max_completion_tokens") ?? Int(body, "max_tokens") ?? defaults.MaxNewTokens;
        int minTokens = Int(body, "min_tokens") ?? 0;

        double? temperature = Number(body, "temperature");
        double? topP = Number(body, "top_p");
        int? topK = Int(body, "top_k");
        double? repetition = Number(body, "repetition_penalty");
        long? seed = body.TryGetProperty("seed", out var seedJson) && seedJson.ValueKind != JsonValueKind.Null
            ? seedJson.TryGetInt64(out var s) ? s : throw ApiException.BadRequest("seed must be an integer.", "seed")
            : null;

        var baseOptions = defaults.ToGenerationOptions();
        bool sample = temperature is null ? baseOptions.DoSample : temperature > 0;
        var options = baseOptions with
        {
            MaxNewTokens = maxTokens,
            MinNewTokens = minTokens,
            DoSample = sample,
            Temperature = (float)(temperature is > 0 ? temperature.Value : baseOptions.Temperature),
            TopP = (float)(topP ?? baseOptions.TopP),
            TopK = topK ?? baseOptions.TopK,
            RepetitionPenalty = (float)(repetition ?? 1.0),
            Seed = seed,
            StopStrings = Stops(body),
            Constraint = constraint,
        };
        try
        {
            // The engine's one validator and limits; the API only names the field as the request spelled it.
            GenerationOptionsValidator.Validate(options);
        }
        catch (InvalidGenerationOptionException e)
        {
            throw ApiException.BadRequest(e.Message + ".",
                e.Field == "max_tokens" && body.TryGetProperty("max_completion_tokens", out _) ? "max_completion_tokens" : e.Field);
        }

        bool stream = Optional(body, "stream", JsonValueKind.True) is not null;
        if (body.TryGetProperty("stream", out var streamJson) && streamJson.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            throw ApiException.BadRequest("stream must be true or false.", "stream");
        bool includeUsage = Optional(body, "stream_options", JsonValueKind.Object) is { } so
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        return new ChatCompletionRequest(model, messages, options, stream, includeUsage);
    }

    private async Task<ChatMessage> ParseMessageAsync(JsonElement message, int index, CancellationToken cancellationToken)
    {
        var at = $"messages[{index}]";
        if (message.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest($"{at} must be an object.", at);
        var roleName = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var role = roleName switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            _ => throw ApiException.BadRequest($"{at}.role '{roleName}' is not supported; use system, user or assistant.", $"{at}.role"),
        };
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest($"{at}.content is required.", $"{at}.content");
        if (content.ValueKind == JsonValueKind.String)
            return new ChatMessage(role, [new TextContent(content.GetString()!)]);
        if (content.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"{at}.content must be a string or an array of parts.", $"{at}.content");

        var parts = new List<ChatContent>();
        int p = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = $"{at}.content[{p++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    parts.Add(new TextContent(part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                        ? text.GetString()! : throw ApiException.BadRequest($"{partAt}.text must be a string.", $"{partAt}.text")));
                    break;
                case "image_url":
                    if (role != ChatRole.User) throw ApiException.BadRequest("Images are only allowed in user messages.", partAt);
                    var url = ImageUrl(part) ?? throw ApiException.BadRequest($"{partAt}.image_url.url is required.", $"{partAt}.image_url");
                    parts.Add(Inference.Generation.ImageContent.FromBytes(await images.ReadAsync(url, $"{partAt}.image_url", cancellationToken)));
                    break;
                default:
                    throw ApiException.BadRequest($"{partAt}.type '{type}' is not supported; use text or image_url.", $"{partAt}.type");
            }
        }
        return new ChatMessage(role, parts);
    }

    private static string? ImageUrl(JsonElement part)
    {
        if (!part.TryGetProperty("image_url", out var imageUrl)) return null;
        if (imageUrl.ValueKind == JsonValueKind.String) return imageUrl.GetString();
        return imageUrl.ValueKind == JsonValueKind.Object && imageUrl.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
            ? url.GetString() : null;
    }

    private static IReadOnlyList<string> Stops(JsonElement body)
    {
        if (!body.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null) return [];
        if (stop.ValueKind == JsonValueKind.String) return [stop.GetString()!];
        if (stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() <= 4 && stop.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            return stop.EnumerateArray().Select(e => e.GetString()!).ToList();
        throw ApiException.BadRequest("stop must be a string or an array of up to 4 strings.", "stop");
    }

    private static JsonElement? Optional(JsonElement body, string name, JsonValueKind kind) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    private static int? Int(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var v) ? v : throw ApiException.BadRequest($"{name} must be an integer.", name);
    }

    private static double? Number(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw ApiException.BadRequest($"{name} must be a number.", name);
    }
}
