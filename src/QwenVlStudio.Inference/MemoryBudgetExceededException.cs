namespace QwenVlStudio.Inference;

/// <summary>
/// A request's estimated memory does not fit the engine's budget: never (<see cref="FitsWhenIdle"/> false: too
/// long a prompt or answer for this server, a 400) or not now, with the other requests running (a 429; retry later).
/// </summary>
public sealed class MemoryBudgetExceededException(long neededBytes, long availableBytes, long budgetBytes, bool fitsWhenIdle, string message)
    : QwenVlException(message)
{
    public long NeededBytes { get; } = neededBytes;
    public long AvailableBytes { get; } = availableBytes;
    public long BudgetBytes { get; } = budgetBytes;
    public bool FitsWhenIdle { get; } = fitsWhenIdle;
}
