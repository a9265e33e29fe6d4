using MudBlazor;

namespace QwenVlStudio.Web.Components.Layout;

public static class StudioTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4a3aa8",
            Secondary = "#00897b",
            AppbarBackground = "#4a3aa8",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
