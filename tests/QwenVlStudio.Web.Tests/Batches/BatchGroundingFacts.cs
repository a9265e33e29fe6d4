using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Web.Tests.Batches;

/// <summary>The boxes of a batch item's answer drawn on its image (the item view's "Boxes on the image").</summary>
public sealed class BatchGroundingFacts
{
    [Fact]
    public void Draw_PutsTheAnswersBoxesOnTheImage()
    {
        var item = new BatchItemRecord { Status = BatchItemStatus.Done, Answer = """{"objects": [{"label": "thing", "bbox_2d": [0, 0, 1000, 1000]}]}""" };

        using var drawn = Image.Load<Rgba32>(BatchGrounding.Draw(item, TestImages.Png(64, 48)));
        using var original = Image.Load<Rgba32>(TestImages.Png(64, 48));

        Assert.Equal((64, 48), (drawn.Width, drawn.Height));
        Assert.NotEqual(original[0, 24], drawn[0, 24]); // the left edge of the box
    }

    [Theory]
    [InlineData("A cat on a sofa.")]
    [InlineData("""{"caption": "a cat"}""")]
    public void Draw_GivesNothing_WhenTheAnswerHasNoBoxes(string answer) =>
        Assert.Null(BatchGrounding.Draw(new BatchItemRecord { Status = BatchItemStatus.Done, Answer = answer }, TestImages.Png(64, 48)));
}
