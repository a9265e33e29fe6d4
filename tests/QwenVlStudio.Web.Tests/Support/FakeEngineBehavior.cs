namespace QwenVlStudio.Web.Tests.Support;

/// <summary>How the fake engine behaves; mutable so a test can change it while the host runs.</summary>
public sealed class FakeEngineBehavior
{
    public int Tokens { get; set; } = 8;

    /// <summary>Used when the user's last text contains "long".</summary>
    public int LongTokens { get; set; } = 400;

    /// <summary>What the engine reports as its context; the chat composer's text limit follows it.</summary>
    public int ContextLength { get; set; } = 4096;

    public TimeSpan TokenDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>When set, every sequence waits for it before its first token, ignoring cancellation.</summary>
    public TaskCompletionSource? HoldFirstStep { get; set; }

    /// <summary>When set with <see cref="PauseAfterTokens"/>, the stream stops after that many tokens until it completes.</summary>
    public TaskCompletionSource? Pause { get; set; }

    public int PauseAfterTokens { get; set; }

    /// <summary>What the engine reports as its cache and batching figures (the settings page shows them).</summary>
    public Inference.Caching.EngineStatistics? Statistics { get; set; }

    public int TokensFor(string lastUserText) =>
        lastUserText.Contains("long", StringComparison.OrdinalIgnoreCase) ? LongTokens : Tokens;

    /// <summary>The i-th streamed piece: "word1 ", "word2 ", … so tests can count tokens in the page.</summary>
    public static string Word(int i) => i == 0 ? "Fake answer: word1 " : $"word{i + 1} ";
}
