using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Text;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// Reads an OpenAI chat completion body into engine messages and options, with a 400 naming the parameter for
/// anything malformed: a wrong JSON type, text that is not valid Unicode (lone surrogates, invalid UTF-8,
/// U+FFFE/U+FFFF), an option out of <see cref="GenerationOptionLimits"/>. Defaults come from the governor's settings.
/// </summary>
public sealed class ChatRequestParser(ImageUrlReader images, EngineGovernor governor, Microsoft.Extensions.Options.IOptions<ApiOptions> apiOptions)
{
    public async Task<ChatCompletionRequest> ParseAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("The request body must be a JSON object.");

        var defaults = governor.Current;
        string? model = Optional(body, "model", JsonValueKind.String) is { } modelJson ? Text(modelJson, "model") : null;
        if (!body.TryGetProperty("messages", out var messagesJson) || messagesJson.ValueKind != JsonValueKind.Array || messagesJson.GetArrayLength() == 0)
            throw ApiException.BadRequest("'messages' must be a non-empty array.", "messages");

        CheckSize(messagesJson);
        var messages = new List<ChatMessage>();
        int index = 0;
        foreach (var message in messagesJson.EnumerateArray())
            messages.Add(await ParseMessageAsync(message, index++, cancellationToken));
        if (messages[^1].Role != ChatRole.User)
            throw ApiException.BadRequest("The last message must come from the user.", $"messages[{messages.Count - 1}].role");

        int n = Int(body, "n") ?? 1;
        if (n != 1) throw ApiException.BadRequest("Only n = 1 is supported.", "n");
        var constraint = ResponseFormatParser.Parse(body);
        // Refused rather than ignored: a client that sends tools expects a tool call it would never get.
        foreach (var toolField in (string[])["tools", "tool_choice", "functions", "function_call"])
        {
            if (body.TryGetProperty(toolField, out var tool) && tool.ValueKind != JsonValueKind.Null)
                throw ApiException.BadRequest("Tools / function calling are not supported.", toolField, "unsupported_parameter");
        }

        int maxTokens = Int(body, "max_completion_tokens") ?? Int(body, "max_tokens") ?? defaults.MaxNewTokens;
        int minTokens = Int(body, "min_tokens") ?? 0;

        double? temperature = Number(body, "temperature");
        // 0 means greedy in the API, so the sign and a positive value too small for a float (it would become 0, greedy,
        // while the caller asked to sample) are checked here; the range above 0 is the shared validator's.
        if (temperature is < 0 || (temperature > 0 && (float)temperature.Value == 0))
            throw ApiException.BadRequest($"temperature must be 0 (greedy) or a number in (0, {GenerationOptionLimits.MaxTemperature}].", "temperature");
        double? topP = Number(body, "top_p");
        int? topK = Int(body, "top_k");
        double? repetition = Number(body, "repetition_penalty");
        long? seed = body.TryGetProperty("seed", out var seedJson) && seedJson.ValueKind != JsonValueKind.Null
            ? seedJson.ValueKind == JsonValueKind.Number && seedJson.TryGetInt64(out var s) ? s : throw ApiException.BadRequest("seed must be an integer.", "seed")
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

