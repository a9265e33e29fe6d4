using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using QwenVlStudio.Web.Api;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Components;
using QwenVlStudio.Web.Components.Chat;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Hosting;

public static class UiServiceCollectionExtensions
{
    /// <summary>Chat services, upload limits, Razor components over the interactive server circuit, MudBlazor.</summary>
    public static IServiceCollection AddStudioUi(this IServiceCollection services)
    {
        services.AddStudioChat();
        // Answers a killed process left half-written are marked interrupted once, at start.
        services.AddHostedService<InterruptedAnswersMarker>();
        // A long pasted prompt travels in one circuit message (the text box's value): SignalR's 32 KB default closed
        // the circuit silently at about 17,000 characters. The composer caps the text at the model's context first.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = PromptLimit.MaxCircuitMessageBytes);
        services.AddMudServices();
        return services;
    }

    /// <summary>What the chat components need besides the stores and the engine: upload limits and the chat services.</summary>
    public static IServiceCollection AddStudioChat(this IServiceCollection services)
    {
        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ChatTurns>();
        services.AddSingleton<ReplyGenerator>();
        return services;
    }

    public static WebApplication MapStudioUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// Security headers, error pages (HTML for the dashboard, OpenAI JSON under /v1), static files from the content
    /// root's wwwroot/, sign-in and antiforgery.
    /// </summary>
    public static WebApplication UseStudioPipeline(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseWhen(OpenAiApiExtensions.IsApiRequest, api => api.UseMiddleware<OpenAiErrorMiddleware>());
        app.UseWhen(context => !OpenAiApiExtensions.IsApiRequest(context), pages =>
        {
            if (!app.Environment.IsDevelopment())
                pages.UseExceptionHandler("/not-found", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
