using LiteDB;
using QwenVlStudio.Web.Batches;

namespace QwenVlStudio.Web.Data;

/// <summary>
/// The process's one LiteDB file. LiteDatabase is thread-safe, so a single instance is shared by all stores.
/// </summary>
/// <remarks>
/// Opening checks the file first (<see cref="DataFileCheck"/>) and throws <see cref="DataFileException"/> rather than
/// use an empty, damaged or log-less file. An "open" marker is checkpointed into the data file while the process
/// uses it and cleared on a clean close: a data file that says "open" but has no log beside it was copied from a
/// running app without its log, and is refused.
/// </remarks>
public sealed class StudioDatabase : IDisposable
{
    private const string StateId = "state";

    public StudioDatabase(string filePath, bool acceptMissingLog = false)
    {
        var folder = System.IO.Path.GetDirectoryName(filePath);
        if (!string.IsNullOrEmpty(folder))
            Hosting.PrivateFiles.CreateFolder(folder);
        FilePath = filePath;
        var logFile = LogFilePath(filePath);
        DataFileCheck.BeforeOpen(filePath, logFile);
        bool existed = File.Exists(filePath), logExisted = File.Exists(logFile);
        // LiteDB's default mapper trims strings and stores "" as null: answers must come back exactly as generated
        // (their whitespace is part of the next turn's prompt), so both are turned off.
        var mapper = new BsonMapper { TrimWhitespace = false, EmptyStringToNull = false };
        try
        {
            Database = new LiteDatabase(new ConnectionString { Filename = filePath, Connection = ConnectionType.Direct }, mapper);
            ReadEveryCollection();
        }
        catch (Exception e) when (e is LiteException or InvalidCastException or IndexOutOfRangeException or ArgumentException or InvalidOperationException or IOException and not FileNotFoundException)
        {
            Database?.Dispose();
            throw DataFileCheck.Damaged(filePath, e);
        }
        if (existed && !logExisted && State.FindById(StateId)?["open"] == true && !acceptMissingLog)
        {
            Database.Dispose();
            throw DataFileCheck.MissingLog(filePath, logFile);
        }
        SetOpen(true);
        Users.EnsureIndex(u => u.NormalizedUserName, unique: true);
        Conversations.EnsureIndex(c => c.OwnerId);
        Messages.EnsureIndex(m => m.ConversationId);
        Images.EnsureIndex(i => i.OwnerId);
        Batches.EnsureIndex(b => b.OwnerId);
        BatchItems.EnsureIndex(i => i.BatchId);
        // Password hashes, conversations and images: this user only, also for files made 0644 by an older version.
        Hosting.PrivateFiles.Restrict(filePath);
        Hosting.PrivateFiles.Restrict(LogFilePath(filePath));
    }

    /// <summary>LiteDB's write-ahead log beside the data file (<c>name-log.ext</c>).</summary>
    public static string LogFilePath(string filePath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(filePath) ?? "",
            System.IO.Path.GetFileNameWithoutExtension(filePath) + "-log" + System.IO.Path.GetExtension(filePath));

    public string FilePath { get; }

    public LiteDatabase Database { get; }

    public ILiteCollection<UserRecord> Users => Database.GetCollection<UserRecord>("users");

    public ILiteCollection<ConversationRecord> Conversations => Database.GetCollection<ConversationRecord>("conversations");

    public ILiteCollection<MessageRecord> Messages => Database.GetCollection<MessageRecord>("messages");

    public ILiteCollection<ImageRecord> Images => Database.GetCollection<ImageRecord>("images");

    public ILiteCollection<BatchRecord> Batches => Database.GetCollection<BatchRecord>("batches");

    public ILiteCollection<BatchItemRecord> BatchItems => Database.GetCollection<BatchItemRecord>("batch_items");

    public ILiteStorage<string> Files => Database.FileStorage;

    private ILiteCollection<BsonDocument> State => Database.GetCollection("studio_state");

    public void Dispose()
    {
        SetOpen(false);
        Database.Dispose();
    }

    /// <summary>
    /// Records whether a process has the file open. "Open" is checkpointed into the data file at once (so a copy of
    /// the data file alone carries it) and then written once more, so the log holds a page for as long as the
    /// process runs.
    /// </summary>
    private void SetOpen(bool open)
    {
        State.Upsert(new BsonDocument { ["_id"] = StateId, ["open"] = open });
        if (!open)
            return;
        Database.Checkpoint();
        State.Upsert(new BsonDocument { ["_id"] = StateId, ["open"] = true, ["openedUtc"] = DateTime.UtcNow });
    }

    /// <summary>Counts every collection (index pages) and reads the users, so a damaged file fails now, not at sign-in.</summary>
    private void ReadEveryCollection()
    {
        foreach (var name in Database.GetCollectionNames())
            _ = Database.GetCollection(name).Count();
        _ = Users.FindAll().Count();
    }
}
