using LiteDB;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Data;

/// <summary>The admin's governor settings, one document in the "settings" collection.</summary>
public sealed class LiteDbGovernorSettingsStore(StudioDatabase db) : IGovernorSettingsStore
{
    private const string DocumentId = "governor";

    private ILiteCollection<BsonDocument> Settings => db.Database.GetCollection("settings");

    public GovernorSettings? Load()
    {
        var document = Settings.FindById(DocumentId);
        return document is null ? null : db.Database.Mapper.ToObject<GovernorSettings>(document);
    }

    public void Save(GovernorSettings settings)
    {
        var document = db.Database.Mapper.ToDocument(settings);
        document["_id"] = DocumentId;
        Settings.Upsert(document);
    }
}
