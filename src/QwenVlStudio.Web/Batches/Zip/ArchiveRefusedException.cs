namespace QwenVlStudio.Web.Batches.Zip;

/// <summary>The archive as a whole cannot be used (not a zip, too many entries, too large); the message says why.</summary>
public sealed class ArchiveRefusedException(string message, Exception? inner = null) : Exception(message, inner);
