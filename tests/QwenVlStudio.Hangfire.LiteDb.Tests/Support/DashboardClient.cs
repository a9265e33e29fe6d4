using System.Text.Json;
using System.Text.RegularExpressions;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>Reads the Hangfire dashboard of a test host over HTTP, as a browser and the dashboard's script do.</summary>
public sealed partial class DashboardClient(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/hangfire/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Dashboard metrics (e.g. "succeeded:count") as the live-update script reads them from /stats.</summary>
    public async Task<IReadOnlyDictionary<string, long>> MetricsAsync(params string[] names)
    {
        var form = new FormUrlEncodedContent(names.Select(name => new KeyValuePair<string, string>("metrics[]", name)));
        using var response = await _http.PostAsync("stats", form);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateObject()
            .Where(static metric => metric.Value.ValueKind == JsonValueKind.Object)
            .ToDictionary(static metric => metric.Name, static metric => metric.Value.GetProperty("intValue").GetInt64());
    }

    /// <summary>GETs a dashboard page; returns its status code and HTML.</summary>
    public async Task<(int Status, string Html)> PageAsync(string path)
    {
        using var response = await _http.GetAsync(path.TrimStart('/'));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The number a page's sidebar or header shows for a metric, e.g. "succeeded:count".</summary>
    public static long? MetricShown(string html, string metric)
    {
        var match = MetricSpan().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == metric);
        return match is null ? null : long.Parse(match.Groups["value"].Value.Replace(",", "").Replace(".", ""));
    }

    /// <summary>The "Total items: N" of a paged job list.</summary>
    public static long? TotalItems(string html)
    {
        var match = TotalItemsText().Match(html);
        return match.Success ? long.Parse(match.Groups["value"].Value.Replace(",", "").Replace(".", "")) : null;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("""data-metric="(?<name>[^"]+)"[^>]*>(?<value>[\d,.]+)<""")]
    private static partial Regex MetricSpan();

    [GeneratedRegex(@"Total items:\s*(?<value>[\d,.]+)")]
    private static partial Regex TotalItemsText();
}
