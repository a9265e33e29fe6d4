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
        Assert.Equal(new EngineBuildSettings(2, 3), ctx.Harness.Factory.Latest!.Settings);
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

        using var slot = await ctx.Harness.Engine.Scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        cut.WaitForAssertion(() => Assert.Contains("1 of 2 sequences running", cut.Find("[data-testid=settings-scheduler]").TextContent));
    }
}
