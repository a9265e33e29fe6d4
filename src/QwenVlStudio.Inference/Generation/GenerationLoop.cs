using System.Diagnostics;
using System.Runtime.CompilerServices;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// Runs one prepared prompt to completion on its own: prefill (of only the tokens the prefix cache does not hold),
/// then sample / stream / decode until EOS, a stop string, the token budget or cancellation (checked before every
/// step). The finished sequence's KV goes to the prefix cache for the conversation's next turn.
/// </summary>
internal static class GenerationLoop
{
    public static async IAsyncEnumerable<GenerationEvent> RunAsync(
        ModelSessions sessions,
        SequenceRequest request,
        int contextLength,
        PrefixCache? prefixes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prompt = request.Prompt;
        var answer = new AnswerTracker(request, sessions.Package.Config.Tokens.Eos, contextLength);
        if (cancellationToken.IsCancellationRequested)
        {
            answer.Cancel();
            yield return answer.Complete();
            yield break;
        }

        using var sequence = new SequenceState(sessions, prompt.Ids.Length + Math.Max(answer.Budget, 0));
        var prefillStart = Stopwatch.GetTimestamp();
        int reused = await Task.Run(() => Prefill(sequence, prompt, request.Context.Owner, prefixes), CancellationToken.None).ConfigureAwait(false);
        answer.Prefilled(Stopwatch.GetElapsedTime(prefillStart).TotalMilliseconds, reused);

        while (answer.WantsToken)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                answer.Cancel();
                break;
            }
            var stepStart = Stopwatch.GetTimestamp();
            if (answer.Generated > 0)
                await Task.Run(() => sequence.Step(answer.LastToken), CancellationToken.None).ConfigureAwait(false);
            if (answer.Pick(sequence.Logits, stepStart) is { } token)
                yield return token;
        }

        prefixes?.Add(request.Context.Owner, sequence.Ids.ToArray(), prompt.ImageKeys, sequence.DetachCache(), prompt.SystemPrefixLength);
        yield return answer.Complete();
    }

    /// <summary>Prefills the prompt on top of the longest prefix cached for its owner; returns how many tokens were reused.</summary>
    internal static int Prefill(SequenceState sequence, PreparedPrompt prompt, string? owner, PrefixCache? prefixes)
    {
        var prefix = prefixes?.Acquire(owner, prompt.Ids, prompt.ImageKeys);
        int reused = prefix?.Length ?? 0; // read first: the sequence adopts the prefix and grows it
        sequence.Prefill(prompt.Ids, prompt.Images, prompt.Positions, prefix);
        return reused;
    }
}
