using Microsoft.Extensions.Logging.Abstractions;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Engine;

public sealed class GovernorDefaultsFacts
{
    [Fact]
    public void Resolve_UsesSavedSettings_WhenTheyAreValid()
    {
        var store = new InMemoryGovernorSettingsStore();
        store.Save(new GovernorSettings { DecoderThreads = 5 });
        var defaults = GovernorDefaults.Resolve(new GovernorOptions(), store, 4, NullLogger.Instance);
        Assert.Equal(5, defaults.Initial.DecoderThreads);
        Assert.Equal(2, defaults.Settings.DecoderThreads);
    }

    [Fact]
    public void Resolve_FallsBackToDefaults_WhenSavedSettingsAreInvalid()
    {
        var store = new InMemoryGovernorSettingsStore();
        store.Save(new GovernorSettings { DecoderThreads = -1 });
        var defaults = GovernorDefaults.Resolve(new GovernorOptions(), store, 4, NullLogger.Instance);
        Assert.Equal(2, defaults.Initial.DecoderThreads);
    }

    [Fact]
    public void Resolve_Throws_WhenAppSettingsOverrideIsOutOfRange()
    {
        var error = Assert.Throws<GovernorValidationException>(() => GovernorDefaults.Resolve(
            new GovernorOptions { DecoderThreads = 1000 }, new InMemoryGovernorSettingsStore(), 4, NullLogger.Instance));
        Assert.Contains(error.Errors, e => e.Contains("Decoder threads"));
    }

    [Fact]
    public void Resolve_UsesConfiguredCoreCount_InsteadOfTheDetectedOne()
    {
        var defaults = GovernorDefaults.Resolve(new GovernorOptions { CoreCount = 32 }, new InMemoryGovernorSettingsStore(), 2, NullLogger.Instance);
        Assert.Equal(8, defaults.Settings.DecoderThreads);
        Assert.True(defaults.Settings.BatchingEnabled);
    }
}
