namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// The start of any JSON value (free-form JSON): the first byte chooses object, array, string, number or literal.
/// Objects and arrays nest at most <see cref="MaxDepth"/> deep, past which only scalars are allowed.
/// </summary>
internal sealed record AnyValueFrame : Frame
{
    public const int MaxDepth = 16;
    public static readonly AnyValueFrame Instance = new();

    public override void Feed(byte b, ParseStack? rest, List<ParseStack?> output)
    {
        switch (b)
        {
            case (byte)'{' when (rest?.Depth ?? 0) < MaxDepth:
                ParseStack.BeginWith(ObjectNode.FreeForm, rest, b, output);
                break;
            case (byte)'[' when (rest?.Depth ?? 0) < MaxDepth:
                ParseStack.BeginWith(ArrayNode.FreeForm, rest, b, output);
                break;
            case (byte)'"':
                ParseStack.BeginWith(StringNode.Unbounded, rest, b, output);
                break;
            case (byte)'-' or >= (byte)'0' and <= (byte)'9':
                ParseStack.BeginWith(NumberNode.AnyNumber, rest, b, output);
                break;
            case (byte)'t' or (byte)'f' or (byte)'n':
                ParseStack.BeginWith(LiteralNode.TrueFalseNull, rest, b, output);
                break;
        }
    }
}
