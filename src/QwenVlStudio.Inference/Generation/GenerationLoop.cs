using System.Diagnostics;
using System.Runtime.CompilerServices;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// Runs one prepared prompt to completion: prefill, then sample / stream / decode until EOS, a stop string,
/// the token budget or cancellation (checked before every step).
/// </summary>
internal static class GenerationLoop
{
    public static async IAsyncEnumerable<GenerationEvent> RunAsync(
        ModelSessions sessions,
        PreparedPrompt prompt,
        GenerationOptions options,
        ITokenTextStream text,
        int contextLength,
        long startTimestamp,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var config = sessions.Package.Config;
        int promptLength = prompt.Ids.Length;
        int budget = Math.Min(options.MaxNewTokens, contextLength - promptLength);
        var eos = config.Tokens.Eos;
        var sampler = new TokenSampler(options, eos, prompt.Ids);
        var stops = new StopStringMatcher(options.StopStrings);
        var stats = new GenerationStats { PromptTokens = promptLength, ImageCount = prompt.Images.Count, VisionMs = prompt.VisionMs, CachedImages = prompt.CachedImages };

        if (cancellationToken.IsCancellationRequested)
        {
            yield return new GenerationEvent(null, "", stats, FinishReason.Cancelled);
            yield break;
        }

        using var sequence = new SequenceState(sessions, promptLength + Math.Max(budget, 0));
        var prefillStart = Stopwatch.GetTimestamp();
        await Task.Run(() => sequence.Prefill(prompt.Ids, prompt.Images, prompt.Positions), CancellationToken.None).ConfigureAwait(false);
        stats = stats with { PrefillMs = Stopwatch.GetElapsedTime(prefillStart).TotalMilliseconds };

        long decodeStart = 0;
        FinishReason finish = FinishReason.Length;
        int? endToken = null;
        for (int generated = 0; generated < budget; generated++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                finish = FinishReason.Cancelled;
                break;
            }
            var stepStart = Stopwatch.GetTimestamp();
            if (generated > 0)
                await Task.Run(() => sequence.Step(stats.LastTokenId), CancellationToken.None).ConfigureAwait(false);
            int token = sampler.Next(sequence.Logits, generated);
            var now = Stopwatch.GetTimestamp();
            if (generated == 0)
            {
                decodeStart = now;
                stats = stats with { TimeToFirstTokenMs = Stopwatch.GetElapsedTime(startTimestamp, now).TotalMilliseconds };
            }
            stats = stats with
            {
                GeneratedTokens = generated + 1,
                LastTokenId = token,
                LastTokenMs = Stopwatch.GetElapsedTime(stepStart, now).TotalMilliseconds,
                DecodeMs = Stopwatch.GetElapsedTime(decodeStart, now).TotalMilliseconds,
            };

            if (eos.Contains(token))
            {
                // The EOS id counts as generated (as in Hugging Face's output) but has no text.
                finish = FinishReason.Stop;
                endToken = token;
                break;
            }
            var delta = stops.Push(text.Append(token));
            yield return new GenerationEvent(token, delta, stats);
            if (stops.Stopped)
            {
                finish = FinishReason.Stop;
                break;
            }
        }

        var rest = finish == FinishReason.Stop && stops.Stopped ? "" : stops.Push(text.Flush()) + stops.Flush();
        yield return new GenerationEvent(endToken, rest, stats, finish);
    }
}
