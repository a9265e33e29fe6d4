using Hangfire.Server;
using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Announced Hangfire servers and their heartbeats.</summary>
internal static class ServerStore
{
    public static void Announce(WriteSession session, string serverId, ServerContext context)
    {
        var queues = new BsonArray((context.Queues ?? []).Select(static queue => new BsonValue(queue)));
        session.Collections.Servers.Upsert(new BsonDocument
        {
            [Schema.Id] = serverId,
            [Schema.Servers.Queues] = queues,
            [Schema.Servers.WorkerCount] = context.WorkerCount,
            [Schema.Servers.StartedAt] = Ticks.From(session.Now),
            [Schema.Servers.HeartbeatAt] = Ticks.From(session.Now),
        });
    }

    public static bool Remove(WriteSession session, string serverId) => session.Collections.Servers.Delete(serverId);

    /// <summary>Records a heartbeat; false when the server is not (or no longer) announced.</summary>
    public static bool Heartbeat(WriteSession session, string serverId)
    {
        var document = session.Collections.Servers.FindById(serverId);
        if (document is null) return false;
        document[Schema.Servers.HeartbeatAt] = Ticks.From(session.Now);
        return session.Collections.Servers.Update(document);
    }

    public static int RemoveTimedOut(WriteSession session, TimeSpan timeout)
    {
        var cutoff = session.Now - timeout;
        var timedOut = session.Collections.Servers.FindAll()
            .Where(server => Ticks.ToUtc(server[Schema.Servers.HeartbeatAt]) < cutoff)
            .Select(static server => server[Schema.Id])
            .ToList();
        foreach (var id in timedOut) session.Collections.Servers.Delete(id);
        return timedOut.Count;
    }

    public static IEnumerable<ServerRecord> All(Collections collections) =>
        collections.Servers.FindAll()
            .Select(static server => new ServerRecord(
                server[Schema.Id].AsString,
                server[Schema.Servers.Queues].AsArray.Select(static queue => queue.AsString).ToArray(),
                server[Schema.Servers.WorkerCount].AsInt32,
                Ticks.ToUtc(server[Schema.Servers.StartedAt]),
                Ticks.ToUtc(server[Schema.Servers.HeartbeatAt])))
            .OrderBy(static server => server.Name, StringComparer.Ordinal);

    public static long Count(Collections collections) => collections.Servers.LongCount();
}
