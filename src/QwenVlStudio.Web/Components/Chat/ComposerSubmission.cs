namespace QwenVlStudio.Web.Components.Chat;

/// <summary>What the composer hands to the page on send: the text and the ids of the images already stored.</summary>
public sealed record ComposerSubmission(string Text, IReadOnlyList<string> ImageIds);
