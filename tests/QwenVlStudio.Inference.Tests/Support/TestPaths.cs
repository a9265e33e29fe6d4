namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>Locates the repository's embedded model package and its golden files from the test output folder.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string TinyModel => Path.Combine(RepoRoot, "models", "qwen3-vl-tiny");

    public static string Golden => Path.Combine(TinyModel, "golden");

    public static string GoldenCase(string name) => Path.Combine(Golden, name);

    public static IEnumerable<string> GoldenCaseNames =>
        Directory.GetDirectories(Golden).Select(Path.GetFileName).Order().Cast<string>();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "QwenVlStudio.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("QwenVlStudio.slnx not found above the test output folder");
    }
}
