using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Grounding;
using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Web.Batches;

/// <summary>The boxes of a batch item's JSON answer (objects with bbox_2d), drawn on its upright image.</summary>
public static class BatchGrounding
{
    /// <summary>The PNG with the boxes, or null when the item has no answer with boxes (or its image no longer decodes).</summary>
    public static byte[]? Draw(BatchItemRecord item, byte[] image)
    {
        if (item.Status != BatchItemStatus.Done || string.IsNullOrEmpty(item.Answer)) return null;
        try
        {
            var decoder = new ImageDecoder(new ImagePreprocessorOptions());
            var header = decoder.ReadHeader(image);
            var objects = GroundingBoxes.Parse(item.Answer, header.Width, header.Height);
            return objects.Count == 0 ? null : GroundingOverlay.DrawPng(image, objects);
        }
        catch (Exception e) when (e is JsonException or ImageRejectedException)
        {
            return null; // a text answer, or an image that stopped decoding: nothing to draw
        }
    }
}
