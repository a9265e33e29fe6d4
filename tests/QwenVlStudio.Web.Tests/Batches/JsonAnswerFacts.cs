using QwenVlStudio.Web.Batches;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class JsonAnswerFacts
{
    [Theory]
    [InlineData("{\"label\":\"cat\"}", "{\"label\":\"cat\"}")]
    [InlineData("  [1, 2, 3]\n", "[1, 2, 3]")]
    [InlineData("```json\n{\"a\": 1}\n```", "{\"a\": 1}")]
    [InlineData("```\n\"text\"\n```", "\"text\"")]
    public void Extract_ReturnsTheJson_WithoutFenceOrSpace(string answer, string expected)
    {
        Assert.Equal(expected, JsonAnswer.Extract(answer, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("Fake answer: word1 word2")]
    [InlineData("{\"unterminated\": ")]
    [InlineData("")]
    public void Extract_SaysWhy_WhenTheAnswerIsNotJson(string answer)
    {
        Assert.Null(JsonAnswer.Extract(answer, out var error));
        Assert.StartsWith("The answer is not valid JSON", error);
    }
}
