using LiteDB;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>UTC times stored as Int64 ticks, null where there is no time.</summary>
internal static class Ticks
{
    public static BsonValue From(DateTime? utc) => utc is { } value ? new BsonValue(ToUtc(value).Ticks) : BsonValue.Null;

    public static DateTime? ToNullableUtc(BsonValue value) =>
        value.IsNull ? null : new DateTime(value.AsInt64, DateTimeKind.Utc);

    public static DateTime ToUtc(BsonValue value) => new(value.AsInt64, DateTimeKind.Utc);

    /// <summary>Lower bound of a range over stored times (null times sort below every number and stay out).</summary>
    public static BsonValue Earliest => new(0L);

    private static DateTime ToUtc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
}
