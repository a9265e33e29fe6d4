using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QwenVlStudio.Hangfire.LiteDb;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Batches.Hosting;

/// <summary>Creates the Hangfire job storage that "Batch:Storage" names; one per host, owned by its container.</summary>
public static class BatchJobStorage
{
    public const string DefaultFileName = "hangfire.db";

    public static JobStorage Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<BatchOptions>>().Value;
        return options.Storage switch
        {
            BatchStorageKind.LiteDb => OpenLiteDb(LiteDbPath(services, options)),
            BatchStorageKind.InMemory => new InMemoryStorage(),
            BatchStorageKind.PostgreSql => PostgreSqlJobStorage.Create(options.PostgreSqlConnection!),
            _ => throw new InvalidOperationException($"Unknown Batch:Storage {options.Storage}."),
        };
    }

    /// <summary>The job file after the same checks as the app's database: never an empty or damaged one re-created.</summary>
    private static LiteDbStorage OpenLiteDb(string path)
    {
        var log = Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
        DataFileCheck.BeforeOpen(path, log);
        try
        {
            return new LiteDbStorage(path);
        }
        catch (Exception e) when (e is LiteDB.LiteException or InvalidCastException or IndexOutOfRangeException or ArgumentException or InvalidOperationException)
        {
            throw DataFileCheck.Damaged(path, e);
        }
    }

    /// <summary>Batch:HangfirePath against the content root, or hangfire.db beside the app's database.</summary>
    public static string LiteDbPath(IServiceProvider services, BatchOptions options)
    {
        var root = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        if (!string.IsNullOrWhiteSpace(options.HangfirePath))
            return Path.GetFullPath(options.HangfirePath, root);
        var data = services.GetRequiredService<IOptions<DataOptions>>().Value;
        var folder = Path.GetDirectoryName(Path.GetFullPath(data.Path, root)) ?? root;
        return Path.Combine(folder, DefaultFileName);
    }
}
