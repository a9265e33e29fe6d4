using System.Net;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>Batch:Storage=PostgreSql puts the batch jobs in PostgreSQL (a local server started for the test).</summary>
[Trait(TestCategories.Name, TestCategories.Postgres)]
public sealed class BatchPostgreSqlFacts(PostgreSqlServer postgres) : IClassFixture<PostgreSqlServer>
{
    [Fact]
    public async Task Batch_RunsOnPostgreSqlStorage_WhenConfigured()
    {
        await using var factory = new StudioFactory();
        factory.Settings["Batch:Storage"] = "PostgreSql";
        factory.Settings["Batch:PostgreSqlConnection"] = postgres.ConnectionString;
        await factory.WaitForEngineAsync();
        var user = factory.CreateUser("pg" + Guid.NewGuid().ToString("N")[..8]);
        var batches = factory.Get<BatchService>();
        var inputs = BatchInputs.Images(4);
        inputs.Add(BatchInput.FromBytes("bad.png", BadImages.Truncated()));

        var batch = batches.Create(user.Id, BatchInputs.Request(), inputs);
        var progress = await BatchInputs.WaitUntilFinishedAsync(batches, user.Id, batch.Id);

        Assert.Equal((5, 4, 1), (progress.Total, progress.Done, progress.Failed));
        Assert.IsType<PostgreSqlStorage>(factory.Get<JobStorage>());
        Assert.False(File.Exists(Path.Combine(factory.DataFolder, "hangfire.db")));
        var jobIds = factory.Get<BatchStore>().Items(user.Id, batch.Id).Select(i => long.Parse(i.JobId!)).ToArray();
        // A job turns Succeeded just after its item's result is written: wait (bounded) for the last one.
        long succeeded = 0;
        await Poll.UntilAsync(async () => (succeeded = await SucceededJobsAsync(postgres.ConnectionString, jobIds)) == 5, what: "five succeeded jobs");
        Assert.Equal(5L, succeeded);

        using var admin = await SignedInClient.CreateAsync(factory, StudioFactory.AdminUser, StudioFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire/jobs/succeeded")).StatusCode);
    }

    private static async Task<long> SucceededJobsAsync(string connectionString, long[] jobIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select count(*) from hangfire.job where id = any(@ids) and statename = 'Succeeded'", connection);
        query.Parameters.AddWithValue("ids", jobIds);
        return (long)(await query.ExecuteScalarAsync())!;
    }
}
