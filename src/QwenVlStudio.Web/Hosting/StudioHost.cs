using Microsoft.AspNetCore.Builder;

namespace QwenVlStudio.Web.Hosting;

public static class StudioHost
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = ContentRootLocator.Find(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
    };

    /// <summary>
    /// Loopback port 5000 unless an address was configured the ASP.NET way (--urls, ASPNETCORE_URLS, Urls,
    /// ASPNETCORE_HTTP_PORTS or Kestrel:Endpoints).
    /// </summary>
    public static WebApplicationBuilder UseDefaultUrl(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var configured = !string.IsNullOrEmpty(config["urls"])
            || !string.IsNullOrEmpty(config["http_ports"])
            || !string.IsNullOrEmpty(config["https_ports"])
            || config.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!configured)
            builder.WebHost.UseUrls(DefaultUrl);
        // The Razor class libraries' files (MudBlazor's CSS/JS) are served from their packages in every environment,
        // not only in Development, because the app runs from its build output with `dotnet run`.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }
}
