using System.Diagnostics.Metrics;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Jobs;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>
/// The batch services over a temp database and the fake engine, without a web host or a Hangfire server: jobs are
/// enqueued into an in-memory storage (so their ids are real) and run by the test through <see cref="RunAsync"/>.
/// </summary>
public sealed class BatchHarness : IAsyncDisposable
{
    private readonly ServiceProvider _metricsServices = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public BatchHarness(BatchOptions? options = null)
    {
        Store = new BatchStore(Db.Db, TimeProvider.System);
        Client = new BackgroundJobClient(Storage);
        Queue = new BatchJobQueue(Client, Store);
        Options = options ?? new BatchOptions();
        Service = new BatchService(
            Store, Queue, Running, Events, Engine.Governor,
            Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(new UploadOptions()), TimeProvider.System);
        Processor = new BatchItemProcessor(Engine.Engine, Engine.Governor, TimeProvider.System);
        Metrics = new BatchMetrics(_metricsServices.GetRequiredService<IMeterFactory>());
    }

    public TempDatabase Db { get; } = new();

    public EngineHarness Engine { get; } = new();

    public InMemoryStorage Storage { get; } = new();

    public BackgroundJobClient Client { get; }

    public BatchStore Store { get; }

    public BatchJobQueue Queue { get; }

    public RunningItems Running { get; } = new();

    public BatchEvents Events { get; } = new();

    public BatchOptions Options { get; }

    public BatchService Service { get; }

    public BatchItemProcessor Processor { get; }

    public BatchMetrics Metrics { get; }

    public Guid Owner { get; } = Guid.NewGuid();

    public BatchItemJob NewJob() => new(Store, Running, Processor, Events, Metrics, NullLogger<BatchItemJob>.Instance);

    public Task RunAsync(Guid itemId, CancellationToken cancellationToken = default) => NewJob().RunAsync(itemId, cancellationToken);

    public BatchRecord Create(string prompt, params BatchInput[] inputs) => Create(new BatchRequest(prompt, new BatchGenerationSettings { MaxNewTokens = 64 }), inputs);

    public BatchRecord Create(BatchRequest request, params BatchInput[] inputs) => Service.Create(Owner, request, inputs);

    public IReadOnlyList<BatchItemRecord> Items(BatchRecord batch) => Store.Items(Owner, batch.Id);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Storage.Dispose();
        Db.Dispose();
        await _metricsServices.DisposeAsync();
    }
}
