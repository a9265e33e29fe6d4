namespace QwenVlStudio.Inference.Constrained;

/// <summary>A JSON array of <see cref="ArrayNode.Items"/>, between its minItems and maxItems; <see cref="Count"/> items so far.</summary>
internal sealed record ArrayFrame(ArrayNode Node, ArrayFrame.Phase At, int Count, int Whitespace) : Frame
{
    public enum Phase { Open, AfterOpen, AfterItem, AfterComma }

    public static ArrayFrame Open(ArrayNode node) => new(node, Phase.Open, 0, 0);

    public override void Feed(byte b, ParseStack? rest, List<ParseStack?> output)
    {
        if (At == Phase.Open)
        {
            if (b == '[') ParseStack.Add(output, ParseStack.Push(this with { At = Phase.AfterOpen }, rest));
            return;
        }
        if (IsWhitespace(b))
        {
            if (Whitespace < MaxWhitespaceRun) ParseStack.Add(output, ParseStack.Push(this with { Whitespace = Whitespace + 1 }, rest));
            return;
        }
        bool mayClose = Count >= Node.MinItems && At != Phase.AfterComma;
        bool mayAddItem = Node.Items is not null && (Node.MaxItems is not int max || Count < max);
        switch (At)
        {
            case Phase.AfterOpen or Phase.AfterItem when b == ']' && mayClose:
                ParseStack.Add(output, rest);
                break;
            case Phase.AfterItem when b == ',' && mayAddItem:
                ParseStack.Add(output, ParseStack.Push(this with { At = Phase.AfterComma, Whitespace = 0 }, rest));
                break;
            case Phase.AfterOpen or Phase.AfterComma when mayAddItem:
                ParseStack.BeginWith(Node.Items!, ParseStack.Push(this with { At = Phase.AfterItem, Count = Count + 1, Whitespace = 0 }, rest), b, output);
                break;
        }
    }
}
