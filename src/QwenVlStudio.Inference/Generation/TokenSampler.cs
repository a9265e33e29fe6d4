using QwenVlStudio.Inference.Constrained;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// Picks the next token from the last position's logits, applying Hugging Face's processors in its order:
/// repetition penalty, min-new-tokens EOS mask, then temperature, top-k and top-p for sampling. A JSON constraint,
/// when the request has one, masks the tokens that cannot continue the document right after the penalty (the
/// one place constrained decoding hooks into generation) and follows the picked token.
/// </summary>
internal sealed class TokenSampler
{
    private readonly GenerationOptions _options;
    private readonly int[] _eosIds;
    private readonly Random? _random;
    private readonly HashSet<int> _seen = [];
    private readonly ConstraintCursor? _constraint;

    public TokenSampler(GenerationOptions options, IReadOnlyList<int> eosIds, ReadOnlySpan<int> promptIds, ConstraintCursor? constraint = null)
    {
        _constraint = constraint;
        if (options.Temperature < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "temperature must be ≥ 0 (0 = greedy)");
        if (options.TopP is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(options), "top_p must be in (0, 1]");
        if (options.RepetitionPenalty <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), "repetition_penalty must be > 0");
        _options = options;
        _eosIds = eosIds.ToArray();
        _random = !options.IsGreedy ? (options.Seed is long seed ? new Random(unchecked((int)seed ^ (int)(seed >> 32))) : new Random()) : null;
        if (options.RepetitionPenalty != 1f)
            foreach (var id in promptIds) _seen.Add(id);
    }

    /// <summary>Chooses a token; <paramref name="logits"/> is modified in place.</summary>
    public int Next(Span<float> logits, int generatedSoFar)
    {
        if (_options.RepetitionPenalty != 1f)
        {
            float penalty = _options.RepetitionPenalty;
            foreach (var id in _seen)
                if ((uint)id < (uint)logits.Length)
                    logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
        }
        // A complete document leaves only end of sequence: min_new_tokens cannot make the answer longer then.
        bool onlyEnd = _constraint?.Mask(logits) ?? false;
        if (generatedSoFar < _options.MinNewTokens && !onlyEnd)
            foreach (var id in _eosIds)
                if ((uint)id < (uint)logits.Length)
                    logits[id] = float.NegativeInfinity;

        int token = _random is null ? ArgMax(logits) : Sample(logits, _random);
        if (_options.RepetitionPenalty != 1f) _seen.Add(token);
        _constraint?.Accept(token);
        return token;
    }

    /// <summary>First index of the maximum, like torch.argmax.</summary>
    internal static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        float bestValue = logits[0];
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > bestValue)
            {
                bestValue = logits[i];
                best = i;
            }
        }
        return best;
    }

    private int Sample(ReadOnlySpan<float> logits, Random random)
    {
        float invTemperature = 1f / _options.Temperature;
        // Candidates sorted by logit, descending; top-k (if set) bounds how many are kept before top-p.
        int[] order = CandidateOrder(logits, _options.TopK);
        float max = logits[order[0]];
        var probs = new double[order.Length];
        double sum = 0;
        for (int i = 0; i < order.Length; i++)
        {
            probs[i] = Math.Exp((logits[order[i]] - max) * invTemperature);
            sum += probs[i];
        }
        int keep = order.Length;
        if (_options.TopP < 1f)
        {
            double cumulative = 0;
            for (int i = 0; i < order.Length; i++)
            {
                cumulative += probs[i] / sum;
                if (cumulative >= _options.TopP)
                {
                    keep = i + 1;
                    break;
                }
            }
        }
        double keptSum = 0;
        for (int i = 0; i < keep; i++) keptSum += probs[i];
        double target = random.NextDouble() * keptSum;
        for (int i = 0; i < keep; i++)
        {
            target -= probs[i];
            if (target <= 0) return order[i];
        }
        return order[keep - 1];
    }

    private static int[] CandidateOrder(ReadOnlySpan<float> logits, int topK)
    {
        var indices = new int[logits.Length];
        int count = 0;
        for (int i = 0; i < logits.Length; i++)
            if (!float.IsNegativeInfinity(logits[i])) indices[count++] = i;
        var keys = new float[count];
        for (int i = 0; i < count; i++) keys[i] = -logits[indices[i]];
        Array.Sort(keys, indices, 0, count);
        int n = topK > 0 ? Math.Min(topK, count) : count;
        return indices.AsSpan(0, Math.Max(n, 1)).ToArray();
    }
}
