using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Uploads;

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
        Services.AddMudServices();
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(Db.Db);
        Services.AddSingleton(Db.Users);
        Services.AddSingleton(Db.Conversations);
        Services.AddSingleton(Db.Images);
        Services.AddSingleton(Harness.Engine);
        Services.AddSingleton(Harness.Governor);
        Services.AddSingleton(Options.Create(new UploadOptions()));
        Services.AddSingleton<ChatTurns>();
        Services.AddSingleton<ReplyGenerator>();

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
