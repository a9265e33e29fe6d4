namespace QwenVlStudio.Web.Hosting;

/// <summary>One part of the app /readyz asks besides the engine (the job server, the disk): null when fine, else why not.</summary>
public interface IReadinessCheck
{
    /// <summary>The name /readyz reports the problem under.</summary>
    string Name { get; }

    string? Problem();
}
