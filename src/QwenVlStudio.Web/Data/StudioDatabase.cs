using LiteDB;
using QwenVlStudio.Web.Batches;

namespace QwenVlStudio.Web.Data;

/// <summary>
/// The process's one LiteDB file. LiteDatabase is thread-safe, so a single instance is shared by all stores.
/// </summary>
public sealed class StudioDatabase : IDisposable
{
    public StudioDatabase(string filePath)
    {
        var folder = System.IO.Path.GetDirectoryName(filePath);
        if (!string.IsNullOrEmpty(folder))
            Hosting.PrivateFiles.CreateFolder(folder);
        FilePath = filePath;
        // LiteDB's default mapper trims strings and stores "" as null: answers must come back exactly as generated
        // (their whitespace is part of the next turn's prompt), so both are turned off.
        var mapper = new BsonMapper { TrimWhitespace = false, EmptyStringToNull = false };
        Database = new LiteDatabase(new ConnectionString { Filename = filePath, Connection = ConnectionType.Direct }, mapper);
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

    public void Dispose() => Database.Dispose();
}
