using Hangfire.Storage;
using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Changes to background jobs, applied on the writer thread. Writes to a job that is gone do nothing.</summary>
internal static class JobWrites
{
    public static void Create(
        WriteSession session, long id, InvocationData invocation, IEnumerable<KeyValuePair<string, string?>> parameters,
        DateTime createdAt, TimeSpan expireIn)
    {
        session.Jobs.Add(JobRecord.NewDocument(id, invocation, parameters, createdAt, session.Now.Add(expireIn)));
    }

    public static void SetParameter(WriteSession session, long id, string name, string? value)
    {
        Update(session, id, document =>
        {
            var parameters = document[Schema.Jobs.Parameters].AsArray;
            BsonPairs.Set(parameters, name, value);
        });
    }

    public static void Expire(WriteSession session, long id, TimeSpan expireIn)
    {
        // As Hangfire.InMemory does: a job told to expire now (or in the past) is removed at once.
        if (expireIn <= TimeSpan.Zero)
        {
            session.Jobs.Delete(id);
            return;
        }

        Update(session, id, document => document[Schema.Jobs.ExpireAt] = Ticks.From(session.Now.Add(expireIn)));
    }

    public static void Persist(WriteSession session, long id) =>
        Update(session, id, static document => document[Schema.Jobs.ExpireAt] = BsonValue.Null);

    public static void SetState(WriteSession session, long id, StateRecord state)
    {
        Update(session, id, document =>
        {
            var history = document[Schema.Jobs.History].AsArray;
            history.Add(state.ToBson());
            document[Schema.Jobs.State] = history.Count - 1;
            document[Schema.Jobs.StateKey] = IndexKeys.StateList(state.Name, state.CreatedAt, id);
            TrimHistory(document, session.Options.MaxStateHistoryLength);
        });
    }

    public static void AddState(WriteSession session, long id, StateRecord state) =>
        Update(session, id, document =>
        {
            document[Schema.Jobs.History].AsArray.Add(state.ToBson());
            TrimHistory(document, session.Options.MaxStateHistoryLength);
        });

    // Drops the oldest states beyond the limit, but never the current one (its position moves down instead).
    private static void TrimHistory(BsonDocument document, int maxLength)
    {
        var history = document[Schema.Jobs.History].AsArray;
        while (history.Count > maxLength)
        {
            var current = document[Schema.Jobs.State].IsNumber ? document[Schema.Jobs.State].AsInt32 : -1;
            var oldest = current == 0 ? 1 : 0;
            history.RemoveAt(oldest);
            if (current > oldest) document[Schema.Jobs.State] = current - 1;
        }
    }

    private static void Update(WriteSession session, long id, Action<BsonDocument> change)
    {
        var document = session.Jobs.Find(id);
        if (document is null) return;
        change(document);
        session.Jobs.Changed(id);
    }
}
