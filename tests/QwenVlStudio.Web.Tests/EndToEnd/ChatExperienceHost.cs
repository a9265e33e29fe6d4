using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>
/// A host whose fake engine streams long answers quickly (taller than the page, to test scrolling) and reports a
/// 32,768-token context like the embedded model (the composer's limit is then 131,072 characters).
/// </summary>
public sealed class ChatExperienceHost : BrowserHost
{
    protected override void Configure(StudioFactory factory)
    {
        factory.Engines.Behavior.TokenDelay = TimeSpan.FromMilliseconds(8);
        factory.Engines.Behavior.Tokens = 30;
        factory.Engines.Behavior.LongTokens = 1500;
        factory.Engines.Behavior.ContextLength = 32_768;
    }
}
