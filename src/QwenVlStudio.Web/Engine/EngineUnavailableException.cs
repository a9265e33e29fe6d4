namespace QwenVlStudio.Web.Engine;

/// <summary>
/// The model is still loading or failed to load, so no request can be admitted (the HTTP API maps it to 503).
/// </summary>
public sealed class EngineUnavailableException(EngineState state, string message) : Exception(message)
{
    public EngineState State { get; } = state;
}
