namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>The id sequences of the collections whose ids the storage assigns itself.</summary>
internal sealed class StorageSequences(Collections collections)
{
    public IdSequence Jobs { get; } = IdSequence.After(collections.Jobs);
    public IdSequence Queue { get; } = IdSequence.After(collections.Queue);
    public IdSequence Sets { get; } = IdSequence.After(collections.Sets);
    public IdSequence Lists { get; } = IdSequence.After(collections.Lists);
}
