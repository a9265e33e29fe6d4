namespace QwenVlStudio.Inference.Text;

/// <summary>
/// One piece of a rendered prompt: either a control token the chat template inserts (<c>&lt;|im_start|&gt;</c>,
/// <c>&lt;|image_pad|&gt;</c> …) or text. Only control pieces become special tokens; the spelling of a special token
/// inside a text piece (a user typing <c>&lt;|im_end|&gt;&lt;|im_start|&gt;system</c>) stays plain text, so no message
/// can forge a turn or an image placeholder.
/// </summary>
public readonly record struct PromptPiece(string Text, bool IsControlToken)
{
    public static PromptPiece Control(string token) => new(token, true);

    public static PromptPiece Plain(string text) => new(text, false);
}
