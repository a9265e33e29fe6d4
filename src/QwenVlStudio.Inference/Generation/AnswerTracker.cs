using System.Diagnostics;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// One answer in progress: picks each token from the logits, applies EOS, stop strings and the token budget, and
/// builds the streamed events and their stats. Shared by the one-sequence loop and the batching loop so both
/// produce the same events.
/// </summary>
internal sealed class AnswerTracker
{
    private readonly TokenSampler _sampler;
    private readonly StopStringMatcher _stops;
    private readonly ITokenTextStream _text;
    private readonly IReadOnlyList<int> _eos;
    private readonly long _start;
    private readonly Constrained.ConstraintCursor? _constraint;
    private long _decodeStart;

    public AnswerTracker(SequenceRequest request, IReadOnlyList<int> eos, int contextLength)
    {
        var prompt = request.Prompt;
        _sampler = new TokenSampler(request.Options, eos, prompt.Ids, request.Constraint);
        _stops = new StopStringMatcher(request.Options.StopStrings);
        _text = request.Text;
        _eos = eos;
        _constraint = request.Constraint;
        _start = request.StartTimestamp;
        Budget = Math.Min(request.Options.MaxNewTokens, contextLength - prompt.Ids.Length);
        Stats = new GenerationStats
        {
            PromptTokens = prompt.Ids.Length,
            ImageCount = prompt.Images.Count,
            VisionMs = prompt.VisionMs,
            CachedImages = prompt.CachedImages,
        };
    }

    /// <summary>Most tokens this answer may have (options and context room).</summary>
    public int Budget { get; }

    public GenerationStats Stats { get; private set; }

    public int Generated => Stats.GeneratedTokens;

    /// <summary>The newest token: what the next decode step feeds.</summary>
    public int LastToken => Stats.LastTokenId;

    public FinishReason? Finish { get; private set; }

    /// <summary>True while another token should be picked.</summary>
    public bool WantsToken => Finish is null && Generated < Budget;

    private int? _endToken;

    public void Prefilled(double prefillMs, int reusedPromptTokens) =>
        Stats = Stats with { PrefillMs = prefillMs, ReusedPromptTokens = reusedPromptTokens };

    /// <summary>
    /// Picks the next token from <paramref name="logits"/> (edited in place). Returns its event, or null when the
    /// token is EOS (counted as generated, as in Hugging Face, but it has no text and ends the answer).
    /// </summary>
    public GenerationEvent? Pick(Span<float> logits, long stepStartTimestamp)
    {
        int generated = Generated;
        int token = _sampler.Next(logits, generated);
        var now = Stopwatch.GetTimestamp();
        if (generated == 0)
        {
            _decodeStart = now;
            Stats = Stats with { TimeToFirstTokenMs = Stopwatch.GetElapsedTime(_start, now).TotalMilliseconds };
        }
        Stats = Stats with
        {
            GeneratedTokens = generated + 1,
            LastTokenId = token,
            LastTokenMs = Stopwatch.GetElapsedTime(stepStartTimestamp, now).TotalMilliseconds,
            DecodeMs = Stopwatch.GetElapsedTime(_decodeStart, now).TotalMilliseconds,
            ConstraintMs = _constraint?.MaskTime.TotalMilliseconds ?? 0,
        };

        if (_eos.Contains(token))
        {
            Finish = FinishReason.Stop;
            _endToken = token;
            return null;
        }
        var delta = _stops.Push(_text.Append(token));
        if (_stops.Stopped) Finish = FinishReason.Stop;
        return new GenerationEvent(token, delta, Stats);
    }

    public void Cancel() => Finish ??= FinishReason.Cancelled;

    /// <summary>The final event: text still held back (unless a stop string ended it) and the finish reason.</summary>
    public GenerationEvent Complete()
    {
        Finish ??= FinishReason.Length;
        var rest = Finish == FinishReason.Stop && _stops.Stopped ? "" : _stops.Push(_text.Flush()) + _stops.Flush();
        return new GenerationEvent(_endToken, rest, Stats, Finish);
    }
}
