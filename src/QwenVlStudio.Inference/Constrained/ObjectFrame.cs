namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A JSON object. With declared properties: their keys in declaration order (<see cref="Last"/> is the index of
/// the last one written), none of the required ones skipped, closing only once all required ones are written; a
/// key being read is the range [Lo, Hi) of the sorted encoded keys that share its first <see cref="Matched"/>
/// bytes. Without declared properties: keys of <see cref="ObjectNode.KeyNames"/>, values of
/// <see cref="ObjectNode.FreeValues"/>, and <see cref="Last"/> + 1 counts the properties written.
/// </summary>
internal sealed record ObjectFrame(ObjectNode Node, ObjectFrame.Phase At, int Last, int Whitespace, int Lo, int Hi, int Matched) : Frame
{
    public enum Phase { Open, AfterOpen, Key, AfterKey, AfterColon, AfterValue, AfterComma }

    public static ObjectFrame Open(ObjectNode node) => new(node, Phase.Open, -1, 0, 0, 0, 0);

    private bool Declared => Node.Properties.Length > 0;

    public override void Feed(byte b, ParseStack? rest, List<ParseStack?> output)
    {
        switch (At)
        {
            case Phase.Open:
                if (b == '{') Add(output, this with { At = Phase.AfterOpen }, rest);
                return;
            case Phase.Key:
                FeedKey(b, rest, output);
                return;
        }
        if (IsWhitespace(b))
        {
            if (Whitespace < MaxWhitespaceRun) Add(output, this with { Whitespace = Whitespace + 1 }, rest);
            return;
        }
        var next = this with { Whitespace = 0 };
        switch (At)
        {
            case Phase.AfterOpen or Phase.AfterValue when b == '}' && MayClose:
                ParseStack.Add(output, rest);
                break;
            case Phase.AfterValue when b == ',' && MayAddKey:
                Add(output, next with { At = Phase.AfterComma }, rest);
                break;
            case Phase.AfterOpen or Phase.AfterComma when b == '"' && MayAddKey:
                if (Declared)
                    FeedKey(b, rest, output, next with { At = Phase.Key, Lo = 0, Hi = Node.SortedKeys.Length, Matched = 0 });
                else
                    ParseStack.BeginWith(Node.KeyNames, ParseStack.Push(next with { At = Phase.AfterKey, Last = Last + 1 }, rest), b, output);
                break;
            case Phase.AfterKey when b == ':':
                Add(output, next with { At = Phase.AfterColon }, rest);
                break;
            case Phase.AfterColon:
                var value = Declared ? Node.Properties[Last].Value : Node.FreeValues!;
                ParseStack.BeginWith(value, ParseStack.Push(next with { At = Phase.AfterValue }, rest), b, output);
                break;
        }
    }

    private bool MayClose => Declared ? Node.MayClose(Last) : Last + 1 >= Node.MinProperties;

    private bool MayAddKey
    {
        get
        {
            if (!Declared) return Node.FreeValues is not null && (Node.MaxProperties is not int max || Last + 1 < max);
            for (int p = Last + 1; p < Node.Properties.Length; p++)
                if (Node.MayFollow(Last, p)) return true;
            return false;
        }
    }

    private void FeedKey(byte b, ParseStack? rest, List<ParseStack?> output, ObjectFrame? from = null)
    {
        var key = from ?? this;
        var (lo, hi) = ByteStrings.Narrow(Node.SortedKeys, key.Lo, key.Hi, key.Matched, b);
        int matched = key.Matched + 1;
        for (int i = lo; i < hi; i++)
        {
            int property = Node.SortedKeyProperty[i];
            if (!Node.MayFollow(Last, property)) continue;
            // Encoded keys end with their closing quote, so none is a prefix of another: a complete one is alone.
            if (Node.SortedKeys[i].Length == matched)
                Add(output, key with { At = Phase.AfterKey, Last = property, Lo = 0, Hi = 0, Matched = 0 }, rest);
            else
                Add(output, key with { Lo = lo, Hi = hi, Matched = matched }, rest);
            return;
        }
    }

    private static void Add(List<ParseStack?> output, ObjectFrame frame, ParseStack? rest) => ParseStack.Add(output, ParseStack.Push(frame, rest));
}
