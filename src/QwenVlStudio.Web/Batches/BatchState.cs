namespace QwenVlStudio.Web.Batches;

/// <summary>A batch's state as people see it, derived from its items and its cancel flag.</summary>
public enum BatchState
{
    /// <summary>Items are waiting and none has started yet.</summary>
    Queued,

    Running,

    /// <summary>Cancel was asked; the items that were running are stopping.</summary>
    Cancelling,

    Cancelled,

    /// <summary>Every item is done or failed.</summary>
    Completed,
}
