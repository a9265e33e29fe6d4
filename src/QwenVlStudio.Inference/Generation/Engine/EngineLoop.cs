using System.Diagnostics;
using System.Runtime.CompilerServices;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>
/// The engine core: one bounded priority queue and one thread that owns the decoder (an <see cref="IDecodeBatch"/>)
/// and serves every request, a batch of one included — shaped like llama.cpp's server loop and vLLM's engine
/// core. Each turn of the loop:
/// <list type="number">
/// <item>drops requests whose caller gave up, wherever they are (queue, vision, prefill, decode), freeing their slot;</item>
/// <item>lets a decoding Batch-priority sequence yield its slot when Interactive work waits and every slot is taken
/// (it goes back to the front of its class with its answer and KV, and resumes where it stopped);</item>
/// <item>admits queued requests (Interactive first, FIFO within a class) while slots are free; a newcomer's images
/// are encoded by the <see cref="VisionWorker"/> off this thread, and it gets a row when they are ready;</item>
/// <item>decodes one token for every prefilled row, up to <see cref="EngineLoopPolicy.MaxBatchSize"/> rows per
/// decoder call, and streams each token to its caller;</item>
/// <item>spends what is left of the turn's token budget on prompt chunks of newcomers — only one chunk of at most
/// <see cref="EngineLoopPolicy.PrefillChunkTokens"/> when rows are decoding, so a newcomer's prompt delays their next
/// token by at most one chunk; the whole budget in one call when none is.</item>
/// </list>
/// </summary>
internal sealed class EngineLoop : IDisposable
{
    private readonly IDecodeBatch _batch;
    private readonly PrefixCache? _prefixes;
    private readonly IReadOnlyList<int> _eos;
    private readonly int _contextLength;
    private readonly VisionWorker _vision;
    private readonly object _gate = new();
    private readonly EngineRequestQueue<EngineSequence> _queue;
    private readonly List<EngineSequence> _admitted = [];
    private readonly Thread _thread;
    private long _arrivals;
    private bool _disposed;
    private long _steps;
    private long _rowSteps;

    public EngineLoop(IDecodeBatch batch, EngineLoopPolicy policy, PrefixCache? prefixes, IReadOnlyList<int> eos, int contextLength)
    {
        if (policy.MaxRunning > batch.MaxRows)
            throw new ArgumentException($"{policy.MaxRunning} running sequences need as many rows; the batch holds {batch.MaxRows}");
        _batch = batch;
        Policy = policy;
        _prefixes = prefixes;
        _eos = eos;
        _contextLength = contextLength;
        _vision = new VisionWorker(policy.VisionWorkers);
        _queue = new EngineRequestQueue<EngineSequence>(policy.MaxQueueLength);
        _thread = new Thread(Run) { IsBackground = true, Name = "qwenvl-engine-loop" };
        _thread.Start();
    }

    public EngineLoopPolicy Policy { get; }

    /// <summary>Decoder calls of decode steps and the rows they decoded, since start.</summary>
    public (long Steps, long Rows) Counters
    {
        get
        {
            lock (_gate) return (_steps, _rowSteps);
        }
    }

    public EngineLoad Load
    {
        get
        {
            lock (_gate)
                return new EngineLoad(_admitted.Count, Policy.MaxRunning, _queue.CountOf(RequestPriority.Interactive),
                    _queue.CountOf(RequestPriority.Batch), Policy.MaxQueueLength);
        }
    }

