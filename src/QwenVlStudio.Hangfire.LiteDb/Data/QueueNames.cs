using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>The names of all queues ever used, for the dashboard's queue list and count.</summary>
internal static class QueueNames
{
    public static void Remember(WriteSession session, string queue)
    {
        if (session.Collections.Queues.FindById(queue) is null)
        {
            session.Collections.Queues.Insert(new BsonDocument { [Schema.Id] = queue });
        }
    }

    public static List<string> All(Collections collections) =>
        collections.Queues.FindAll().Select(static document => document[Schema.Id].AsString).ToList();
}
