namespace QwenVlStudio.Web.Tests.Support;

public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A fresh folder under the test output for one test's database and files.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "QwenVlStudio.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("QwenVlStudio.slnx not found above the test output folder");
    }
}
