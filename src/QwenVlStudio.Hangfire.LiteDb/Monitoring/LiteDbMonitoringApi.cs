using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Monitoring;

/// <summary>What the Hangfire dashboard reads: statistics, queues, servers, job lists and job details.</summary>
internal sealed class LiteDbMonitoringApi(LiteDbStorage storage) : JobStorageMonitor
{
    private const int FirstJobsPerQueue = 5;

    private Collections Collections => storage.Collections;

    private int? ListLimit => storage.Options.DashboardJobListLimit;

    public override IList<QueueWithTopEnqueuedJobsDto> Queues() =>
        QueueNames.All(Collections).Order(StringComparer.Ordinal).Select(queue => new QueueWithTopEnqueuedJobsDto
        {
            Name = queue,
            Length = QueueReads.WaitingCount(Collections, queue),
            Fetched = QueueReads.Fetched(Collections, queue).LongCount(),
            FirstJobs = EnqueuedJobs(queue, 0, FirstJobsPerQueue),
        }).ToList();

    public override IList<ServerDto> Servers() =>
        ServerStore.All(Collections).Select(static server => new ServerDto
        {
            Name = server.Name,
            Queues = server.Queues,
            WorkersCount = server.WorkerCount,
            StartedAt = server.StartedAt,
            Heartbeat = server.HeartbeatAt,
        }).ToList();

    public override JobDetailsDto? JobDetails(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var job = JobReads.Find(Collections, jobId);
        if (job is null) return null;

        var invocation = job.InvocationData;
        return new JobDetailsDto
        {
            Job = invocation.TryGetJob(out var loadException),
            LoadException = loadException,
            InvocationData = invocation,
            Properties = job.Parameters.ToDictionary(static p => p.Key, static p => p.Value!, StringComparer.Ordinal),
            History = job.History.Reverse().Select(static state => new StateHistoryDto
            {
                StateName = state.Name,
                Reason = state.Reason,
                CreatedAt = state.CreatedAt,
                Data = state.DataAsDictionary(),
            }).ToList(),
            CreatedAt = job.CreatedAt,
            ExpireAt = job.ExpireAt,
        };
    }

    public override StatisticsDto GetStatistics() => new()
    {
        Enqueued = CountInState(EnqueuedState.StateName),
        Scheduled = CountInState(ScheduledState.StateName),
        Processing = CountInState(ProcessingState.StateName),
        Failed = CountInState(FailedState.StateName),
        Awaiting = CountInState(AwaitingState.StateName),
        Succeeded = CounterStore.Get(Collections, "stats:succeeded"),
        Deleted = CounterStore.Get(Collections, "stats:deleted"),
        Queues = QueueNames.All(Collections).Count,
        Servers = ServerStore.Count(Collections),
        Recurring = SetReads.Count(Collections, "recurring-jobs"),
        Retries = SetReads.Count(Collections, "retries"),
    };

