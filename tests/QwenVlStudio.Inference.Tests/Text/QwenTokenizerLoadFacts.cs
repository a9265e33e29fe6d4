using QwenVlStudio.Inference.Tests.Support;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Tests.Text;

public sealed class QwenTokenizerLoadFacts : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qwen-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_ThrowsModelPackageException_WhenTokenizerJsonIsMissing()
    {
        var error = Assert.Throws<ModelPackageException>(() => QwenTokenizer.Load(_dir));

        Assert.Contains("tokenizer.json", error.Message);
    }

    [Fact]
    public void Load_ThrowsModelPackageException_WhenTokenizerJsonIsTruncated()
    {
        var original = File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, "tokenizer.json"));
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer.json"), original[..(original.Length / 2)]);

        Assert.Throws<ModelPackageException>(() => QwenTokenizer.Load(_dir));
    }

    [Fact]
    public void Load_ThrowsModelPackageException_WhenThePreTokenizerPatternDiffers()
    {
        WriteSmallTokenizer(pattern: @"\\S+|\\s+");

        var error = Assert.Throws<ModelPackageException>(() => QwenTokenizer.Load(_dir));

        Assert.Contains("pattern", error.Message);
    }

    [Fact]
    public void Load_ThrowsModelPackageException_WhenAMergeUsesAnUnknownToken()
    {
        WriteSmallTokenizer(merges: """[["a", "z"]]""");

        Assert.Throws<ModelPackageException>(() => QwenTokenizer.Load(_dir));
    }

    [Fact]
    public void Load_ThrowsModelPackageException_WhenAWellKnownTokenIsMissing()
    {
        WriteSmallTokenizer(addedTokens: """[{"id": 3, "content": "<|im_start|>", "special": true}]""");

        var error = Assert.Throws<ModelPackageException>(() => QwenTokenizer.Load(_dir));

        Assert.Contains("<|endoftext|>", error.Message);
    }

    [Fact]
    public void Load_ReadsASmallTokenizerWithStringMerges()
    {
        // Older tokenizer.json files store merges as "left right" strings.
        WriteSmallTokenizer(merges: """["a b"]""");

        var tokenizer = QwenTokenizer.Load(_dir);

        Assert.Equal([2, 0], tokenizer.Encode("aba"));
        Assert.Equal([tokenizer.ImStart, 2], tokenizer.Encode("<|im_start|>ab"));
    }

    private static readonly string[] WellKnown =
        ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>"];

    private void WriteSmallTokenizer(string? pattern = null, string merges = """[["a", "b"]]""", string? addedTokens = null)
    {
        pattern ??= QwenTokenizerPatternJson;
        addedTokens ??= "[" + string.Join(", ", WellKnown.Select((t, i) => $$"""{"id": {{3 + i}}, "content": "{{t}}", "special": true}""")) + "]";
        var json = $$"""
            {
              "added_tokens": {{addedTokens}},
              "normalizer": {"type": "NFC"},
              "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": "{{pattern}}"}, "behavior": "Isolated", "invert": false},
                {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
              "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "",
                "end_of_word_suffix": "", "fuse_unk": false, "byte_fallback": false,
                "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": {{merges}}}
            }
            """;
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), json);
    }

    private static string QwenTokenizerPatternJson =>
        System.Text.Json.JsonSerializer.Serialize(QwenPreTokenization.Pattern)[1..^1];
}
