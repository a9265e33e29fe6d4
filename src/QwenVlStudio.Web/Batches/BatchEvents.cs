namespace QwenVlStudio.Web.Batches;

/// <summary>In-process news of batches: raised after any item or batch changed, so open pages refresh at once.</summary>
public sealed class BatchEvents
{
    /// <summary>(batch id, owner id). Raised on the thread that made the change; handlers must be quick.</summary>
    public event Action<Guid, Guid>? Changed;

    public void Raise(Guid batchId, Guid ownerId) => Changed?.Invoke(batchId, ownerId);
}
