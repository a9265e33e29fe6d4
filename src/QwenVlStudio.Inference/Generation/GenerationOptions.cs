using QwenVlStudio.Inference.Constrained;

namespace QwenVlStudio.Inference.Generation;

/// <summary>How to pick tokens and when to stop. Defaults are greedy decoding of up to 256 tokens.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>End-of-sequence ids are masked to −∞ for the first N tokens, as Hugging Face does.</summary>
    public int MinNewTokens { get; init; }

    /// <summary>False: greedy (argmax). True: sample with temperature / top-k / top-p.</summary>
    public bool DoSample { get; init; }

    /// <summary>0 to <see cref="GenerationOptionLimits.MaxTemperature"/>; 0 means greedy even when sampling.</summary>
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Whether tokens are picked by argmax: sampling off, or a temperature of 0.</summary>
    public bool IsGreedy => !DoSample || Temperature == 0;

    /// <summary>0 disables top-k.</summary>
    public int TopK { get; init; }

    /// <summary>1 disables nucleus sampling.</summary>
    public float TopP { get; init; } = 1.0f;

    /// <summary>1 disables it; &gt; 1 penalises tokens already in the prompt or the answer (HF/CTRL rule).</summary>
    public float RepetitionPenalty { get; init; } = 1.0f;

    public long? Seed { get; init; }

    /// <summary>Generation ends when the text contains one of these; the stop string is not returned.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>
    /// When set, every token is picked among those that keep the answer a JSON document this constraint accepts;
    /// end of sequence only where the document may end. Cut by the token budget, it finishes with <c>length</c>.
    /// </summary>
    public JsonConstraint? Constraint { get; init; }

    public static GenerationOptions Greedy(int maxNewTokens, int minNewTokens = 0) =>
        new() { MaxNewTokens = maxNewTokens, MinNewTokens = minNewTokens };
}
