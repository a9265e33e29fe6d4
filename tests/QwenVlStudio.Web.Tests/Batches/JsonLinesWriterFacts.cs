using System.Text;
using System.Text.Json;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Export;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class JsonLinesWriterFacts
{
    [Fact]
    public async Task WriteJsonLines_WritesOneObjectPerLine_WithUnicodeAndLineBreaksIntact()
    {
        var batch = new BatchRecord { Id = Guid.NewGuid(), Name = "x", Prompt = "说明这张图片" };
        var items = new[]
        {
            new BatchItemRecord { Index = 0, FileName = "猫.png", Status = BatchItemStatus.Done, Answer = "line one\nline \"two\" 🐈", GeneratedTokens = 7, StartedUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) },
            new BatchItemRecord { Index = 1, FileName = "bad.txt", Status = BatchItemStatus.Failed, Error = "This is not an image" },
        };
        using var output = new MemoryStream();

        await BatchExport.WriteJsonLinesAsync(output, batch, items, CancellationToken.None);

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.False(text.StartsWith('\uFEFF'), "JSON Lines has no byte-order mark");
        Assert.EndsWith("\n", text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("猫.png", lines[0]); // written as itself, not \u escapes (emoji come back through the parser below)

        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("猫.png", first.RootElement.GetProperty("file_name").GetString());
        Assert.Equal("说明这张图片", first.RootElement.GetProperty("prompt").GetString());
        Assert.Equal("line one\nline \"two\" 🐈", first.RootElement.GetProperty("answer").GetString());
        Assert.Equal(7, first.RootElement.GetProperty("generated_tokens").GetInt32());
        Assert.Equal("done", first.RootElement.GetProperty("status").GetString());
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), first.RootElement.GetProperty("started_utc").GetDateTime().ToUniversalTime());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("This is not an image", second.RootElement.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("answer").ValueKind);
    }

    [Fact]
    public void FileName_KeepsOnlySafeCharacters()
    {
        var batch = new BatchRecord { Id = Guid.Parse("0123456789abcdef0123456789abcdef"), Name = "../Fotos: Sommer 2026/" };
        Assert.Equal("Fotos--Sommer-2026-01234567.csv", BatchExport.FileName(batch, "csv"));
        Assert.Equal("batch-01234567.jsonl", BatchExport.FileName(new BatchRecord { Id = batch.Id, Name = "猫" }, "jsonl"));
    }
}