        bool stream = Optional(body, "stream", JsonValueKind.True, alsoAllowed: JsonValueKind.False) is not null;
        bool includeUsage = Optional(body, "stream_options", JsonValueKind.Object) is { } so
            && Optional(so, "include_usage", JsonValueKind.True, "stream_options.include_usage", JsonValueKind.False) is not null;
        return new ChatCompletionRequest(model, messages, options, stream, includeUsage);
    }

    private async Task<ChatMessage> ParseMessageAsync(JsonElement message, int index, CancellationToken cancellationToken)
    {
        var at = $"messages[{index}]";
        if (message.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest($"{at} must be an object.", at);
        var roleName = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? Text(r, $"{at}.role") : null;
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
            return new ChatMessage(role, [new TextContent(Text(content, $"{at}.content"))]);
        if (content.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"{at}.content must be a string or an array of parts.", $"{at}.content");

        var parts = new List<ChatContent>();
        int p = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = $"{at}.content[{p++}]";
            if (part.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"{partAt} must be an object with a type.", partAt);
            var type = part.TryGetProperty("type", out var t)
                ? t.ValueKind == JsonValueKind.String ? Text(t, $"{partAt}.type") : throw ApiException.BadRequest($"{partAt}.type must be a string.", $"{partAt}.type")
                : null;
            switch (type)
            {
                case "text":
                    parts.Add(new TextContent(part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                        ? Text(text, $"{partAt}.text") : throw ApiException.BadRequest($"{partAt}.text must be a string.", $"{partAt}.text")));
                    break;
                case "image_url":
                    if (role != ChatRole.User) throw ApiException.BadRequest("Images are only allowed in user messages.", partAt);
                    var url = ImageUrl(part, $"{partAt}.image_url") ?? throw ApiException.BadRequest($"{partAt}.image_url.url is required.", $"{partAt}.image_url");
                    parts.Add(Inference.Generation.ImageContent.FromBytes(await images.ReadAsync(url, $"{partAt}.image_url", cancellationToken)));
                    break;
                default:
                    throw ApiException.BadRequest($"{partAt}.type '{type}' is not supported; use text or image_url.", $"{partAt}.type");
            }
        }
        return new ChatMessage(role, parts);
    }

    /// <summary>
    /// Refuses too much text or too many images before anything is decoded or tokenized: a 50 MB text body would
    /// otherwise cost gigabytes in the tokenizer only to be refused for the context length.
    /// </summary>
    private void CheckSize(JsonElement messages)
    {
        var limits = apiOptions.Value;
        long bytes = 0;
        int imageCount = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
                continue;
            if (content.ValueKind == JsonValueKind.String)
                bytes += TextBytes(content);
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object)
                        continue;
                    if (part.TryGetProperty("text", out var text))
                        bytes += TextBytes(text);
                    if (part.TryGetProperty("image_url", out _))
                        imageCount++;
                }
            }
        }
        if (bytes > limits.MaxTextBytes)
            throw ApiException.BadRequest(
                $"The messages hold about {bytes:N0} bytes of text; the limit is {limits.MaxTextBytes:N0} (Api:MaxTextBytes).",
                "messages", "request_too_large");
        if (imageCount > limits.MaxImagesPerRequest)
            throw ApiException.BadRequest(
                $"The request has {imageCount} images; the limit is {limits.MaxImagesPerRequest} (Api:MaxImagesPerRequest).", "messages", "too_many_images");
    }

    /// <summary>The raw (still escaped, not transcoded) UTF-8 length of a JSON string, quotes excluded.</summary>
    private static long TextBytes(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length - 2 : 0;

    private static string? ImageUrl(JsonElement part, string param)
    {
        if (!part.TryGetProperty("image_url", out var imageUrl)) return null;
        if (imageUrl.ValueKind == JsonValueKind.String) return Text(imageUrl, param);
        return imageUrl.ValueKind == JsonValueKind.Object && imageUrl.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
            ? Text(url, param) : null;
    }

    private static IReadOnlyList<string> Stops(JsonElement body)
    {
        if (!body.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null) return [];
        List<string> stops;
        if (stop.ValueKind == JsonValueKind.String)
            stops = [Text(stop, "stop")];
        else if (stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() <= GenerationOptionLimits.MaxStopStrings
            && stop.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            stops = stop.EnumerateArray().Select(e => Text(e, "stop")).ToList();
        else
            throw ApiException.BadRequest($"stop must be a string or an array of up to {GenerationOptionLimits.MaxStopStrings} strings.", "stop");
        if (stops.Any(x => x.Length > GenerationOptionLimits.MaxStopStringLength))
            throw ApiException.BadRequest($"Each stop string must have at most {GenerationOptionLimits.MaxStopStringLength} characters.", "stop");
        return stops;
    }

    /// <summary>
    /// The value of an optional field of the given kind (or of <paramref name="alsoAllowed"/>), null when it is absent
    /// or null; any other kind is a 400 naming it.
    /// </summary>
    private static JsonElement? Optional(JsonElement body, string name, JsonValueKind kind, string? param = null, JsonValueKind? alsoAllowed = null)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == kind) return value;
        if (value.ValueKind == alsoAllowed) return null;
        throw ApiException.BadRequest($"{param ?? name} must be {KindName(kind, alsoAllowed)}.", param ?? name);
    }

    private static string KindName(JsonValueKind kind, JsonValueKind? alsoAllowed) => (kind, alsoAllowed) switch
    {
        (JsonValueKind.True, JsonValueKind.False) => "true or false",
        (JsonValueKind.Object, _) => "an object",
        (JsonValueKind.String, _) => "a string",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A JSON string as text the tokenizer accepts. System.Text.Json refuses to transcode lone surrogates and invalid
    /// UTF-8 (InvalidOperationException); U+FFFE/U+FFFF pass JSON but not normalization. Each is a 400 naming the field.
    /// </summary>
    private static string Text(JsonElement value, string param)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ApiException.BadRequest($"{param} is not valid Unicode text (a lone surrogate or invalid UTF-8).", param, "invalid_unicode");
        }
        if (UnicodeText.Problem(text) is { } problem)
            throw ApiException.BadRequest($"{param} {problem}.", param, "invalid_unicode");
        return text;
    }

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
