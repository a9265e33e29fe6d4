using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>A LiteDB file of its own for one test, with the stores over it.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase(string? path = null)
    {
        Path = path ?? System.IO.Path.Combine(TestPaths.NewTempFolder(), "studio.db");
        Db = new StudioDatabase(Path);
        Users = new UserStore(Db);
        Conversations = new ConversationStore(Db, TimeProvider.System);
        Images = new ImageStore(Db, TimeProvider.System);
    }

    public string Path { get; }

    public StudioDatabase Db { get; }

    public UserStore Users { get; }

    public ConversationStore Conversations { get; }

    public ImageStore Images { get; }

    public void Dispose() => Db.Dispose();
}
