using System.Text;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Export;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class CsvWriterFacts
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\r\nlf", "\"cr\r\nlf\"")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Field_QuotesOnlyWhenNeeded_AndDoublesQuotes(string? value, string expected) =>
        Assert.Equal(expected, CsvWriter.Field(value));

    [Fact]
    public void Field_KeepsUnicodeAsIs()
    {
        const string text = "猫が座っている 🐈 — naïve café, Ελληνικά";
        Assert.Equal("\"" + text + "\"", CsvWriter.Field(text));
        Assert.Equal("ok🐈", CsvWriter.Field("ok🐈"));
    }

    [Fact]
    public void Record_EndsWithCrLf_AndJoinsWithCommas() =>
        Assert.Equal("a,\"b,c\",,d\r\n", CsvWriter.Record(["a", "b,c", null, "d"]));

    [Fact]
    public async Task WriteCsv_WritesBomHeaderAndOneRecordPerItem_ThatAParserReadsBack()
    {
        var batch = new BatchRecord { Id = Guid.NewGuid(), Name = "Tiere", Prompt = "Was ist das, \"genau\"?" };
        var items = new[]
        {
            new BatchItemRecord { Index = 0, FileName = "katze,1.png", Status = BatchItemStatus.Done, Answer = "Eine Katze.\nSie schläft. 🐈", PromptTokens = 40, GeneratedTokens = 9, TotalMs = 1234.56 },
            new BatchItemRecord { Index = 1, FileName = "broken.png", Status = BatchItemStatus.Failed, Error = "The PNG image is truncated" },
        };
        using var output = new MemoryStream();

        await BatchExport.WriteCsvAsync(output, batch, items, CancellationToken.None);

        var bytes = output.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var records = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(3, records.Count);
        Assert.Equal(BatchResultRow.Columns, records[0]);
        var first = Row(records, 1);
        Assert.Equal("katze,1.png", first["file_name"]);
        Assert.Equal("done", first["status"]);
        Assert.Equal("Was ist das, \"genau\"?", first["prompt"]);
        Assert.Equal("Eine Katze.\nSie schläft. 🐈", first["answer"]);
        Assert.Equal("9", first["generated_tokens"]);
        Assert.Equal("1234.6", first["total_ms"]);
        var second = Row(records, 2);
        Assert.Equal("failed", second["status"]);
        Assert.Equal("The PNG image is truncated", second["error"]);
        Assert.Equal("", second["answer"]);
    }

    private static Dictionary<string, string> Row(List<List<string>> records, int index) =>
        records[0].Zip(records[index]).ToDictionary(p => p.First, p => p.Second);

    /// <summary>A strict RFC 4180 reader, written independently of the writer.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                Assert.False(c is '\r' or '\n' or '"', $"unquoted {(int)c} at {i}");
                field.Append(c);
            }
        }

        Assert.False(quoted, "unterminated quote");
        Assert.Equal(0, field.Length + record.Count);
        return records;
    }
}
