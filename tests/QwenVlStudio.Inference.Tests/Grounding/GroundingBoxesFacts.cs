using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Grounding;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Tests.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Inference.Tests.Grounding;

/// <summary>Qwen3-VL boxes (0–1000 grid) rescaled to the upright original image, against hand-computed cases.</summary>
public class GroundingBoxesFacts
{
    [Fact]
    public void ToPixels_ScalesTheGridToTheImage_WhateverSizeTheModelSaw()
    {
        // 640×480: x × 0.64, y × 0.48.
        Assert.Equal(new PixelBox(64, 96, 320, 360), GroundingBoxes.ToPixels([100, 200, 500, 750], 640, 480));
        // 1000×1000 is the identity; corners given the other way round are put in order.
        Assert.Equal(new PixelBox(10, 20, 30, 40), GroundingBoxes.ToPixels([30, 40, 10, 20], 1000, 1000));
        // Off-grid values are clamped to the image.
        Assert.Equal(new PixelBox(0, 0, 640, 480), GroundingBoxes.ToPixels([-10, 0, 1200, 1000], 640, 480));
    }

    [Fact]
    public void ToPixels_RefusesABoxThatIsNotFourNumbers() =>
        Assert.Throws<ArgumentException>(() => GroundingBoxes.ToPixels([1, 2, 3], 10, 10));

    [Fact]
    public void Parse_ReadsTheSchemaShapeAndTheBareArray_SkippingEntriesWithoutABox()
    {
        var wrapped = GroundingBoxes.Parse("""{"objects": [{"label": "cat", "bbox_2d": [0, 0, 500, 500]}, {"label": "no box"}]}""", 200, 100);
        var bare = GroundingBoxes.Parse("""[{"bbox_2d": [500, 500, 1000, 1000], "label": "dog"}, {"label": "x", "bbox_2d": [1, 2]}]""", 200, 100);

        Assert.Equal([new GroundedObject("cat", new PixelBox(0, 0, 100, 50))], wrapped);
        Assert.Equal([new GroundedObject("dog", new PixelBox(100, 50, 200, 100))], bare);
    }

    [Fact]
    public void Schema_IsAValidConstraint_WithBoxesOnTheGrid()
    {
        var state = ParserState.Start(JsonConstraint.FromSchema(GroundingBoxes.Schema).Root);
        Assert.True(state.Advance("""{"objects":[{"label":"cat","bbox_2d":[0,10,1000,999]}]}"""u8)!.CanFinish);
        Assert.Null(state.Advance("""{"objects":[{"label":"cat","bbox_2d":[1001"""u8));
    }

    [Fact]
    public void Overlay_OnAnExifRotatedImage_DrawsInTheUprightFrame()
    {
        // Stored 40 wide × 20 high, EXIF 6 (rotate 90° clockwise): upright it is 20 × 40, as the model sees it.
        var rgba = Enumerable.Range(0, 40 * 20).SelectMany(_ => new byte[] { 128, 128, 128, 255 }).ToArray();
        var jpeg = TestImageFiles.WithExifOrientation(TestImageFiles.Encode(40, 20, rgba, SupportedImageFormat.Jpeg), 6);
        var header = new ImageDecoder(new ImagePreprocessorOptions()).ReadHeader(jpeg);
        Assert.Equal((20, 40), (header.Width, header.Height));

        var box = GroundingBoxes.Parse("""{"objects": [{"label": "", "bbox_2d": [0, 500, 1000, 1000]}]}""", header.Width, header.Height).Single();
        Assert.Equal(new PixelBox(0, 20, 20, 40), box.Box); // the lower half of the upright image

        using var drawn = Image.Load<Rgba32>(GroundingOverlay.DrawPng(jpeg, [box]));
        Assert.Equal((20, 40), (drawn.Width, drawn.Height));
        var edge = drawn[10, 20]; // on the top edge of the box
        var inside = drawn[10, 30];
        var above = drawn[18, 5]; // above the box, right of its numbered tab (16 pixels wide at this size)
        Assert.True(edge.R > 180 && edge.G < 80, $"box edge {edge}");
        Assert.InRange(inside.R, 110, 146);
        Assert.InRange(above.R, 110, 146);
    }
}
