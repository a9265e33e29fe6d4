using System.Security.Cryptography;
using System.Text;
using LiteDB;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Api;

/// <summary>Creates, lists, revokes and checks API keys. Keys are random (192 bits) and stored hashed.</summary>
public sealed class ApiKeyStore
{
    public const string KeyPrefix = "qvs-";
    private readonly ILiteCollection<ApiKeyRecord> _keys;
    private readonly TimeProvider _clock;

    public ApiKeyStore(StudioDatabase db, TimeProvider clock)
    {
        _keys = db.Database.GetCollection<ApiKeyRecord>("api_keys");
        _keys.EnsureIndex(k => k.Hash, unique: true);
        _keys.EnsureIndex(k => k.OwnerId);
        _clock = clock;
    }

    /// <summary>Makes a key for <paramref name="ownerId"/>; the returned text is the only copy of the key.</summary>
    public (ApiKeyRecord Record, string Key) Create(Guid ownerId, string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 80) throw new ArgumentException("A key needs a name of 1 to 80 characters.", nameof(name));
        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var record = new ApiKeyRecord
        {
            Id = Guid.NewGuid(),
            OwnerId = ownerId,
            Name = name,
            Hash = Hash(key),
            Prefix = key[..(KeyPrefix.Length + 4)],
            CreatedUtc = _clock.GetUtcNow().UtcDateTime,
        };
        _keys.Insert(record);
        return (record, key);
    }

    public IReadOnlyList<ApiKeyRecord> List(Guid ownerId) =>
        _keys.Find(k => k.OwnerId == ownerId).OrderByDescending(k => k.CreatedUtc).ToList();

    /// <summary>Revokes one of the owner's keys; false when it is not theirs or does not exist.</summary>
    public bool Revoke(Guid ownerId, Guid keyId)
    {
        var record = _keys.FindById(keyId);
        if (record is null || record.OwnerId != ownerId || record.RevokedUtc is not null) return false;
        record.RevokedUtc = _clock.GetUtcNow().UtcDateTime;
        return _keys.Update(record);
    }

    /// <summary>The active key record matching <paramref name="key"/>, or null.</summary>
    public ApiKeyRecord? Find(string key)
    {
        var hash = Hash(key);
        var record = _keys.FindOne(k => k.Hash == hash);
        return record is { RevokedUtc: null } ? record : null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
