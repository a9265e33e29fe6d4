using Hangfire.Common;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Data;

namespace QwenVlStudio.Hangfire.LiteDb.Monitoring;

/// <summary>
/// What the dashboard's job lists show of a job: its invocation, whether it is (still) in the state the list is
/// about, and that state's reason, data and time when it is.
/// </summary>
internal sealed class JobSummary
{
    private JobSummary(JobRecord? job, string listState)
    {
        if (job is null) return;

        InvocationData = job.InvocationData;
        Job = InvocationData.TryGetJob(out var loadException);
        LoadException = loadException;
        var state = job.State;
        StateName = state?.Name;
        if (state is null || !string.Equals(state.Name, listState, StringComparison.OrdinalIgnoreCase)) return;

        InState = true;
        StateReason = state.Reason;
        StateData = state.DataAsDictionary();
        StateCreatedAt = state.CreatedAt;
    }

    public InvocationData? InvocationData { get; }
    public Job? Job { get; }
    public JobLoadException? LoadException { get; }
    public string? StateName { get; }
    public bool InState { get; }
    public string? StateReason { get; }
    public IDictionary<string, string>? StateData { get; }
    public DateTime? StateCreatedAt { get; }

    public static JobSummary Of(JobRecord? job, string listState) => new(job, listState);

    public string? Data(string name) => StateData is not null && StateData.TryGetValue(name, out var value) ? value : null;
}
