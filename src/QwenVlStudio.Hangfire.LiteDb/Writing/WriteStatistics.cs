namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>Counts of the writer's commits and of the writes they carried.</summary>
internal sealed class WriteStatistics
{
    private long _commits;
    private long _writes;

    public long Commits => Interlocked.Read(ref _commits);

    public long Writes => Interlocked.Read(ref _writes);

    public void Record(int writesInCommit)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, writesInCommit);
    }
}
