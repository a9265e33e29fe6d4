namespace QwenVlStudio.Inference.Generation;

/// <summary>What hosts (web, CLI, batch) need from the engine; a fake implements it in host tests.</summary>
public interface IGenerationEngine
{
    /// <summary>Model folder name, e.g. "qwen3-vl-tiny".</summary>
    string ModelName { get; }

    /// <summary>Most tokens (prompt + generated) one sequence may hold.</summary>
    int ContextLength { get; }

    /// <summary>Running and queued requests of the engine's core now; null from engines without a queue.</summary>
    Engine.EngineLoad? CurrentLoad => null;

    /// <summary>
    /// Streams the assistant's answer to the conversation. Throws <see cref="QwenVlException"/> subclasses for bad
    /// input before any compute; checks the token between steps and ends with <see cref="FinishReason.Cancelled"/>.
    /// </summary>
    IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="GenerateAsync(IReadOnlyList{ChatMessage}, GenerationOptions, CancellationToken)"/>, telling the
    /// engine who asks and how urgently (engines without a queue or caches ignore it).
    /// </summary>
    IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        RequestContext context,
        CancellationToken cancellationToken = default) => GenerateAsync(messages, options, cancellationToken);
}
