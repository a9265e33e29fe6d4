using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace QwenVlStudio.Web.Batches.Hosting;

/// <summary>
/// Hangfire.PostgreSql for servers that share one job store. The schema ("hangfire") is created on first use;
/// idle workers look for new jobs every second.
/// </summary>
public static class PostgreSqlJobStorage
{
    public static JobStorage Create(string connectionString)
    {
        var options = new PostgreSqlStorageOptions
        {
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
