using Hangfire;
using Hangfire.Dashboard;
using QwenVlStudio.Hangfire.LiteDb;
using QwenVlStudio.Hangfire.LiteDb.TestHost;

// A small Hangfire application on the LiteDB storage, run as a child process by the durability and dashboard
// facts. It prints "URL <address>" once its dashboard listens and "ENQUEUED <n>" once its jobs are committed,
// and stops cleanly when it reads "stop" on its standard input. The facts may also kill it outright.
var arguments = HostArguments.Parse(args);
var storage = GlobalConfiguration.Configuration.UseLiteDbStorage(arguments.Database, new LiteDbStorageOptions
{
    InvisibilityTimeout = TimeSpan.FromMilliseconds(arguments.InvisibilityMilliseconds),
    QueuePollInterval = TimeSpan.FromMilliseconds(200),
}).Entry;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddHangfire(configuration => configuration.UseStorage(storage));
builder.Services.AddHangfireServer(options =>
{
    options.WorkerCount = arguments.Workers;
    options.SchedulePollingInterval = TimeSpan.FromMilliseconds(200);
});

var app = builder.Build();
app.UseHangfireDashboard("/hangfire", new DashboardOptions
{
    // The facts post to /hangfire/stats like the dashboard's own script; they carry no antiforgery token.
    IgnoreAntiforgeryToken = true,
    Authorization = [new LocalRequestsOnlyAuthorizationFilter()],
});

await app.StartAsync();
Console.WriteLine($"REQUEUED {storage.RequeuedAtOpen}");
Console.WriteLine($"URL {app.Urls.First()}");

var client = app.Services.GetRequiredService<IBackgroundJobClient>();
Parallel.For(0, arguments.Enqueue, new ParallelOptions { MaxDegreeOfParallelism = 4 }, number =>
    client.Enqueue(() => HostJobs.Append(arguments.Output, number, arguments.JobMilliseconds)));
for (var i = 0; i < arguments.Fail; i++)
{
    var number = i;
    client.Enqueue(() => HostJobs.Fail(number));
}

for (var i = 0; i < arguments.Schedule; i++)
{
    var number = i;
    client.Schedule(() => HostJobs.Append(arguments.Output, -1 - number, 0), TimeSpan.FromHours(1));
}

var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
for (var i = 0; i < arguments.Recurring; i++)
{
    recurring.AddOrUpdate($"nightly-{i}", () => HostJobs.Append(arguments.Output, -1000 - i, 0), Cron.Daily());
}

Console.WriteLine($"ENQUEUED {arguments.Enqueue}");

while (Console.ReadLine() is { } line)
{
    if (line.Trim() == "stop") break;
}

await app.StopAsync();
await app.DisposeAsync();
storage.Dispose();
Console.WriteLine("STOPPED");
