namespace QwenVlStudio.Inference;

/// <summary>Base of every error the engine reports to callers with a message meant for the user.</summary>
public class QwenVlException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A model package is missing a file, has an inconsistent config, or a graph breaks the I/O contract.</summary>
public sealed class ModelPackageException(string message, Exception? inner = null) : QwenVlException(message, inner);

/// <summary>An image was refused: empty, truncated, not an image, unsupported format, or too many pixels.</summary>
public sealed class ImageRejectedException(string message, Exception? inner = null) : QwenVlException(message, inner);

/// <summary>The prompt (text plus image tokens) does not fit the context, or the request is otherwise malformed.</summary>
public sealed class InvalidPromptException(string message) : QwenVlException(message);
