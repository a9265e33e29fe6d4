using Hangfire.Storage;
using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>A stored background job, read back from its document.</summary>
internal sealed class JobRecord
{
    private const string TypeField = "t";
    private const string MethodField = "m";
    private const string ParameterTypesField = "p";
    private const string ArgumentsField = "a";
    private const string QueueField = "q";

    private readonly BsonDocument _document;

    public JobRecord(BsonDocument document) => _document = document;

    public long Id => _document[Schema.Id].AsInt64;

    public DateTime CreatedAt => Ticks.ToUtc(_document[Schema.Jobs.CreatedAt]);

    public DateTime? ExpireAt => Ticks.ToNullableUtc(_document[Schema.Jobs.ExpireAt]);

    public StateRecord? State =>
        _document[Schema.Jobs.State].IsNumber
            ? StateRecord.FromBson(_document[Schema.Jobs.History].AsArray[_document[Schema.Jobs.State].AsInt32].AsDocument)
            : null;

    /// <summary>States from oldest to newest.</summary>
    public IEnumerable<StateRecord> History =>
        _document[Schema.Jobs.History].IsArray
            ? _document[Schema.Jobs.History].AsArray.Select(static state => StateRecord.FromBson(state.AsDocument))
            : [];

    public Dictionary<string, string?> Parameters => BsonPairs.ToDictionary(ParameterArray);

    public string? GetParameter(string name) => BsonPairs.Find(ParameterArray, name);

    public InvocationData InvocationData
    {
        get
        {
            var invocation = _document[Schema.Jobs.Invocation].AsDocument;
            return new InvocationData(
                invocation[TypeField].AsString,
                invocation[MethodField].AsString,
                invocation[ParameterTypesField].AsString,
                invocation[ArgumentsField].AsString,
                invocation[QueueField].IsNull ? null : invocation[QueueField].AsString);
        }
    }

    private BsonArray? ParameterArray =>
        _document[Schema.Jobs.Parameters].IsArray ? _document[Schema.Jobs.Parameters].AsArray : null;

    public static BsonDocument NewDocument(
        long id, InvocationData invocation, IEnumerable<KeyValuePair<string, string?>> parameters, DateTime createdAt,
        DateTime expireAt) => new()
    {
        [Schema.Id] = id,
        [Schema.Jobs.Invocation] = new BsonDocument
        {
            [TypeField] = invocation.Type,
            [MethodField] = invocation.Method,
            [ParameterTypesField] = invocation.ParameterTypes,
            [ArgumentsField] = invocation.Arguments,
            [QueueField] = invocation.Queue is null ? BsonValue.Null : new BsonValue(invocation.Queue),
        },
        [Schema.Jobs.Parameters] = BsonPairs.ToArray(parameters),
        [Schema.Jobs.CreatedAt] = Ticks.From(createdAt),
        [Schema.Jobs.ExpireAt] = Ticks.From(expireAt),
        [Schema.Jobs.State] = BsonValue.Null,
        [Schema.Jobs.History] = new BsonArray(),
        [Schema.Jobs.StateKey] = BsonValue.Null,
    };
}
