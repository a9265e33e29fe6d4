using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>What an admin or a user did survives stopping and starting the host on the same data file.</summary>
public sealed class RestartFacts
{
    [Fact]
    public async Task SettingsAndHistory_SurviveARestart()
    {
        var folder = TestPaths.NewTempFolder();
        Guid owner, conversation;
        await using (var first = new StudioFactory(folder, null))
        {
            await first.WaitForEngineAsync();
            var governor = first.Get<EngineGovernor>();
            await governor.ApplyAsync(governor.Current with { DecoderThreads = 3, MaxNewTokens = 123 }, CancellationToken.None);
            owner = first.CreateUser("persistent").Id;
            conversation = first.Get<ChatTurns>().Post(owner, null, "Remember me", []).Conversation.Id;
        }

        await using var second = new StudioFactory(folder, null);
        await second.WaitForEngineAsync();

        Assert.Equal(3, second.Get<EngineGovernor>().Current.DecoderThreads);
        Assert.Equal(123, second.Get<EngineGovernor>().Current.MaxNewTokens);
        Assert.Equal(3, second.Engines.Latest!.Settings.DecoderThreads);
        Assert.Equal("Remember me", second.Get<ConversationStore>().Messages(owner, conversation)[0].Text);
        Assert.NotNull(second.Get<QwenVlStudio.Web.Auth.UserAccounts>().Verify("persistent", "user-password-1"));
    }
}
