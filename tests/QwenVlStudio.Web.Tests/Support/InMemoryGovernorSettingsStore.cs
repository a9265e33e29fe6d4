using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Support;

public sealed class InMemoryGovernorSettingsStore : IGovernorSettingsStore
{
    public GovernorSettings? Saved { get; private set; }

    public int Saves { get; private set; }

    public GovernorSettings? Load() => Saved;

    public void Save(GovernorSettings settings)
    {
        Saved = settings;
        Saves++;
    }
}
