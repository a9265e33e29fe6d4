using System.ComponentModel.DataAnnotations;

namespace QwenVlStudio.Web.Engine;

/// <summary>appsettings.json section "Model".</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>The model package folder; relative paths are resolved against the content root (the repo's top).</summary>
    [Required(ErrorMessage = "Model:Path must name the model package folder.")]
    public string Path { get; set; } = "models/qwen3-vl-tiny";

    /// <summary>
    /// Model:ShareSystemPromptPrefixes — let every user reuse the KV of a system turn another user sent (off: caches
    /// hit only for their owner, so time to first token tells no one what others sent). Turn on when the system
    /// prompts are the operator's own.
    /// </summary>
    public bool ShareSystemPromptPrefixes { get; set; }

    /// <summary>
    /// Model:MemoryBudgetBytes — what the running requests' estimated memory (KV cache, prefill attention, images)
    /// may add up to: a request that can never fit gets a 400, one that does not fit beside the others a 429.
    /// 0 (default): three quarters of the memory this process may use; negative: no limit.
    /// </summary>
    public long MemoryBudgetBytes { get; set; }

    /// <summary>The budget in bytes after resolving the default (0 = 3/4 of the memory available to the process).</summary>
    public long ResolvedMemoryBudgetBytes() => MemoryBudgetBytes switch
    {
        < 0 => 0,
        0 => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3,
        _ => MemoryBudgetBytes,
    };
}
