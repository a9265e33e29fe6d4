namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A JSON schema compiled to what the decoder must produce. Generation only ever makes documents the schema
/// accepts, but not every document it accepts (properties come in declaration order, numbers have bounded
/// digits, pattern strings are printable ASCII), which keeps the automaton small and every answer finite.
/// Nodes are compared by reference: parser states that point at them stay cheap to hash.
/// </summary>
internal abstract class SchemaNode;

/// <summary>Any JSON value (the <c>{}</c> schema, and values of free-form objects).</summary>
internal sealed class AnyValueNode : SchemaNode
{
    public static readonly AnyValueNode Instance = new();
}

internal sealed class StringNode(int minLength, int? maxLength, StringPattern? pattern) : SchemaNode
{
    public static readonly StringNode Unbounded = new(0, null, null);

    public int MinLength { get; } = minLength;
    public int? MaxLength { get; } = maxLength;
    public StringPattern? Pattern { get; } = pattern;

    /// <summary>Characters are counted only when a length bound needs them (uncounted states cache better).</summary>
    public bool CountsCharacters => MinLength > 0 || MaxLength is not null;
}

internal sealed class NumberNode(bool integer, long? minimum = null, long? maximum = null) : SchemaNode
{
    public static readonly NumberNode AnyNumber = new(false);
    public static readonly NumberNode AnyInteger = new(true);

    public bool Integer { get; } = integer;

    /// <summary>Inclusive bounds of a bounded integer (minimum ≥ 0): the digits are then checked against them as they come.</summary>
    public long? Minimum { get; } = minimum;
    public long? Maximum { get; } = maximum;

    public bool Bounded => Minimum is not null || Maximum is not null;

    /// <summary>Whether some number starting with the digits of <paramref name="prefix"/> lies within the bounds.</summary>
    public bool CanReach(long prefix, bool leadingZero)
    {
        long min = Minimum ?? 0, max = Maximum ?? long.MaxValue;
        if (leadingZero) return min == 0; // "0" takes no more digits
        for (long low = prefix, span = 1; low <= max; low *= 10, span *= 10)
        {
            if (low + span - 1 >= min) return true;
            if (low > long.MaxValue / 10) break;
        }
        return false;
    }
}

/// <summary>Exactly one of a set of byte strings: enum, const, true/false/null. Sorted, so the candidates sharing a prefix are a range.</summary>
internal sealed class LiteralNode : SchemaNode
{
    public static readonly LiteralNode TrueFalseNull = new(["true"u8.ToArray(), "false"u8.ToArray(), "null"u8.ToArray()]);

    public LiteralNode(IEnumerable<byte[]> candidates) =>
        Candidates = candidates.Distinct(ByteStrings.EqualityComparer).Order(ByteStrings.Comparer).ToArray();

    public byte[][] Candidates { get; }
}

/// <summary>One declared property: its JSON-encoded key (with the quotes) and its value's schema.</summary>
internal sealed record PropertyNode(string Name, byte[] EncodedKey, SchemaNode Value, bool Required);

/// <summary>
/// An object. With <see cref="Properties"/>, only they are generated, in declaration order; without them, any keys
/// with values of <see cref="FreeValues"/> (null when additionalProperties is false: only <c>{}</c>).
/// </summary>
internal sealed class ObjectNode : SchemaNode
{
    public static readonly ObjectNode FreeForm = new([], AnyValueNode.Instance);

    public ObjectNode(PropertyNode[] properties, SchemaNode? freeValues, SchemaNode? keyNames = null, int minProperties = 0, int? maxProperties = null)
    {
        Properties = properties;
        FreeValues = freeValues;
        KeyNames = keyNames ?? StringNode.Unbounded;
        MinProperties = minProperties;
        MaxProperties = maxProperties;
        var sorted = properties.Select((p, i) => (p.EncodedKey, i)).OrderBy(k => k.EncodedKey, ByteStrings.Comparer).ToArray();
        SortedKeys = sorted.Select(k => k.EncodedKey).ToArray();
        SortedKeyProperty = sorted.Select(k => k.i).ToArray();
        FirstRequiredFrom = new int[properties.Length + 1];
        FirstRequiredFrom[properties.Length] = int.MaxValue;
        for (int i = properties.Length - 1; i >= 0; i--)
            FirstRequiredFrom[i] = properties[i].Required ? i : FirstRequiredFrom[i + 1];
    }

    public PropertyNode[] Properties { get; }
    public SchemaNode? FreeValues { get; }

    /// <summary>Free-form keys (propertyNames): a string or string-literal node.</summary>
    public SchemaNode KeyNames { get; }

    /// <summary>Bounds on the number of free-form properties.</summary>
    public int MinProperties { get; }
    public int? MaxProperties { get; }

    /// <summary>The encoded keys sorted bytewise (keys sharing a prefix form a range) and the property of each.</summary>
    public byte[][] SortedKeys { get; }
    public int[] SortedKeyProperty { get; }

    /// <summary>[i]: the first required property at index ≥ i (int.MaxValue when none): properties are emitted in order, so none may be skipped.</summary>
    public int[] FirstRequiredFrom { get; }

    /// <summary>Whether property <paramref name="index"/> may come after property <paramref name="last"/> (−1: none yet).</summary>
    public bool MayFollow(int last, int index) => index > last && index <= FirstRequiredFrom[last + 1];

    /// <summary>Whether the object may close after property <paramref name="last"/>.</summary>
    public bool MayClose(int last) => FirstRequiredFrom[last + 1] == int.MaxValue;
}

internal sealed class ArrayNode(SchemaNode? items, int minItems, int? maxItems) : SchemaNode
{
    public static readonly ArrayNode FreeForm = new(AnyValueNode.Instance, 0, null);

    /// <summary>Null: items are the false schema, so only the empty array.</summary>
    public SchemaNode? Items { get; } = items;
    public int MinItems { get; } = minItems;
    public int? MaxItems { get; } = maxItems;
}

/// <summary>anyOf, and type arrays: the value matches one of the alternatives.</summary>
internal sealed class UnionNode(SchemaNode[] alternatives) : SchemaNode
{
    public SchemaNode[] Alternatives { get; } = alternatives;
}
