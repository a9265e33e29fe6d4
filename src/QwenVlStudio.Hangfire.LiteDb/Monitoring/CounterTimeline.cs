using System.Globalization;
using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Monitoring;

/// <summary>
/// The dashboard's graphs: Hangfire's state filters count finished jobs into "stats:{type}:{yyyy-MM-dd}" and
/// "stats:{type}:{yyyy-MM-dd-HH}" counters; these read the last 7 days and the last 24 hours of them.
/// </summary>
internal static class CounterTimeline
{
    public static IDictionary<DateTime, long> Daily(Collections collections, DateTime now, string type)
    {
        var result = new Dictionary<DateTime, long>();
        for (var day = 0; day < 7; day++)
        {
            var date = now.Date.AddDays(-day);
            var key = $"stats:{type}:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            result.Add(date, CounterStore.Get(collections, key));
        }

        return result;
    }

    public static IDictionary<DateTime, long> Hourly(Collections collections, DateTime now, string type)
    {
        var result = new Dictionary<DateTime, long>();
        for (var hour = 0; hour < 24; hour++)
        {
            var time = now.AddHours(-hour);
            var key = $"stats:{type}:{time.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture)}";
            result.Add(time, CounterStore.Get(collections, key));
        }

        return result;
    }
}
