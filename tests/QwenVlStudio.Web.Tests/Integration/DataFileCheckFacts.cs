using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>
/// Issue 15 item 7: empty, damaged or log-less data files are refused at start with a message naming the file and
/// the fix, never silently re-created (a new admin, all data gone) or half-read.
/// </summary>
public sealed class DataFileCheckFacts
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static async Task<(int Code, string Output)> StartAndWaitForExit(string folder)
    {
        using var app = StudioProcess.Start(folder);
        int code = await app.WaitForExitAsync(ExitTimeout);
        return (code, app.Output);
    }

    [Fact]
    public async Task App_RefusesToStart_OnAnEmptyDatabaseFile()
    {
        var folder = TestPaths.NewTempFolder();
        var db = Path.Combine(folder, "studio.db");
        File.WriteAllBytes(db, []);

        var (code, output) = await StartAndWaitForExit(folder);

        Assert.Equal(1, code);
        Assert.Contains("empty (0 bytes)", output);
        Assert.Contains(db, output);
        Assert.Contains("backup", output);
        Assert.Equal(0, new FileInfo(db).Length); // left as it was, not re-created
    }

    [Fact]
    public async Task App_RefusesToStart_OnADamagedDatabaseFile()
    {
        var folder = TestPaths.NewTempFolder();
        var db = Path.Combine(folder, "studio.db");
        using (var seeded = new TempDatabase(db))
            seeded.Users.Insert(new UserRecord { Id = Guid.NewGuid(), UserName = "u", NormalizedUserName = "U", Role = Roles.User });
        using (var file = File.OpenWrite(db))
            file.Write(Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 + 11)).ToArray());

        var (code, output) = await StartAndWaitForExit(folder);

        Assert.Equal(1, code);
        Assert.Contains("damaged", output);
        Assert.Contains(db, output);
    }

    [Fact]
    public async Task App_RefusesToStart_OnAnEmptyJobFile()
    {
        var folder = TestPaths.NewTempFolder();
        var jobs = Path.Combine(folder, "hangfire.db");
        File.WriteAllBytes(jobs, []);

        var (code, output) = await StartAndWaitForExit(folder);

        Assert.Equal(1, code);
        Assert.Contains(jobs, output);
        Assert.Contains("empty (0 bytes)", output);
    }

    [Fact]
    public void Database_IsRefused_WhenCopiedFromARunningAppWithoutItsLog()
    {
        var folder = TestPaths.NewTempFolder();
        var live = Path.Combine(folder, "live.db");
        var copy = Path.Combine(folder, "copy.db");
        using (var running = new TempDatabase(live))
        {
            running.Users.Insert(new UserRecord { Id = Guid.NewGuid(), UserName = "u", NormalizedUserName = "U", Role = Roles.User });
            CopyShared(live, copy); // what 'cp qwenvl-studio.db backup/' does while the app runs
        }

        var error = Assert.Throws<DataFileException>(() => new StudioDatabase(copy));

        Assert.Contains("write-ahead log", error.Message);
        Assert.Contains("copy-log.db", error.Message);
        using (new StudioDatabase(copy, acceptMissingLog: true))
        {
        }
        using (new StudioDatabase(copy)) // the operator accepted the loss once; the file is consistent again
        {
        }
    }

    [Fact]
    public void Database_Reopens_AfterACleanClose()
    {
        var path = Path.Combine(TestPaths.NewTempFolder(), "studio.db");
        var id = Guid.NewGuid();
        using (var db = new TempDatabase(path))
            db.Users.Insert(new UserRecord { Id = id, UserName = "u", NormalizedUserName = "U", Role = Roles.User });

        using var reopened = new TempDatabase(path);

        Assert.NotNull(reopened.Users.FindById(id));
    }

    [Fact]
    public void Database_IsRefused_WhenOnlyItsLogIsLeft()
    {
        var folder = TestPaths.NewTempFolder();
        File.WriteAllBytes(Path.Combine(folder, "studio-log.db"), [1, 2, 3]);

        var error = Assert.Throws<DataFileException>(() => new StudioDatabase(Path.Combine(folder, "studio.db")));

        Assert.Contains("missing but its write-ahead log is present", error.Message);
    }

    private static void CopyShared(string from, string to)
    {
        using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var target = File.Create(to);
        source.CopyTo(target);
    }
}
