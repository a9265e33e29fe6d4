namespace QwenVlStudio.Web.Engine;

/// <summary>Settings were refused; <see cref="Errors"/> lists each problem for the settings page.</summary>
public sealed class GovernorValidationException(IReadOnlyList<string> errors)
    : Exception("Invalid settings: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
