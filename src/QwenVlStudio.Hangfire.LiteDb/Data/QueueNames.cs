using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>
/// The names of all queues ever used, for the dashboard's queue list and count. Names already stored are
/// remembered in memory (after their commit), so that enqueueing does not look the name up every time.
/// </summary>
internal sealed class QueueNames
{
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);

    public void Remember(WriteSession session, string queue)
    {
        lock (_stored)
        {
            if (_stored.Contains(queue)) return;
        }

        if (session.Collections.Queues.FindById(queue) is null)
        {
            session.Collections.Queues.Insert(new BsonDocument { [Schema.Id] = queue });
        }

        session.AfterCommit(() =>
        {
            lock (_stored) _stored.Add(queue);
        });
    }

    public static List<string> All(Collections collections) =>
        collections.Queues.FindAll().Select(static document => document[Schema.Id].AsString).ToList();
}
