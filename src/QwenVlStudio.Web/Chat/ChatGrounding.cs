using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Grounding;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Chat;

/// <summary>
/// The chat's "find objects" mode: answers constrained to Qwen3-VL's box format (labels with bbox_2d on the 0–1000
/// grid), and those boxes drawn on the image of the question they answer.
/// </summary>
public static class ChatGrounding
{
    private static readonly Lazy<JsonConstraint> BoxesConstraint = new(() => JsonConstraint.FromSchema(GroundingBoxes.Schema));

    /// <summary>The constraint of <see cref="GroundingBoxes.Schema"/> (compiled once).</summary>
    public static JsonConstraint Constraint => BoxesConstraint.Value;

    /// <summary>Whether an answer holds boxes (parsed on the 0–1000 grid, so no image is needed to tell).</summary>
    public static bool HasBoxes(string answer)
    {
        if (string.IsNullOrWhiteSpace(answer) || answer.TrimStart()[0] != '{') return false;
        try
        {
            return GroundingBoxes.Parse(answer, 1000, 1000).Count > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The PNG of the last image of the user turn before <paramref name="answer"/> with its boxes drawn, or null when
    /// the answer has no boxes or that turn no image.
    /// </summary>
    public static byte[]? Draw(IReadOnlyList<MessageRecord> messages, MessageRecord answer, Func<string, byte[]?> readImage)
    {
        if (answer.Role != ChatRole.Assistant || !HasBoxes(answer.Text)) return null;
        var question = messages.Where(m => m.Index < answer.Index && m.Role == ChatRole.User).MaxBy(m => m.Index);
        if (question is not { ImageIds.Count: > 0 } || readImage(question.ImageIds[^1]) is not { } image) return null;
        try
        {
            var header = new ImageDecoder(new ImagePreprocessorOptions()).ReadHeader(image);
            return GroundingOverlay.DrawPng(image, GroundingBoxes.Parse(answer.Text, header.Width, header.Height));
        }
        catch (ImageRejectedException)
        {
            return null; // an image that stopped decoding: nothing to draw
        }
    }
}
