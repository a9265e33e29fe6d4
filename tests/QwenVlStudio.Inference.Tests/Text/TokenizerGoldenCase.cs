using System.Text.Json;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Text;

/// <summary>One entry of golden/tokenizer_golden.json (Hugging Face tokenizers output).</summary>
internal sealed record TokenizerGoldenCase(string Text, int[] Ids, string Decoded, string DecodedSkipSpecial)
{
    public override string ToString() => JsonSerializer.Serialize(Text);

    private static readonly Lazy<JsonDocument> File = new(() =>
        JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(TestPaths.Golden, "tokenizer_golden.json"))));

    public static JsonElement Root => File.Value.RootElement;

    public static IReadOnlyList<TokenizerGoldenCase> All { get; } =
    [
        .. Root.GetProperty("cases").EnumerateArray().Select(c => new TokenizerGoldenCase(
            c.GetProperty("text").GetString()!,
            [.. c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32())],
            c.GetProperty("decoded").GetString()!,
            c.GetProperty("decoded_skip_special").GetString()!)),
    ];

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < All.Count; i++)
            data.Add(i);
        return data;
    }
}
