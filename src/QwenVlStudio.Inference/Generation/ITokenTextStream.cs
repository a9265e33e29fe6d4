namespace QwenVlStudio.Inference.Generation;

/// <summary>Turns generated token ids into text deltas that never split a character.</summary>
internal interface ITokenTextStream
{
    string Append(int tokenId);

    string Flush();
}
