namespace QwenVlStudio.Web.Engine;

/// <summary>Readiness of the shared engine, shown by the UI and reported by /readyz.</summary>
public enum EngineState
{
    /// <summary>The model is being loaded at start; requests are refused with <see cref="EngineUnavailableException"/>.</summary>
    Loading,

    /// <summary>The model is loaded and its engine core takes requests.</summary>
    Ready,

    /// <summary>
    /// Settings changed: the requests in the engine drain, then it is rebuilt. New requests wait at the door and
    /// start on the new engine.
    /// </summary>
    Reloading,

    /// <summary>Loading failed; <see cref="EngineStatus.Message"/> says why. Requests are refused.</summary>
    Failed,
}

/// <summary>A snapshot of the engine's readiness with a message for people.</summary>
public sealed record EngineStatus(EngineState State, string Message, string? ModelName)
{
    public bool AcceptsRequests => State is EngineState.Ready or EngineState.Reloading;
}
