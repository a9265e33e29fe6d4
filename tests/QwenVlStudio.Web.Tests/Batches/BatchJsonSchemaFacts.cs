using System.Text;
using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Export;
using QwenVlStudio.Web.Batches.Jobs;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Batches;

/// <summary>
/// Per-batch JSON schemas: refused when unusable, enforced on the real tiny model (random weights, so only the
/// constraint makes the answers valid; JsonSchema.Net judges), flattened into CSV columns and kept as objects in JSON Lines.
/// </summary>
public sealed class BatchJsonSchemaFacts : IAsyncLifetime
{
    private readonly BatchHarness _harness = new();

    public Task InitializeAsync() => _harness.Engine.LoadAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private BatchRecord Create(string? schema, BatchOutputFormat format = BatchOutputFormat.Json) =>
        _harness.Service.Create(_harness.Owner, new BatchRequest("What is it?", new BatchGenerationSettings(), OutputFormat: format, JsonSchema: schema),
            [BatchInput.FromBytes("a.png", TestImages.Png())]);

    [Fact]
    public void Create_RefusesASchemaWithAnUnsupportedKeyword_NamingIt()
    {
        var e = Assert.Throws<BatchValidationException>(() => Create("""{"type": "object", "properties": {"n": {"type": "number", "multipleOf": 2}}}"""));
        Assert.Contains("'multipleOf'", e.Message);
        Assert.Contains("#/properties/n", e.Message);
    }

    [Theory]
    [InlineData("{\"type\": ")]
    [InlineData("""{"enum": []}""")]
    public void Create_RefusesASchemaThatIsNotJsonOrAllowsNothing(string schema) => Assert.Throws<BatchValidationException>(() => Create(schema));

    [Fact]
    public void Create_RefusesASchemaForAFreeTextBatch() =>
        Assert.Contains("JSON answer format", Assert.Throws<BatchValidationException>(() => Create("""{"type": "string"}""", BatchOutputFormat.Text)).Message);

    [Fact]
    public void Create_StoresTheSchema()
    {
        var batch = Create(BatchSchemaPresets.All[0].Schema);
        Assert.Equal(BatchSchemaPresets.All[0].Schema.Trim(), _harness.Store.Find(_harness.Owner, batch.Id)!.JsonSchema);
    }

    [Fact]
    public void Presets_AreAllUsableSchemas() => Assert.All(BatchSchemaPresets.All, p => Assert.Null(BatchJsonConstraints.Problem(p.Schema)));

    [Fact]
    public async Task Export_FlattensTopLevelFieldsIntoCsvColumns_AndJsonLinesKeepTheObject()
    {
        var batch = new BatchRecord { Id = Guid.NewGuid(), Name = "b", Prompt = "p", OutputFormat = BatchOutputFormat.Json, JsonSchema = BatchSchemaPresets.All[1].Schema };
        BatchItemRecord[] items =
        [
            new() { Index = 0, FileName = "a.png", Status = BatchItemStatus.Done, Answer = """{"tags": ["cat", "sofa"]}""" },
            new() { Index = 1, FileName = "b.png", Status = BatchItemStatus.Failed, Error = "bad image" },
        ];

        using var csv = new MemoryStream();
        await BatchExport.WriteCsvAsync(csv, batch, items, CancellationToken.None);
        using var jsonl = new MemoryStream();
        await BatchExport.WriteJsonLinesAsync(jsonl, batch, items, CancellationToken.None);

        var lines = Encoding.UTF8.GetString(csv.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",answer.tags", lines[0]);
        Assert.EndsWith(",\"[\"\"cat\"\", \"\"sofa\"\"]\"", lines[1]);
        Assert.EndsWith(",", lines[2]);
        var first = JsonDocument.Parse(Encoding.UTF8.GetString(jsonl.ToArray()).Split('\n')[0]).RootElement;
        Assert.Equal("sofa", first.GetProperty("answer_json").GetProperty("tags")[1].GetString());
    }

    [Fact]
    public async Task Items_OnTheRealTinyModel_AnswerJsonThatValidatesAgainstEachPreset()
    {
        await using var real = new RealEngine();
        var processor = new BatchItemProcessor(real.Engine, real.Governor, TimeProvider.System);
        foreach (var preset in BatchSchemaPresets.All)
        {
            var batch = new BatchRecord
            {
                Id = Guid.NewGuid(), OwnerId = _harness.Owner, Prompt = preset.Prompt, OutputFormat = BatchOutputFormat.Json, JsonSchema = preset.Schema,
                Settings = new BatchGenerationSettings { MaxNewTokens = 1500, DoSample = true },
            };
            var outcome = await processor.ProcessAsync(batch, new BatchItemRecord { FileName = "a.png" }, TestImages.Png(), CancellationToken.None);

            Assert.True(outcome.Status == BatchItemStatus.Done, $"{preset.Name}: {outcome.Error}");
            using var answer = JsonDocument.Parse(outcome.Answer!);
            Assert.True(JsonSchema.FromText(preset.Schema).Evaluate(answer.RootElement).IsValid, $"{preset.Name}: {outcome.Answer}");
        }
    }

    /// <summary>The engine service over the real embedded tiny model.</summary>
    private sealed class RealEngine : IAsyncDisposable
    {
        public RealEngine()
        {
            var settings = new GovernorSettings { VisionThreads = 1, DecoderThreads = 1, MaxConcurrentSequences = 1, MaxQueueLength = 4 };
            Engine = new EngineService(new OnnxEngineFactory(), Path.Combine(TestPaths.RepoRoot, "models", "qwen3-vl-tiny"),
                NullLogger<EngineService>.Instance);
            Governor = new EngineGovernor(Engine, new InMemoryGovernorSettingsStore(), new GovernorDefaults(settings, settings), NullLogger<EngineGovernor>.Instance);
            Engine.LoadAsync(Governor.Current.ToEngineOptions(), CancellationToken.None).GetAwaiter().GetResult();
        }

        public EngineService Engine { get; }

        public EngineGovernor Governor { get; }

        public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
    }
}
