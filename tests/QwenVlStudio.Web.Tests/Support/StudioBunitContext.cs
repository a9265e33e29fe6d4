using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Hosting;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>
/// A bUnit context with the app's services over a temp database and the fake engine, signed in as one user.
/// </summary>
public sealed class StudioBunitContext : BunitContext
{
    public StudioBunitContext(GovernorSettings? settings = null, string role = Roles.User)
    {
        Harness = new EngineHarness(settings);
        Db = new TempDatabase();
        UserId = Guid.NewGuid();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // The app's own registrations (chat services, upload limits bound from configuration) over an empty
        // configuration, and MudBlazor; only the stores and the engine are the test's own instances.
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddStudioChat();
        Services.AddMudServices();
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(Db.Db);
        Services.AddSingleton(Db.Users);
        Services.AddSingleton(Db.Conversations);
        Services.AddSingleton(Db.Images);
        Services.AddSingleton(Harness.Engine);
        Services.AddSingleton(Harness.Governor);

        var auth = AddAuthorization();
        auth.SetAuthorized("tester");
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId.ToString()));
    }

    public EngineHarness Harness { get; }

    public TempDatabase Db { get; }

    public Guid UserId { get; }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await Harness.DisposeAsync();
        Db.Dispose();
    }
}
