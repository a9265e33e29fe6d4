namespace QwenVlStudio.Web.Hosting;

/// <summary>
/// The dashboard's content root is the repository's top level (appsettings.json, wwwroot/ and models/ live
/// there), wherever `dotnet run` is started from. An explicit --contentRoot or ASPNETCORE_CONTENTROOT wins.
/// </summary>
public static class ContentRootLocator
{
    public static string? Find(string[] args, string currentDirectory, string baseDirectory)
    {
        if (args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT")))
            return null;
        return SearchUp(currentDirectory) ?? SearchUp(baseDirectory);
    }

    public static bool IsContentRoot(string directory) =>
        File.Exists(Path.Combine(directory, "appsettings.json")) && Directory.Exists(Path.Combine(directory, "wwwroot"));

    private static string? SearchUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (IsContentRoot(dir.FullName))
                return dir.FullName;
        }

        return null;
    }
}
