using System.Security.Claims;
using MudBlazor;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Components.Layout;

/// <summary>One entry of the app bar (or of its menu on a narrow screen).</summary>
public sealed record AppLink(string Href, string Label, string Icon, string TestId, bool NewTab = false);

/// <summary>The app bar's pages, listed once for the wide button row and the narrow menu alike.</summary>
public static class AppLinks
{
    private static readonly AppLink[] Everyone =
    [
        new("/", "Chat", Icons.Material.Filled.Chat, "nav-chat"),
        new("/batch", "Batch", Icons.Material.Filled.DynamicFeed, "nav-batch"),
        new("/monitor", "Monitor", Icons.Material.Filled.Insights, "nav-monitor"),
        new("/account/api-keys", "API keys", Icons.Material.Filled.Key, "nav-api-keys"),
    ];

    private static readonly AppLink[] AdminOnly =
    [
        new("/settings", "Settings", Icons.Material.Filled.Tune, "nav-settings"),
        new("/admin/users", "Users", Icons.Material.Filled.People, "nav-users"),
        new("/hangfire", "Jobs", Icons.Material.Filled.WorkHistory, "nav-jobs", NewTab: true),
    ];

    public static IReadOnlyList<AppLink> For(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) ? [.. Everyone, .. AdminOnly] : Everyone;
}
