namespace QwenVlStudio.Inference.Text;

/// <summary>
/// A token of tokenizer.json's <c>added_tokens</c> (such as <c>&lt;|im_start|&gt;</c> or <c>&lt;think&gt;</c>):
/// always matched as a whole in raw text, before normalization and pre-tokenization.
/// </summary>
/// <param name="Special">
/// Special tokens are the control tokens dropped by <c>skipSpecialTokens</c> when decoding; the other added tokens
/// (tool-call and think tags) stay in decoded text.
/// </param>
public sealed record AddedToken(int Id, string Content, bool Special);
