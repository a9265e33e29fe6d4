using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Generation;

public enum ChatRole
{
    System,
    User,
    Assistant,
}

/// <summary>One part of a message: text or an image, in the order the user wrote them.</summary>
public abstract record ChatContent;

public sealed record TextContent(string Text) : ChatContent;

/// <summary>
/// An image in a message: either encoded file bytes (decoded and preprocessed by the engine) or an already
/// preprocessed image (used by tests fed the reference's pixel_values, and by caches).
/// </summary>
public sealed record ImageContent : ChatContent
{
    private ImageContent(byte[]? encoded, PreprocessedImage? preprocessed, string? name)
    {
        Encoded = encoded;
        Preprocessed = preprocessed;
        Name = name;
    }

    public byte[]? Encoded { get; }
    public PreprocessedImage? Preprocessed { get; }
    public string? Name { get; }

    public static ImageContent FromBytes(byte[] encoded, string? name = null) => new(encoded, null, name);

    public static ImageContent FromFile(string path) => new(File.ReadAllBytes(path), null, Path.GetFileName(path));

    public static ImageContent FromPreprocessed(PreprocessedImage image) => new(null, image, null);
}

public sealed record ChatMessage(ChatRole Role, IReadOnlyList<ChatContent> Content)
{
    public static ChatMessage System(string text) => new(ChatRole.System, [new TextContent(text)]);

    public static ChatMessage Assistant(string text) => new(ChatRole.Assistant, [new TextContent(text)]);

    /// <summary>A user turn with its images first, then the text (the order most UIs and the goldens use).</summary>
    public static ChatMessage User(string text, params ImageContent[] images) =>
        new(ChatRole.User, [.. images, new TextContent(text)]);

    public IEnumerable<ImageContent> Images => Content.OfType<ImageContent>();
}
