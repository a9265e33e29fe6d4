using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>The group-commit writer: writes committed together stay independent of one another.</summary>
public sealed class WritePipelineFacts : IDisposable
{
    private readonly LiteDbFixture _fixture = new();

    private LiteDbStorage Storage => _fixture.Storage;

    [Fact]
    public async Task Execute_FailsOnlyTheThrowingWrite_WhenWritesShareACommit()
    {
        using var writerBusy = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // Occupy the writer, so that the next writes queue up and are committed as one group.
        var blocker = OnOwnThread(() => Storage.Writes.Execute(_ =>
        {
            writerBusy.Set();
            release.Wait(TimeSpan.FromSeconds(10));
        }));
        writerBusy.Wait(TimeSpan.FromSeconds(10));
        var commitsBefore = Storage.Writes.Statistics.Commits;

        var writes = Enumerable.Range(0, 6).Select(i => OnOwnThread(() => Storage.Writes.Execute(session =>
        {
            SetWrites.Add(session, "group", $"member-{i}", i);
            if (i == 3) throw new InvalidOperationException("write 3 fails");
        }))).ToList();
        Assert.True(Poll.Within(() => Storage.Writes.Waiting == 6, TimeSpan.FromSeconds(10)));
        release.Set();
        await blocker;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[3]);
        Assert.Equal("write 3 fails", failure.Message);
        await Task.WhenAll(writes.Where((_, i) => i != 3));
        using var connection = Storage.GetConnection();
        Assert.Equal(
            new HashSet<string> { "member-0", "member-1", "member-2", "member-4", "member-5" },
            connection.GetAllItemsFromSet("group"));
        Assert.Equal(commitsBefore + 1, Storage.Writes.Statistics.Commits);
    }

    [Fact]
    public void Execute_Throws_WhenAWriteStartsAnotherWrite()
    {
        var exception = Assert.Throws<InvalidOperationException>(
            () => Storage.Writes.Execute(_ => Storage.Writes.Execute(_ => { })));

        Assert.Contains("wait for itself", exception.Message);
    }

    [Fact]
    public void Execute_Throws_WhenStorageIsDisposed()
    {
        var writes = Storage.Writes;
        Storage.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writes.Execute(_ => { }));
    }

    public void Dispose() => _fixture.Dispose();

    // Each blocked writer gets a thread of its own rather than waiting for the thread pool to grow.
    private static Task OnOwnThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
