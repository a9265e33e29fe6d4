using System.Text.Json;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// The parts of a Hugging Face <c>tokenizer.json</c> that a Qwen byte-level BPE tokenizer needs, read and checked
/// against what <see cref="QwenTokenizer"/> implements: anything else is refused with a clear error rather than
/// tokenized differently from the reference.
/// </summary>
internal sealed class TokenizerFile
{
    private TokenizerFile(Dictionary<string, int> vocabulary, List<string> merges, List<AddedToken> addedTokens)
    {
        Vocabulary = vocabulary;
        Merges = merges;
        AddedTokens = addedTokens;
    }

    public Dictionary<string, int> Vocabulary { get; }

    /// <summary>Merges in rank order, each as "left right" (the form Microsoft.ML.Tokenizers takes).</summary>
    public List<string> Merges { get; }

    public List<AddedToken> AddedTokens { get; }

    public static TokenizerFile Read(string path)
    {
        if (!File.Exists(path))
            throw new ModelPackageException($"The model package has no tokenizer file: '{path}' does not exist.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return Parse(document.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new ModelPackageException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            // JsonElement accessors throw these when a value has an unexpected JSON type or is missing.
            throw new ModelPackageException($"'{path}' does not have the structure of a tokenizer.json file: {e.Message}", e);
        }
    }

    private static TokenizerFile Parse(JsonElement root, string path)
    {
        var model = root.GetProperty("model");
        CheckModel(model, path);
        CheckNormalizer(root.GetProperty("normalizer"), path);
        CheckPreTokenizer(root.GetProperty("pre_tokenizer"), path);

        var vocabulary = new Dictionary<string, int>(capacity: 160_000, StringComparer.Ordinal);
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            if (!vocabulary.TryAdd(entry.Name, ReadId(entry.Value, path)))
                throw new ModelPackageException($"'{path}': the vocabulary lists '{entry.Name}' twice.");
        }

        var merges = new List<string>(capacity: 160_000);
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
            merges.Add(ReadMerge(merge, path));

        var added = new List<AddedToken>();
        foreach (var token in root.GetProperty("added_tokens").EnumerateArray())
            added.Add(ReadAddedToken(token, path));

        return new TokenizerFile(vocabulary, merges, added);
    }

    private static void CheckModel(JsonElement model, string path)
    {
        Require(model.GetProperty("type").GetString() == "BPE", path, "the model is not BPE");
        Require(IsNullOrFalse(model, "byte_fallback"), path, "byte_fallback BPE is not supported");
        Require(IsNullOrEmpty(model, "continuing_subword_prefix"), path, "a continuing_subword_prefix is not supported");
        Require(IsNullOrEmpty(model, "end_of_word_suffix"), path, "an end_of_word_suffix is not supported");
        Require(!model.TryGetProperty("dropout", out var dropout) || dropout.ValueKind == JsonValueKind.Null, path,
            "BPE dropout is not supported");
    }

    private static void CheckNormalizer(JsonElement normalizer, string path)
    {
        Require(normalizer.ValueKind == JsonValueKind.Null || normalizer.GetProperty("type").GetString() == "NFC", path,
            "only the NFC normalizer is supported");
    }

    /// <summary>Accepts exactly Split(Qwen2 pattern, Isolated) followed by ByteLevel without its own regex.</summary>
    private static void CheckPreTokenizer(JsonElement preTokenizer, string path)
    {
        const string expected = "a Sequence of Split (the Qwen2 pattern, Isolated) and ByteLevel (use_regex false)";
        Require(preTokenizer.GetProperty("type").GetString() == "Sequence", path, $"the pre-tokenizer is not {expected}");
        var steps = preTokenizer.GetProperty("pretokenizers").EnumerateArray().ToArray();
        Require(steps.Length == 2, path, $"the pre-tokenizer is not {expected}");

        var split = steps[0];
        Require(split.GetProperty("type").GetString() == "Split", path, $"the pre-tokenizer is not {expected}");
        string? pattern = split.GetProperty("pattern").TryGetProperty("Regex", out var regex) ? regex.GetString() : null;
        Require(pattern == QwenPreTokenization.Pattern, path, $"the Split pattern '{pattern}' is not the Qwen2 pattern this tokenizer implements");
        Require(split.GetProperty("behavior").GetString() == "Isolated" && IsNullOrFalse(split, "invert"), path,
            $"the pre-tokenizer is not {expected}");

        var byteLevel = steps[1];
        Require(byteLevel.GetProperty("type").GetString() == "ByteLevel" && IsNullOrFalse(byteLevel, "use_regex")
            && IsNullOrFalse(byteLevel, "add_prefix_space"), path, $"the pre-tokenizer is not {expected}");
    }

    private static string ReadMerge(JsonElement merge, string path)
    {
        // Newer files store each merge as a [left, right] pair, older ones as one "left right" string.
        string left, right;
        if (merge.ValueKind == JsonValueKind.Array)
        {
            var parts = merge.EnumerateArray().Select(p => p.GetString() ?? "").ToArray();
            Require(parts.Length == 2, path, $"a merge has {parts.Length} parts instead of 2");
            (left, right) = (parts[0], parts[1]);
        }
        else
        {
            var parts = (merge.GetString() ?? "").Split(' ');
            Require(parts.Length == 2, path, $"the merge '{merge.GetString()}' is not 'left right'");
            (left, right) = (parts[0], parts[1]);
        }
        Require(left.Length > 0 && right.Length > 0 && !left.Contains(' ') && !right.Contains(' '), path,
            $"the merge ['{left}', '{right}'] has an empty part or a space");
        return $"{left} {right}";
    }

    private static AddedToken ReadAddedToken(JsonElement token, string path)
    {
        string content = token.GetProperty("content").GetString() ?? "";
        Require(content.Length > 0, path, "an added token has empty content");
        Require(IsNullOrFalse(token, "lstrip") && IsNullOrFalse(token, "rstrip") && IsNullOrFalse(token, "single_word")
            && IsNullOrFalse(token, "normalized"), path,
            $"the added token '{content}' uses lstrip/rstrip/single_word/normalized, which are not supported");
        return new AddedToken(ReadId(token.GetProperty("id"), path), content, token.GetProperty("special").GetBoolean());
    }

    /// <summary>Ids index dense tables, so a corrupt huge or negative id must fail here, not as an allocation error.</summary>
    private static int ReadId(JsonElement value, string path)
    {
        const int maxId = 1 << 24;
        int id = value.GetInt32();
        Require(id is >= 0 and < maxId, path, $"the token id {id} is outside 0..{maxId - 1}");
        return id;
    }

    private static bool IsNullOrFalse(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.False;

    private static bool IsNullOrEmpty(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null || value.GetString() == "";

    private static void Require(bool condition, string path, string problem)
    {
        if (!condition)
            throw new ModelPackageException($"'{path}' is not supported: {problem}.");
    }
}
