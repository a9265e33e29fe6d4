using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Api;

/// <summary>A parsed, validated chat completion request.</summary>
public sealed record ChatCompletionRequest(
    string? Model,
    IReadOnlyList<ChatMessage> Messages,
    GenerationOptions Options,
    bool Stream,
    bool IncludeUsage);
