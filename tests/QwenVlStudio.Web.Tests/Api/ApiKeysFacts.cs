using Bunit;
using Microsoft.Extensions.DependencyInjection;
using QwenVlStudio.Web.Api;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Api;

public sealed class ApiKeysFacts
{
    [Fact]
    public async Task Create_ShowsKeyOnce_StoresOnlyItsHash()
    {
        await using var ctx = new StudioBunitContext();
        var store = new ApiKeyStore(ctx.Db.Db, TimeProvider.System);
        ctx.Services.AddSingleton(store);
        var cut = ctx.Render<ApiKeysPage>();

        cut.Find("[data-testid=api-key-name]").Change("my script");
        await cut.Find("[data-testid=api-key-create]").ClickAsync(new());

        var key = cut.Find("[data-testid=api-key-secret]").TextContent;
        Assert.StartsWith(ApiKeyStore.KeyPrefix, key);
        var record = Assert.Single(store.List(ctx.UserId));
        Assert.Equal(ApiKeyStore.Hash(key), record.Hash);
        Assert.DoesNotContain(key, record.Hash);
        Assert.Equal(record.Id, store.Find(key)!.Id);
        // A fresh render (another visit) lists the key by its prefix only.
        var again = ctx.Render<ApiKeysPage>();
        Assert.Empty(again.FindAll("[data-testid=api-key-secret]"));
        Assert.Contains(record.Prefix, again.Find("[data-testid=api-key-row]").TextContent);
    }

    [Fact]
    public async Task Revoke_DisablesTheKey()
    {
        await using var ctx = new StudioBunitContext();
        var store = new ApiKeyStore(ctx.Db.Db, TimeProvider.System);
        ctx.Services.AddSingleton(store);
        var (_, key) = store.Create(ctx.UserId, "ci");
        var cut = ctx.Render<ApiKeysPage>();

        await cut.Find("[data-testid=api-key-revoke]").ClickAsync(new());
        Assert.NotNull(store.Find(key)); // one click only asks
        await cut.Find("[data-testid=api-key-revoke-cancel]").ClickAsync(new());
        Assert.NotNull(store.Find(key));
        await cut.Find("[data-testid=api-key-revoke]").ClickAsync(new());
        await cut.Find("[data-testid=api-key-revoke-confirm]").ClickAsync(new());

        Assert.Null(store.Find(key));
        Assert.Contains("revoked", cut.Find("[data-testid=api-key-row]").TextContent);
    }

    [Fact]
    public async Task Revoke_RefusesAnotherOwnersKey()
    {
        await using var ctx = new StudioBunitContext();
        var store = new ApiKeyStore(ctx.Db.Db, TimeProvider.System);
        var (record, key) = store.Create(Guid.NewGuid(), "someone else's");

        Assert.False(store.Revoke(ctx.UserId, record.Id));
        Assert.NotNull(store.Find(key));
    }

    [Fact]
    public async Task Create_ShowsError_WhenNameIsEmpty()
    {
        await using var ctx = new StudioBunitContext();
        ctx.Services.AddSingleton(new ApiKeyStore(ctx.Db.Db, TimeProvider.System));
        var cut = ctx.Render<ApiKeysPage>();

        await cut.Find("[data-testid=api-key-create]").ClickAsync(new());

        Assert.Contains("name", cut.Find("[data-testid=api-keys-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=api-key-row]"));
    }

    [Fact]
    public async Task EmptyState_ShowsACurlExample_AndANewKeyHasACopyButton()
    {
        await using var ctx = new StudioBunitContext();
        var store = new ApiKeyStore(ctx.Db.Db, TimeProvider.System);
        ctx.Services.AddSingleton(store);
        var cut = ctx.Render<ApiKeysPage>();
        Assert.Contains("curl -s http://localhost/v1/models -H \"Authorization: Bearer YOUR_KEY\"", cut.Find("[data-testid=api-keys-empty]").TextContent);

        cut.Find("[data-testid=api-key-name]").Change("ci");
        await cut.Find("[data-testid=api-key-create]").ClickAsync(new());
        Assert.Empty(cut.FindAll("[data-testid=api-keys-empty]"));
        var secret = cut.Find("[data-testid=api-key-secret]").TextContent;

        await cut.Find("[data-testid=api-key-copy]").ClickAsync(new());
        Assert.Equal(secret, Assert.Single(ctx.JSInterop.Invocations, i => i.Identifier == "qwenvlChat.copy").Arguments[0]);
        Assert.NotEmpty(cut.FindAll("[data-testid=api-key-copied]"));
    }
}
