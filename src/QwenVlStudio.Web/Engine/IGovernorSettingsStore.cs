namespace QwenVlStudio.Web.Engine;

/// <summary>Where the admin's settings survive restarts (LiteDB in the web host, memory in tests).</summary>
public interface IGovernorSettingsStore
{
    GovernorSettings? Load();

    void Save(GovernorSettings settings);
}
