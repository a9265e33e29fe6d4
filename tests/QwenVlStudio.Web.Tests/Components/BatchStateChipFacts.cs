using Bunit;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Components.Batch;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

/// <summary>Issue 14, group 7: a batch whose items failed is not a green "Completed".</summary>
public sealed class BatchStateChipFacts
{
    private static BatchProgress Progress(int total, int done, int failed, int cancelled, BatchState state) =>
        new(total, done, failed, cancelled, 0, 0, state, 0, null);

    [Theory]
    [InlineData(5, 5, 0, 0, BatchState.Completed, "Completed", "Completed")]
    [InlineData(5, 3, 2, 0, BatchState.Completed, "CompletedWithFailures", "Completed with failures (2 of 5)")]
    [InlineData(5, 0, 5, 0, BatchState.Completed, "Failed", "Failed: every item")]
    [InlineData(5, 2, 0, 3, BatchState.Cancelled, "Cancelled", "Cancelled")]
    public async Task Chip_NamesTheOutcome(int total, int done, int failed, int cancelled, BatchState state, string outcome, string label)
    {
        await using var ctx = new StudioBunitContext();
        var cut = ctx.Render<BatchStateChip>(p => p.Add(c => c.Progress, Progress(total, done, failed, cancelled, state)));

        var chip = cut.Find("[data-testid=batch-status]");
        Assert.Equal(outcome, chip.GetAttribute("data-outcome"));
        Assert.Equal(state.ToString(), chip.GetAttribute("data-state"));
        Assert.Equal(label, chip.TextContent.Trim());
    }
}
