using LiteDB;
using LiteDB.Engine;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>The barrier that makes a commit durable: it returns only once LiteDB's writer thread has written the log.</summary>
public sealed class LogWriteBarrierFacts
{
    [Fact]
    public async Task WaitForQueuedPages_BlocksUntilTheLogIsWritten()
    {
        var log = new GatedStream();
        using var engine = new LiteEngine(new EngineSettings { DataStream = new MemoryStream(), LogStream = log });
        var barrier = LogWriteBarrier.For(engine);
        log.CloseGate(); // from here on, LiteDB's writer thread blocks on its first write to the log
        try
        {
            // Commit returns once the pages are queued; the writer thread is now stuck in the gated log stream.
            using var database = new LiteDatabase(engine, disposeOnClose: false);
            database.GetCollection("jobs").Insert(new BsonDocument { ["name"] = "durable" });
            Assert.True(log.WriterBlocked.Wait(TimeSpan.FromSeconds(30)), "LiteDB never wrote the committed pages to its log");
            var waiting = Task.Run(barrier.WaitForQueuedPages);

            // Still blocked: the pages are not in the log, so the barrier must not have returned.
            await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(300)));
            Assert.False(waiting.IsCompleted, "the barrier returned before the log was written");
            Assert.Equal(0, log.BytesWritten);

            log.OpenGate();
            await waiting.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(log.BytesWritten > 0, "the barrier returned but nothing reached the log");
        }
        finally
        {
            log.OpenGate(); // else closing the engine would wait on the stuck writer for ever
        }
    }

    [Fact]
    public void For_RefusesAnyOtherLiteDbVersion()
    {
        LogWriteBarrier.CheckLiteDbVersion(typeof(LiteEngine).Assembly.GetName().Version); // the pinned one passes

        var error = Assert.Throws<NotSupportedException>(() => LogWriteBarrier.CheckLiteDbVersion(new Version(5, 0, 21, 0)));

        Assert.Contains("LiteDB 5.0.21.0 is loaded", error.Message);
        Assert.Contains("Use LiteDB 5.0.20", error.Message);
    }

    /// <summary>A memory stream whose writes wait while the gate is closed, and that says when a writer is waiting.</summary>
    private sealed class GatedStream : MemoryStream
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private long _bytesWritten;

        public ManualResetEventSlim WriterBlocked { get; } = new();

        public long BytesWritten => Interlocked.Read(ref _bytesWritten);

        public void CloseGate() => _open.Reset();

        public void OpenGate() => _open.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!_open.IsSet)
                WriterBlocked.Set();
            _open.Wait();
            base.Write(buffer, offset, count);
            Interlocked.Add(ref _bytesWritten, count);
        }
    }
}
