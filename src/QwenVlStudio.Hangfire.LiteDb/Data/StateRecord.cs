using Hangfire.States;
using LiteDB;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>One state of a job, as stored in its current state and its history.</summary>
internal sealed record StateRecord(string Name, string? Reason, DateTime CreatedAt, KeyValuePair<string, string?>[] Data)
{
    private const string NameField = "n";
    private const string ReasonField = "r";
    private const string CreatedAtField = "ca";
    private const string DataField = "d";

    /// <summary>
    /// Reads the state on the caller's thread: <see cref="IState"/> is user code and may throw, which must happen
    /// before the write is queued, never on the writer thread.
    /// </summary>
    public static (string Name, string? Reason, KeyValuePair<string, string?>[] Data) Capture(IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var name = state.Name ?? throw new ArgumentException("The state's Name must not be null.", nameof(state));
        var data = state.SerializeData()?
            .Select(static pair => new KeyValuePair<string, string?>(pair.Key, pair.Value))
            .ToArray() ?? [];
        return (name, state.Reason, data);
    }

    public BsonDocument ToBson() => new()
    {
        [NameField] = Name,
        [ReasonField] = Reason is null ? BsonValue.Null : new BsonValue(Reason),
        [CreatedAtField] = Ticks.From(CreatedAt),
        [DataField] = BsonPairs.ToArray(Data),
    };

    public static StateRecord FromBson(BsonDocument document) => new(
        document[NameField].AsString,
        document[ReasonField].IsNull ? null : document[ReasonField].AsString,
        Ticks.ToUtc(document[CreatedAtField]),
        BsonPairs.ToDictionary(document[DataField].AsArray).ToArray());

    public Dictionary<string, string> DataAsDictionary() =>
        Data.ToDictionary(static pair => pair.Key, static pair => pair.Value!, StringComparer.Ordinal);
}
