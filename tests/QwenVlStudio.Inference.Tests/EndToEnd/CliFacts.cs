using System.Diagnostics;
using System.Text.Json;
using QwenVlStudio.Inference.Numpy;
using QwenVlStudio.Inference.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Inference.Tests.EndToEnd;

/// <summary>The qwenvl executable started as a process, as a user runs it.</summary>
[Trait(TestCategories.Name, TestCategories.ChildProcess)]
public sealed class CliFacts : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("qwenvl-cli-").FullName;

    [Theory]
    [InlineData("case3_tiny_two_turn")]
    [InlineData("case5_two_images")]
    public async Task Generate_PrintsGoldenIdsAsJson_ForGoldenMessagesFile(string name)
    {
        var golden = GoldenCase.Load(name);

        var messagesFile = WriteMessagesFile(golden);

        var (code, stdout, stderr) = await Run("generate", "--messages", messagesFile,
            "--max-new-tokens", "16", "--min-new-tokens", "16", "--greedy", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(golden.GeneratedIds, root.GetProperty("generated_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(golden.InputIds.Length, root.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(golden.Json.GetProperty("generated_text").GetString(), root.GetProperty("text").GetString());
        Assert.Equal("length", root.GetProperty("finish_reason").GetString());
        Assert.True(root.GetProperty("timings").GetProperty("vision_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Generate_StreamsText_WithPromptAndImage()
    {
        var golden = GoldenCase.Load("case1_image_describe");

        var (code, stdout, stderr) = await Run("generate", "--image", Path.Combine(TestPaths.Golden, "image1_640x480.png"),
            "--prompt", "Describe this image.", "--max-new-tokens", "16", "--min-new-tokens", "16");

        Assert.True(code == 0, stderr);
        Assert.Equal(golden.Json.GetProperty("generated_text").GetString(), stdout.TrimEnd('\n'));
    }

    [Fact]
    public async Task Tokenize_PrintsHuggingFaceIds()
    {
        var (code, stdout, _) = await Run("tokenize", "--text", "Hello, world!");

        Assert.Equal(0, code);
        Assert.Equal("{\"ids\":[9707,11,1879,0]}", stdout.Trim());
    }

    [Fact]
    public async Task Preprocess_WritesGoldenPixelValues_ForExactSizeImage()
    {
        var golden = GoldenCase.Load("case6_exact_size");

        var (code, _, stderr) = await Run("preprocess", "--image", Path.Combine(TestPaths.Golden, "image4_256x192.png"), "--out", _temp);

        Assert.True(code == 0, stderr);
        Assert.Equal(golden.Npy("pixel_values.npy").AsFloat32(), NpyFile.Read(Path.Combine(_temp, "pixel_values.npy")).AsFloat32());
        Assert.Equal(golden.Npy("vision_pos_embed_idx_0.npy").AsInt64(), NpyFile.Read(Path.Combine(_temp, "vision_pos_embed_idx.npy")).AsInt64());
    }

    [Fact]
    public async Task Generate_FailsWithOneLineOnStderr_WhenImageIsCorrupt()
    {
        var corrupt = Path.Combine(_temp, "corrupt.png");
        await File.WriteAllBytesAsync(corrupt, "not a png at all"u8.ToArray());

        var (code, stdout, stderr) = await Run("generate", "--image", corrupt, "--prompt", "What is this?");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("qwenvl: ", line);
    }

    [Fact]
    public async Task Bench_ReportsKvReuseVisionCacheAndBatching_OnTinyModel()
    {
        var output = Path.Combine(_temp, "bench.json");

        var (code, stdout, stderr) = await Run("bench", "--model", TestPaths.TinyModel, "--threads", "1", "--runs", "1", "--new-tokens", "4",
            "--batch", "2", "--scenarios", "followup,concurrent-text", "--concurrency", "2", "--images", "64x64", "--out", output);

        Assert.True(code == 0, stderr + stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["first turn, image 64×64", "follow-up, image 64×64", "same image, new conversation 64×64"],
            rows.Select(r => r.GetProperty("scenario").GetString()));
        Assert.Equal(0, rows[0].GetProperty("reused_prompt_tokens").GetInt32());
        Assert.Equal(0, rows[0].GetProperty("cached_images").GetInt32());
        // The follow-up reuses at least the whole first prompt, and its image comes from the vision cache.
        Assert.True(rows[1].GetProperty("reused_prompt_tokens").GetInt32() >= rows[0].GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(1, rows[1].GetProperty("cached_images").GetInt32());
        Assert.Equal(1, rows[2].GetProperty("cached_images").GetInt32());
        var concurrent = Assert.Single(json.RootElement.GetProperty("concurrency").EnumerateArray());
        Assert.Equal(2, concurrent.GetProperty("concurrency").GetInt32());
        Assert.True(concurrent.GetProperty("mean_batch_size").GetDouble() >= 1);
    }

    [Theory]
    [InlineData("generate", "--max-new-tokens", "16")]
    [InlineData("generate", "--prompt", "hi", "--greedy", "--temperature", "0.5")]
    [InlineData("generate", "--prompt", "hi", "--max-new-tokens", "many")]
    [InlineData("frobnicate")]
    [InlineData("tokenize", "--text", "a", "--txet", "b")]
    public async Task Cli_ExitsWithUsageError_WhenArgumentsAreWrong(params string[] args)
    {
        var (code, _, stderr) = await Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith("qwenvl: ", stderr);
    }

    [Fact]
    public async Task Generate_FailsClearly_WhenModelFolderDoesNotExist()
    {
        var (code, _, stderr) = await Run("generate", "--model", Path.Combine(_temp, "nope"), "--prompt", "hi");

        Assert.Equal(1, code);
        Assert.Contains("does not exist", stderr);
    }

    /// <summary>The documented messages format: the golden conversation with image paths relative to the file.</summary>
    private string WriteMessagesFile(GoldenCase golden)
    {
        foreach (var image in Directory.GetFiles(TestPaths.Golden, "*.png"))
            File.Copy(image, Path.Combine(_temp, Path.GetFileName(image)), overwrite: true);
        var images = new Queue<string>(golden.Json.GetProperty("images").EnumerateArray().Select(i => i.GetString()!));
        var messages = golden.Json.GetProperty("messages").EnumerateArray().Select(m => new Dictionary<string, object>
        {
            ["role"] = m.GetProperty("role").GetString()!,
            ["content"] = m.GetProperty("content").ValueKind == JsonValueKind.String
                ? m.GetProperty("content").GetString()!
                : m.GetProperty("content").EnumerateArray().Select(p => p.GetProperty("type").GetString() == "image"
                    ? new Dictionary<string, string> { ["type"] = "image", ["image"] = images.Dequeue() }
                    : new Dictionary<string, string> { ["type"] = "text", ["text"] = p.GetProperty("text").GetString()! }).ToList(),
        });
        var path = Path.Combine(_temp, golden.Name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(messages));
        return path;
    }

    private async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepoRoot,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qwenvl.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
