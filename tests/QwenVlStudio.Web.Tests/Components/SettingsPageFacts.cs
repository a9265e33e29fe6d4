using Bunit;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

public sealed class SettingsPageFacts
{
    [Fact]
    public async Task Save_ShowsClearMessageAndChangesNothing_WhenThreadsAreOutOfRange()
    {
        await using var ctx = new StudioBunitContext(role: Roles.Admin);
        await ctx.Harness.LoadAsync();
        var before = ctx.Harness.Governor.Current;
        var cut = ctx.Render<SettingsPage>();

        cut.Find("[data-testid=settings-threads-decoder]").Change("0");
        cut.Find("[data-testid=settings-max-sequences]").Change("500");
        await cut.Find("[data-testid=settings-save] ").ClickAsync(new());

        var errors = cut.Find("[data-testid=settings-errors]").TextContent;
        Assert.Contains("Decoder threads must be between 1 and 64", errors);
        Assert.Contains("Concurrent sequences must be between 1 and 64", errors);
        Assert.Same(before, ctx.Harness.Governor.Current);
        Assert.Single(ctx.Harness.Factory.Created);
    }

    [Fact]
    public async Task Save_RebuildsEngineWithNewDecoderThreads_WhenValid()
    {
        await using var ctx = new StudioBunitContext(role: Roles.Admin);
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<SettingsPage>();

        cut.Find("[data-testid=settings-threads-decoder]").Change("3");
        cut.Find("[data-testid=settings-threads-vision]").Change("2");
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForElement("[data-testid=settings-saved]");
        Assert.Equal((2, 3), (ctx.Harness.Factory.Latest!.Settings.VisionThreads, ctx.Harness.Factory.Latest!.Settings.DecoderThreads));
        Assert.Equal(3, ctx.Harness.Store.Saved!.DecoderThreads);
        Assert.Equal(EngineState.Ready, ctx.Harness.Engine.Status.State);
    }

    [Fact]
    public async Task Page_ShowsCurrentValues_AndLiveSchedulerFigures()
    {
        var settings = new GovernorSettings { VisionThreads = 2, DecoderThreads = 3, MaxConcurrentSequences = 2, MaxQueueLength = 5 };
        await using var ctx = new StudioBunitContext(settings, Roles.Admin);
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<SettingsPage>();

        Assert.Equal("3", cut.Find("[data-testid=settings-threads-decoder]").GetAttribute("value"));
        Assert.Equal("2", cut.Find("[data-testid=settings-max-sequences]").GetAttribute("value"));
        Assert.Contains("0 of 2 sequences running", cut.Find("[data-testid=settings-scheduler]").TextContent);

        await using var running = ctx.Harness.Start();
        Assert.True(await running.StartedAsync());
        cut.WaitForAssertion(() => Assert.Contains("1 of 2 sequences running", cut.Find("[data-testid=settings-scheduler]").TextContent));
    }

    [Fact]
    public async Task Page_ShowsCacheSizesAndHitRates_FromTheEngine()
    {
        await using var ctx = new StudioBunitContext(role: Roles.Admin);
        ctx.Harness.Behavior.Statistics = new Inference.Caching.EngineStatistics(
            new Inference.Caching.CacheStats(Hits: 3, Misses: 1, Evictions: 0, Entries: 2, Bytes: 8L << 20, CapacityBytes: 256L << 20),
            new Inference.Caching.CacheStats(Hits: 1, Misses: 3, Evictions: 2, Entries: 1, Bytes: 3L << 20, CapacityBytes: 1024L << 20),
            ReusedPromptTokens: 270, MaxBatchSize: 4, BatchSteps: 10, BatchRows: 25);
        await ctx.Harness.LoadAsync();

        var cut = ctx.Render<SettingsPage>();

        var vision = cut.Find("[data-testid=settings-vision-cache-stats]").TextContent;
        Assert.Contains("2 image(s), 8.0 MB of 256.0 MB", vision);
        Assert.Contains("hit rate 75", vision);
        var prefix = cut.Find("[data-testid=settings-prefix-cache-stats]").TextContent;
        Assert.Contains("1 sequence(s), 3.0 MB of 1024.0 MB", prefix);
        Assert.Contains("hit rate 25", prefix);
        Assert.Contains("270 prompt tokens reused", prefix);
        Assert.Contains("mean 2.50 over 10 calls", cut.Find("[data-testid=settings-batching-stats]").TextContent);
        Assert.Equal("256", cut.Find("[data-testid=settings-vision-cache]").GetAttribute("value"));
    }

    [Fact]
    public async Task ResetToDefaults_AsksFirst_ThenAppliesAndSavesTheDefaults()
    {
        await using var ctx = new StudioBunitContext(role: Roles.Admin);
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<SettingsPage>();
        cut.Find("[data-testid=settings-threads-decoder]").Change("3");
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());
        cut.WaitForElement("[data-testid=settings-saved]");
        Assert.Equal(3, ctx.Harness.Store.Saved!.DecoderThreads);

        await cut.Find("[data-testid=settings-reset]").ClickAsync(new());
        Assert.Contains("apply them now", cut.Find("[data-testid=settings-reset-question]").TextContent);
        Assert.Equal(3, ctx.Harness.Store.Saved!.DecoderThreads); // asking changes nothing
        await cut.Find("[data-testid=settings-reset-cancel]").ClickAsync(new());
        Assert.Equal(3, ctx.Harness.Store.Saved!.DecoderThreads);

        await cut.Find("[data-testid=settings-reset]").ClickAsync(new());
        await cut.Find("[data-testid=settings-reset-confirm]").ClickAsync(new());

        cut.WaitForElement("[data-testid=settings-saved]");
        Assert.Equal(ctx.Harness.Governor.Defaults, ctx.Harness.Store.Saved);
        Assert.Equal(ctx.Harness.Governor.Defaults, ctx.Harness.Governor.Current);
    }
}
