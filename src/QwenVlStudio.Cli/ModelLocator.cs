using System.Text.Json;

namespace QwenVlStudio.Cli;

/// <summary>
/// Finds the default model: the Model:Path of the nearest appsettings.json above the current folder or the
/// executable (the repository's top level), resolved against that folder.
/// </summary>
internal static class ModelLocator
{
    public static string Resolve(string? explicitPath)
    {
        if (explicitPath is not null) return Path.GetFullPath(explicitPath);
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var settings = Path.Combine(dir.FullName, "appsettings.json");
                if (!File.Exists(settings)) continue;
                using var doc = JsonDocument.Parse(File.ReadAllText(settings));
                if (doc.RootElement.TryGetProperty("Model", out var model) && model.TryGetProperty("Path", out var path)
                    && path.GetString() is { Length: > 0 } relative)
                    return Path.GetFullPath(Path.Combine(dir.FullName, relative));
            }
        }
        throw new UsageException("no --model given and no appsettings.json with Model:Path found above the current folder");
    }
}
