using System.Diagnostics;
using System.Runtime.CompilerServices;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// Dynamic batching: one thread owns the decoder and serves every request. Each turn of the loop admits at most
/// one waiting sequence (interactive first) and prefills it alone — so a newcomer holds the running ones up for at
/// most one prefill — then decodes one token for every running sequence in a single batched decoder call, streams
/// each row's token to its caller and lets finished rows leave. Up to <see cref="MaxBatchSize"/> rows run at once.
/// </summary>
internal sealed class BatchingLoop : IDisposable
{
    private readonly ModelSessions _sessions;
    private readonly PrefixCache? _prefixes;
    private readonly int _contextLength;
    private readonly object _gate = new();
    private readonly WaitingQueue _waiting = new();
    private readonly DecodeBatch _batch;
    private readonly Thread _thread;
    private long _arrivals;
    private bool _disposed;
    private long _steps;
    private long _rowSteps;
    private long _reshapes;
    private long _reshapeTicks;

    public BatchingLoop(ModelSessions sessions, PrefixCache? prefixes, int maxBatchSize, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _sessions = sessions;
        _prefixes = prefixes;
        _contextLength = contextLength;
        MaxBatchSize = maxBatchSize;
        _batch = new DecodeBatch(sessions);
        _thread = new Thread(Run) { IsBackground = true, Name = "qwenvl-batching-loop" };
        _thread.Start();
    }

    public int MaxBatchSize { get; }

    public BatchCounters Counters
    {
        get
        {
            lock (_gate) return new BatchCounters(_steps, _rowSteps, _reshapes, Stopwatch.GetElapsedTime(0, _reshapeTicks).TotalMilliseconds);
        }
    }

    /// <summary>Queues the request and streams its events; cancelling (or leaving the enumeration) drops the sequence.</summary>
    public async IAsyncEnumerable<GenerationEvent> RunAsync(SequenceRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answer = new AnswerTracker(request, _sessions.Package.Config.Tokens.Eos, _contextLength);
        BatchMember member;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            member = new BatchMember(request, answer, _arrivals++, stop.Token);
            _waiting.Add(member);
            Monitor.PulseAll(_gate);
        }
        // A waiting member is dropped by the loop only when it looks; wake it so that happens at once.
        using var wake = stop.Token.Register(Wake);
        try
        {
            await foreach (var e in member.Events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return e;
        }
        finally
        {
            // Also reached when the caller stops enumerating early: the loop drops the row at its next turn.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private void Wake()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }

    private void Run()
    {
        while (true)
        {
            BatchMember? newcomer = null;
            List<BatchMember> gaveUp;
            lock (_gate)
            {
                while (!_disposed && _waiting.Count == 0 && _batch.Count == 0)
                    Monitor.Wait(_gate);
                if (_disposed) break;
                gaveUp = _waiting.TakeCancelled();
                if (_batch.Count < MaxBatchSize) newcomer = _waiting.TakeFirst();
            }
            foreach (var member in gaveUp)
            {
                member.Answer.Cancel();
                member.Complete();
            }
            if (newcomer is not null)
            {
                try
                {
                    Admit(newcomer);
                }
                catch (Exception error)
                {
                    // Not swallowed: the newcomer's caller rethrows it. The batch is untouched (Reshape builds the new
                    // cache before it replaces the old one), so the running rows go on.
                    newcomer.Fail(error);
                }
            }
            try
            {
                if (_batch.Count > 0) Step();
            }
            catch (Exception error)
            {
                // Not swallowed: every running row ends with this error (their callers rethrow it) and the loop goes
                // on serving new requests with an empty batch.
                foreach (var member in _batch.Rows) member.Fail(error);
                _batch.Clear();
            }
        }
        var disposed = new ObjectDisposedException(nameof(BatchingLoop), "the model was unloaded");
        foreach (var member in _batch.Rows) member.Fail(disposed);
        lock (_gate)
            foreach (var member in _waiting.TakeAll()) member.Fail(disposed);
        _batch.Clear();
    }

    /// <summary>Prefills one newcomer alone, picks its first token, and adds it to the batch unless it is done.</summary>
    private void Admit(BatchMember member)
    {
        var answer = member.Answer;
        if (member.Cancellation.IsCancellationRequested)
        {
            answer.Cancel();
            member.Complete();
            return;
        }
        var prompt = member.Request.Prompt;
        KvCache cache;
        using (var sequence = new SequenceState(_sessions, prompt.Ids.Length))
        {
            var start = Stopwatch.GetTimestamp();
            int reused = GenerationLoop.Prefill(sequence, prompt, member.Request.Context.Owner, _prefixes);
            answer.Prefilled(Stopwatch.GetElapsedTime(start).TotalMilliseconds, reused);
            member.Prefilled();
            if (answer.WantsToken && !member.Cancellation.IsCancellationRequested)
                member.Emit(answer.Pick(sequence.Logits, start));
            cache = sequence.DetachCache();
        }
        if (member.Cancellation.IsCancellationRequested) answer.Cancel();
        if (answer.WantsToken)
        {
            Reshape([], member, cache);
            return;
        }
        Keep(member, cache);
        member.Complete();
    }

    /// <summary>One batched decode step; rows whose caller left go first, rows that finished leave after it.</summary>
    private void Step()
    {
        var cancelled = _batch.Rows.Where(m => m.Cancellation.IsCancellationRequested).ToList();
        foreach (var member in cancelled) member.Answer.Cancel();
        Leave(cancelled);
        if (_batch.Count == 0) return;

        var start = Stopwatch.GetTimestamp();
        _batch.Step();
        lock (_gate)
        {
            _steps++;
            _rowSteps += _batch.Count;
        }
        var rows = _batch.Rows;
        for (int row = 0; row < rows.Count; row++)
            rows[row].Emit(rows[row].Answer.Pick(_batch.Logits(row), start));
        Leave(rows.Where(m => !m.Answer.WantsToken).ToList());
    }

    private void Leave(List<BatchMember> leaving)
    {
        if (leaving.Count == 0) return;
        foreach (var member in leaving)
        {
            if (_prefixes is { Enabled: true }) Keep(member, _batch.CopyRow(member));
            member.Complete();
        }
        Reshape(leaving);
    }

    /// <summary>Rows join or leave the batch (a copy of the batch's KV), timed for <see cref="Counters"/>.</summary>
    private void Reshape(IReadOnlyCollection<BatchMember> leaving, BatchMember? joining = null, KvCache? joiningCache = null)
    {
        var start = Stopwatch.GetTimestamp();
        _batch.Reshape(leaving, joining, joiningCache);
        long ticks = Stopwatch.GetTimestamp() - start;
        lock (_gate)
        {
            _reshapes++;
            _reshapeTicks += ticks;
        }
    }

    /// <summary>Offers a finished sequence's KV to the prefix cache (which owns it from now on).</summary>
    private void Keep(BatchMember member, KvCache cache)
    {
        if (_prefixes is null)
        {
            cache.Dispose();
            return;
        }
        _prefixes.Add(member.Request.Context.Owner, member.Ids.ToArray(), member.Request.Prompt.ImageKeys, cache, member.Request.Prompt.SystemPrefixLength);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        _batch.Dispose();
    }
}
