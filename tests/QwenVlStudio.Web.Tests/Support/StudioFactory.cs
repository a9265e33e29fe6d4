using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>
/// The real web host (content root = the repo's top level) with a fresh LiteDB file, a known admin password and
/// the fake engine. Extra configuration (e.g. governor limits) comes through <see cref="Settings"/>.
/// </summary>
public class StudioFactory : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-password-1";

    public StudioFactory()
        : this(null, null)
    {
    }

    internal StudioFactory(string? dataFolder, FakeEngineFactory? engines)
    {
        DataFolder = dataFolder ?? TestPaths.NewTempFolder();
        Engines = engines ?? new FakeEngineFactory();
    }

    public string DataFolder { get; }

    public FakeEngineFactory Engines { get; }

    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Enough room that tests not about limits never meet them.
        ["Governor:MaxConcurrentSequences"] = "2",
        ["Governor:MaxQueueLength"] = "8",
        ["Governor:VisionThreads"] = "1",
        ["Governor:DecoderThreads"] = "1",
    };

    /// <summary>Run the real ONNX engine on the embedded tiny model instead of the fake (smoke tests).</summary>
    public bool UseRealEngine { get; set; }

    public EngineService Engine => Services.GetRequiredService<EngineService>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(TestPaths.RepoRoot);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Data:Path", Path.Combine(DataFolder, "studio.db"));
        builder.UseSetting("Auth:AdminUser", AdminUser);
        builder.UseSetting("Auth:AdminPassword", AdminPassword);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            if (UseRealEngine)
                return;
            services.RemoveAll<IEngineFactory>();
            services.AddSingleton<IEngineFactory>(Engines);
        });
    }

    /// <summary>Disposes the host, then waits until its database files are closed, so the next host can open them.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await DataFiles.WaitUntilClosedAsync(Path.Combine(DataFolder, "studio.db"));
        await DataFiles.WaitUntilClosedAsync(Path.Combine(DataFolder, "hangfire.db"));
    }

    /// <summary>Waits until the background load has finished (Ready or Failed).</summary>
    public async Task<EngineStatus> WaitForEngineAsync()
    {
        var engine = Engine;
        await Poll.WithinAsync(() => engine.Status.State is not (EngineState.Loading or EngineState.Reloading), Poll.DefaultTimeout);
        return engine.Status;
    }

    public UserRecord CreateUser(string name, string password = "user-password-1", string role = Roles.User) =>
        Get<QwenVlStudio.Web.Auth.UserAccounts>().Create(name, password, role);
}
