namespace QwenVlStudio.Web.Batches;

/// <summary>The batch as a whole cannot be created (no files, too many, empty or over-long prompt, bad settings).</summary>
public sealed class BatchValidationException(string message, Exception? inner = null) : Exception(message, inner);
