using LiteDB;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>
/// Name/value pairs (job parameters, state data, hash fields) stored as an array of {n, v} documents rather than
/// as document fields: Hangfire allows any string as a name, and LiteDB field names cannot hold every string.
/// </summary>
internal static class BsonPairs
{
    private const string NameField = "n";
    private const string ValueField = "v";

    public static BsonArray ToArray(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        var array = new BsonArray();
        foreach (var pair in pairs) array.Add(Pair(pair.Key, pair.Value));
        return array;
    }

    public static BsonDocument Pair(string name, string? value) =>
        new() { [NameField] = name, [ValueField] = value is null ? BsonValue.Null : new BsonValue(value) };

    public static string NameOf(BsonValue pair) => pair[NameField].AsString;

    public static string? ValueOf(BsonValue pair) => pair[ValueField].IsNull ? null : pair[ValueField].AsString;

    /// <summary>Value of the first pair named <paramref name="name"/> (ordinal), or null.</summary>
    public static string? Find(BsonArray? array, string name)
    {
        if (array is null) return null;
        foreach (var pair in array)
        {
            if (string.Equals(NameOf(pair), name, StringComparison.Ordinal)) return ValueOf(pair);
        }

        return null;
    }

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>, replacing an existing pair of that name.</summary>
    public static void Set(BsonArray array, string name, string? value)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (string.Equals(NameOf(array[i]), name, StringComparison.Ordinal))
            {
                array[i] = Pair(name, value);
                return;
            }
        }

        array.Add(Pair(name, value));
    }

    public static Dictionary<string, string?> ToDictionary(BsonArray? array)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (array is null) return result;
        foreach (var pair in array) result[NameOf(pair)] = ValueOf(pair);
        return result;
    }

    /// <summary>
    /// Like <see cref="ToDictionary"/>, typed as Hangfire's hash API wants it; a null that was stored comes back null.
    /// </summary>
    public static Dictionary<string, string> ToStringDictionary(BsonArray? array)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (array is null) return result;
        foreach (var pair in array) result[NameOf(pair)] = ValueOf(pair)!;
        return result;
    }
}
