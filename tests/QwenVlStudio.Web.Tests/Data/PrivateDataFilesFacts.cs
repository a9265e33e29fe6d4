using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Data;

/// <summary>Issue 15 item 9: the data folder is 0700 and the database files 0600 (they hold password hashes).</summary>
public sealed class PrivateDataFilesFacts
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void StudioDatabase_CreatesItsFolderAndFile_ForThisUserOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = Path.Combine(TestPaths.NewTempFolder(), "data", "nested");

        using (new StudioDatabase(Path.Combine(folder, "studio.db")))
        {
        }

        Assert.Equal(Folder, File.GetUnixFileMode(folder));
        Assert.Equal(PrivateFile, File.GetUnixFileMode(Path.Combine(folder, "studio.db")));
    }

    [Fact]
    public void StudioDatabase_TightensAFileLeftReadableByAnOlderVersion()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(TestPaths.NewTempFolder(), "studio.db");
        using (new StudioDatabase(path))
        {
        }
        File.SetUnixFileMode(path, PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using (new StudioDatabase(path))
            Assert.Equal(PrivateFile, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task RunningApp_KeepsEveryDataFilePrivate()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var factory = new StudioFactory();
        await factory.WaitForEngineAsync();
        using (var client = await SignedInClient.CreateAsync(factory, StudioFactory.AdminUser, StudioFactory.AdminPassword))
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        var files = Directory.GetFiles(factory.DataFolder);
        Assert.Contains(files, f => f.EndsWith("hangfire.db", StringComparison.Ordinal));
        foreach (var file in files)
            Assert.True(File.GetUnixFileMode(file) == PrivateFile, $"{file} is {File.GetUnixFileMode(file)}");
    }
}