    public override JobList<EnqueuedJobDto> EnqueuedJobs(string queue, int from, int perPage)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var jobIds = QueueReads.WaitingJobIds(Collections, queue, from, perPage);
        return List(jobIds.Select(id => (id, JobReads.Find(Collections, id))), EnqueuedState.StateName, static s => new EnqueuedJobDto
        {
            Job = s.Job,
            LoadException = s.LoadException,
            InvocationData = s.InvocationData,
            State = s.StateName,
            StateData = s.StateData,
            InEnqueuedState = s.InState,
            EnqueuedAt = s.StateCreatedAt,
        });
    }

    public override JobList<FetchedJobDto> FetchedJobs(string queue, int from, int perPage)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var entries = QueueReads.Fetched(Collections, queue).Skip(from).Take(perPage).ToList();
        return new JobList<FetchedJobDto>(entries.Select(entry =>
        {
            var jobId = entry[Schema.Queue.JobId].AsInt64;
            var summary = JobSummary.Of(JobReads.Find(Collections, jobId), ProcessingState.StateName);
            return new KeyValuePair<string, FetchedJobDto>(JobIds.Format(jobId), new FetchedJobDto
            {
                Job = summary.Job,
                LoadException = summary.LoadException,
                InvocationData = summary.InvocationData,
                State = summary.StateName,
                FetchedAt = Ticks.ToNullableUtc(entry[Schema.Queue.FetchedAt]),
            });
        }));
    }

    public override JobList<ProcessingJobDto> ProcessingJobs(int from, int count) =>
        StateList(ProcessingState.StateName, from, count, newestFirst: false, static s => new ProcessingJobDto
        {
            Job = s.Job,
            LoadException = s.LoadException,
            InvocationData = s.InvocationData,
            StateData = s.StateData,
            InProcessingState = s.InState,
            StartedAt = s.StateCreatedAt,
            ServerId = s.Data("ServerId"),
        });

    public override JobList<ScheduledJobDto> ScheduledJobs(int from, int count) =>
        StateList(ScheduledState.StateName, from, count, newestFirst: false, static s => new ScheduledJobDto
        {
            Job = s.Job,
            LoadException = s.LoadException,
            InvocationData = s.InvocationData,
            StateData = s.StateData,
            InScheduledState = s.InState,
            ScheduledAt = s.StateCreatedAt,
            EnqueueAt = JobHelper.DeserializeNullableDateTime(s.Data("EnqueueAt")) ?? DateTime.MinValue,
        });

    public override JobList<SucceededJobDto> SucceededJobs(int from, int count) =>
        StateList(SucceededState.StateName, from, count, newestFirst: true, static s => new SucceededJobDto
        {
            Job = s.Job,
            LoadException = s.LoadException,
            InvocationData = s.InvocationData,
            StateData = s.StateData,
            InSucceededState = s.InState,
            SucceededAt = s.StateCreatedAt,
            Result = s.Data("Result"),
            TotalDuration = s.Data("PerformanceDuration") is { } duration && s.Data("Latency") is { } latency
                ? long.Parse(duration, CultureInfo.InvariantCulture) + long.Parse(latency, CultureInfo.InvariantCulture)
                : null,
        });

    public override JobList<FailedJobDto> FailedJobs(int from, int count) =>
        StateList(FailedState.StateName, from, count, newestFirst: true, static s => new FailedJobDto
        {
            Job = s.Job,
            LoadException = s.LoadException,
            InvocationData = s.InvocationData,
            StateData = s.StateData,
            InFailedState = s.InState,
            Reason = s.StateReason,
            FailedAt = s.StateCreatedAt,
            ExceptionType = s.Data("ExceptionType"),
            ExceptionMessage = s.Data("ExceptionMessage"),
            ExceptionDetails = s.Data("ExceptionDetails"),
        });

    public override JobList<DeletedJobDto> DeletedJobs(int from, int count) =>
        StateList(DeletedState.StateName, from, count, newestFirst: true, static s => new DeletedJobDto
        {
            Job = s.Job,
            LoadException = s.LoadException,
            InvocationData = s.InvocationData,
            StateData = s.StateData,
            InDeletedState = s.InState,
            DeletedAt = s.StateCreatedAt,
        });

    public override JobList<AwaitingJobDto> AwaitingJobs(int from, int count) =>
        StateList(AwaitingState.StateName, from, count, newestFirst: false, s => new AwaitingJobDto
        {
            Job = s.Job,
            LoadException = s.LoadException,
            InvocationData = s.InvocationData,
            StateData = s.StateData,
            InAwaitingState = s.InState,
            AwaitingAt = s.StateCreatedAt,
            ParentStateName = s.Data("ParentId") is { } parentId ? JobReads.Find(Collections, parentId)?.State?.Name : null,
        });

    public override long ScheduledCount() => CountInState(ScheduledState.StateName);

    public override long EnqueuedCount(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return QueueReads.WaitingCount(Collections, queue);
    }

    public override long FetchedCount(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return QueueReads.Fetched(Collections, queue).LongCount();
    }

    public override long FailedCount() => CountInState(FailedState.StateName);

    public override long ProcessingCount() => CountInState(ProcessingState.StateName);

    public override long SucceededListCount() => CountInState(SucceededState.StateName);

    public override long DeletedListCount() => CountInState(DeletedState.StateName);

    public override long AwaitingCount() => CountInState(AwaitingState.StateName);

    public override IDictionary<DateTime, long> SucceededByDatesCount() => CounterTimeline.Daily(Collections, storage.UtcNow, "succeeded");

    public override IDictionary<DateTime, long> FailedByDatesCount() => CounterTimeline.Daily(Collections, storage.UtcNow, "failed");

    public override IDictionary<DateTime, long> DeletedByDatesCount() => CounterTimeline.Daily(Collections, storage.UtcNow, "deleted");

    public override IDictionary<DateTime, long> HourlySucceededJobs() => CounterTimeline.Hourly(Collections, storage.UtcNow, "succeeded");

    public override IDictionary<DateTime, long> HourlyFailedJobs() => CounterTimeline.Hourly(Collections, storage.UtcNow, "failed");

    public override IDictionary<DateTime, long> HourlyDeletedJobs() => CounterTimeline.Hourly(Collections, storage.UtcNow, "deleted");

    private long CountInState(string stateName) => StateLists.Count(Collections, stateName, ListLimit);

    private JobList<TDto> StateList<TDto>(
        string stateName, int from, int count, bool newestFirst, Func<JobSummary, TDto> toDto)
    {
        var jobs = StateLists.Page(Collections, stateName, from, count, newestFirst);
        return List(jobs.Select(static job => (job.Id, (JobRecord?)job)), stateName, toDto);
    }

    private static JobList<TDto> List<TDto>(
        IEnumerable<(long Id, JobRecord? Job)> jobs, string stateName, Func<JobSummary, TDto> toDto) =>
        new(jobs.Select(entry => new KeyValuePair<string, TDto>(
            JobIds.Format(entry.Id), toDto(JobSummary.Of(entry.Job, stateName)))));
}
