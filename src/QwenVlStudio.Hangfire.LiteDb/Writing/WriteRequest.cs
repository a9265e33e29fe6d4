using System.Runtime.ExceptionServices;

namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>One caller's write, waiting for the writer thread to apply and commit it.</summary>
internal abstract class WriteRequest
{
    // No spinning: a commit takes far longer than a spin, and on a small machine the spinning steals the CPU the
    // writer thread needs to finish it.
    private readonly ManualResetEventSlim _done = new(initialState: false, spinCount: 0);
    private ExceptionDispatchInfo? _failure;
    private int _finished;

    /// <summary>Actions to run once committed; refilled each time the write is applied (it may be applied again).</summary>
    public List<Action> AfterCommit { get; } = [];

    /// <summary>Applies the write inside the open transaction. Must depend only on the session (it may be re-run).</summary>
    public abstract void Apply(WriteSession session);

    /// <summary>Reports success: runs the after-commit actions and releases the caller.</summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        foreach (var action in AfterCommit) action();
        _done.Set();
    }

    /// <summary>Reports failure to the caller; only the first outcome of a request counts.</summary>
    public void Fail(Exception exception)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        _failure = ExceptionDispatchInfo.Capture(exception);
        _done.Set();
    }

    protected void WaitUntilDone()
    {
        _done.Wait();
        _done.Dispose();
        _failure?.Throw();
    }
}

/// <summary>A write that returns a value computed inside the transaction.</summary>
internal sealed class WriteRequest<T>(Func<WriteSession, T> write) : WriteRequest
{
    private T _result = default!;

    public override void Apply(WriteSession session) => _result = write(session);

    public T WaitForResult()
    {
        WaitUntilDone();
        return _result;
    }
}