    /// <summary>
    /// Queues the request (synchronously, when the enumeration starts) and streams its events: Queued / Started,
    /// then tokens and the final event. Cancelling, or leaving the enumeration, drops the sequence at the loop's
    /// next turn.
    /// </summary>
    /// <exception cref="EngineBusyException">The queue of the request's class is full (thrown by the first MoveNext).</exception>
    public async IAsyncEnumerable<GenerationEvent> RunAsync(EngineSubmission submission, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        EngineSequence sequence;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            sequence = new EngineSequence(submission, _arrivals++, stop.Token);
            if (submission.Prompt is { } prompt) sequence.Answer = NewAnswer(sequence, prompt);
            _queue.Enqueue(sequence, sequence.Priority);
            Monitor.PulseAll(_gate);
        }
        // A waiting sequence is dropped by the loop only when it looks; wake it so that happens at once.
        using var wake = stop.Token.Register(Wake);
        try
        {
            await foreach (var e in sequence.Events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return e;
        }
        finally
        {
            // Also reached when the caller stops enumerating early: the loop drops the sequence at its next turn.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private AnswerTracker NewAnswer(EngineSequence sequence, PreparedPrompt prompt)
    {
        var s = sequence.Submission;
        return new AnswerTracker(new SequenceRequest(prompt, s.Options, s.Text, s.Context, s.StartTimestamp) { Constraint = s.Constraint }, _eos, _contextLength);
    }

    private void Wake()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_disposed && !HasWorkLocked())
                    Monitor.Wait(_gate);
                if (_disposed) break;
                foreach (var waiting in _queue.Where(s => s.Cancellation.IsCancellationRequested))
                {
                    _queue.Remove(waiting);
                    waiting.Answer?.Cancel();
                    waiting.Complete();
                }
            }
            DropCancelled();
            if (ChooseVictim() is { } victim) Preempt(victim);
            Admit();
            StartRows();
            int decoded = DecodeStep();
            PrefillChunks(decoded);
        }
        var disposed = new ObjectDisposedException(nameof(QwenVlModel), "the model was unloaded");
        List<EngineSequence> left;
        lock (_gate)
        {
            left = [.. _admitted, .. _queue.Clear()];
            _admitted.Clear();
        }
        foreach (var sequence in left)
        {
            if (sequence.Row is { } row) _batch.Leave(row);
            sequence.Fail(disposed);
        }
    }

    /// <summary>Whether a turn would do anything (else the loop sleeps until a request, a vision result or a cancellation).</summary>
    private bool HasWorkLocked()
    {
        if (_queue.Count > 0 && (_admitted.Count < Policy.MaxRunning || VictimLocked() is not null)) return true;
        if (_queue.Where(s => s.Cancellation.IsCancellationRequested).Count > 0) return true;
        return _admitted.Any(s => s.Stage is SequenceStage.Prefill or SequenceStage.Decode
            || s.Vision is { IsCompleted: true } || s.Cancellation.IsCancellationRequested);
    }

    private void DropCancelled()
    {
        List<EngineSequence> cancelled;
        lock (_gate) cancelled = _admitted.Where(s => s.Cancellation.IsCancellationRequested).ToList();
        foreach (var sequence in cancelled)
        {
            sequence.Answer?.Cancel();
            // A cancelled answer's KV is still a valid prefix of its conversation: offer it for the next turn.
            Finish(sequence, keepKv: sequence.Stage == SequenceStage.Decode);
        }
    }

    /// <summary>A decoding Batch sequence to yield its slot, when Interactive work waits and every slot is taken.</summary>
    private EngineSequence? ChooseVictim()
    {
        lock (_gate) return VictimLocked();
    }

    private EngineSequence? VictimLocked()
    {
        if (_admitted.Count < Policy.MaxRunning || _queue.Peek() is not { Priority: RequestPriority.Interactive }) return null;
        return _admitted.Where(s => s.Priority == RequestPriority.Batch && s.Stage == SequenceStage.Decode)
            .MaxBy(s => s.Arrival);
    }

    /// <summary>
    /// Takes the sequence off its row, keeping its answer and a copy of its KV with it (not in the prefix cache,
    /// whose LRU could evict it: resuming must not cost a second prefill), and puts it back at the front of its class.
    /// </summary>
    private void Preempt(EngineSequence victim)
    {
        var row = victim.Row!;
        try
        {
            victim.SuspendedKv = _batch.CopyKv(row);
        }
        catch (Exception error)
        {
            Fail(victim, error);
            return;
        }
        victim.SuspendedIds = row.Ids.ToArray();
        _batch.Leave(row);
        victim.Row = null;
        lock (_gate)
        {
            _admitted.Remove(victim);
            victim.Stage = SequenceStage.Queued;
            victim.Resumed = true;
            _queue.EnqueueFirst(victim, victim.Priority);
        }
    }

    private void Admit()
    {
        lock (_gate)
        {
            while (_admitted.Count < Policy.MaxRunning && _queue.Dequeue() is { } next)
            {
                _admitted.Add(next);
                if (!next.HasStarted)
                {
                    next.HasStarted = true;
                    next.Emit(GenerationEvent.Started());
                }
                if (next.Prompt is null)
                {
                    next.Stage = SequenceStage.Vision;
                    next.Vision = _vision.Run(next.Submission.Vision!, next.Cancellation);
                    next.Vision.ContinueWith(static (_, loop) => ((EngineLoop)loop!).Wake(), this,
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                else
                {
                    next.Stage = SequenceStage.Prefill; // gets its row in StartRows
                }
            }
            foreach (var (sequence, position) in _queue.TakePositionChanges())
                if (!sequence.HasStarted) sequence.Emit(GenerationEvent.Queued(position));
        }
    }

    /// <summary>Gives a row to each admitted sequence that has its prompt (vision done) but none yet.</summary>
    private void StartRows()
    {
        List<EngineSequence> ready;
        lock (_gate)
            ready = _admitted.Where(s => s.Row is null && (s.Stage == SequenceStage.Prefill || s.Vision is { IsCompleted: true })).ToList();
        foreach (var sequence in ready)
        {
            try
            {
                if (sequence.Stage == SequenceStage.Vision)
                {
                    var prompt = sequence.Vision!.GetAwaiter().GetResult(); // completed: rethrows the vision error as is
                    sequence.Vision = null;
                    sequence.Prompt = prompt;
                    sequence.Answer = NewAnswer(sequence, prompt);
                }
                sequence.PrefillStart = Stopwatch.GetTimestamp();
                sequence.Row = sequence.SuspendedKv is { } kv ? Resume(sequence, kv) : Join(sequence);
                sequence.Stage = SequenceStage.Prefill;
            }
            catch (Exception error)
            {
                // Not swallowed: this request's caller rethrows it; the other sequences go on.
                Fail(sequence, error);
            }
        }
    }

    private DecodeRow Join(EngineSequence sequence)
    {
        var prompt = sequence.Prompt!;
        var prefix = _prefixes?.Acquire(sequence.Submission.Context.Owner, prompt.Ids, prompt.ImageKeys);
        sequence.ReusedTokens = prefix?.Length ?? 0;
        return _batch.Join(prompt, prefix);
    }

    /// <summary>
    /// A preempted sequence continues as a prompt of its fed tokens plus its newest (not yet fed) token, on top of
    /// its own KV: the one-token prefill is the decode step it missed, and its answer goes on from there.
    /// </summary>
    private DecodeRow Resume(EngineSequence sequence, KvCache kv)
    {
        var prompt = sequence.Prompt!;
        var ids = sequence.SuspendedIds!.Append(sequence.Answer!.LastToken).ToArray();
        var continuation = prompt with { Ids = ids, Positions = prompt.Positions.Extended(ids.Length) };
        sequence.SuspendedKv = null;
        sequence.SuspendedIds = null;
        return _batch.Join(continuation, kv);
    }

    /// <summary>One token for every decoding row; returns how many rows were decoded.</summary>
    private int DecodeStep()
    {
        List<EngineSequence> decoding;
        lock (_gate) decoding = _admitted.Where(s => s.Stage == SequenceStage.Decode).OrderBy(s => s.Priority).ThenBy(s => s.Arrival).ToList();
        foreach (var group in decoding.Chunk(Policy.MaxBatchSize))
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                _batch.Step(group.Select(s => (s.Row!, s.Answer!.LastToken)).ToList());
            }
            catch (Exception error)
            {
                // Not swallowed: each row of the failed call ends with this error (their callers rethrow it).
                foreach (var sequence in group) Fail(sequence, error);
                continue;
            }
            lock (_gate)
            {
                _steps++;
                _rowSteps += group.Length;
            }
            foreach (var sequence in group)
            {
                sequence.Emit(sequence.Answer!.Pick(_batch.Logits(sequence.Row!), start));
                if (!sequence.Answer.WantsToken) Finish(sequence, keepKv: true);
            }
        }
        return decoding.Count;
    }

    /// <summary>
    /// Prompt chunks for the prefilling sequences (Interactive first, then by arrival) within what is left of the
    /// turn's token budget: one chunk when <paramref name="decoded"/> rows are waiting for their next token,
    /// as many as the budget holds otherwise.
    /// </summary>
    private void PrefillChunks(int decoded)
    {
        List<EngineSequence> prefilling;
        lock (_gate)
            prefilling = _admitted.Where(s => s.Stage == SequenceStage.Prefill && s.Row is not null)
                .OrderBy(s => s.Priority).ThenBy(s => s.Arrival).ToList();
        int budget = Policy.StepTokenBudget - decoded;
        int chunks = decoded > 0 ? 1 : int.MaxValue;
        foreach (var sequence in prefilling)
        {
            var row = sequence.Row!;
            // A caller that gives up mid-prompt is dropped at the next turn, not after the rest of its chunks.
            while (chunks > 0 && !row.IsPrefilled && sequence.Stage == SequenceStage.Prefill && !sequence.Cancellation.IsCancellationRequested)
            {
                // With nobody waiting for a token, the whole budget goes into one call: a lone user's prompt is not
                // split (one decoder call is faster than several with past), so single-user TTFT does not suffer.
                int chunk = decoded > 0 ? Policy.PrefillChunkTokens : Policy.StepTokenBudget;
                int tokens = Math.Min(chunk, Math.Max(budget, 1));
                int before = row.Length;
                bool done;
                try
                {
                    done = _batch.Prefill(row, tokens);
                }
                catch (Exception error)
                {
                    Fail(sequence, error);
                    break;
                }
                chunks--;
                budget -= row.Length - before;
                if (done) Prefilled(sequence);
                if (budget <= 0) chunks = 0;
            }
            if (chunks == 0) break;
        }
    }

    /// <summary>The whole prompt is in: pick the first token from the prefill's logits and start decoding.</summary>
    private void Prefilled(EngineSequence sequence)
    {
        var answer = sequence.Answer!;
        if (!sequence.Resumed)
            answer.Prefilled(Stopwatch.GetElapsedTime(sequence.PrefillStart).TotalMilliseconds, sequence.ReusedTokens);
        if (answer.WantsToken && !sequence.Cancellation.IsCancellationRequested)
            sequence.Emit(answer.Pick(_batch.Logits(sequence.Row!), sequence.PrefillStart));
        if (sequence.Cancellation.IsCancellationRequested) answer.Cancel();
        if (answer.WantsToken)
        {
            lock (_gate) sequence.Stage = SequenceStage.Decode;
            return;
        }
        Finish(sequence, keepKv: true);
    }

    /// <summary>Ends the sequence: its KV to the prefix cache (when asked and enabled), its row freed, its stream completed.</summary>
    private void Finish(EngineSequence sequence, bool keepKv)
    {
        if (sequence.Row is { } row)
        {
            try
            {
                if (keepKv && _prefixes is { Enabled: true })
                    _prefixes.Add(sequence.Submission.Context.Owner, row.Ids.ToArray(), row.Prompt.ImageKeys, _batch.CopyKv(row), row.Prompt.SystemPrefixLength);
            }
            finally
            {
                _batch.Leave(row);
                sequence.Row = null;
            }
        }
        lock (_gate) _admitted.Remove(sequence);
        sequence.Complete();
    }

    private void Fail(EngineSequence sequence, Exception error)
    {
        if (sequence.Row is { } row)
        {
            _batch.Leave(row);
            sequence.Row = null;
        }
        lock (_gate) _admitted.Remove(sequence);
        sequence.Fail(error);
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
