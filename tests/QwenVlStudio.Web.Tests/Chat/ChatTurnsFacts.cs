using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Chat;

public sealed class ChatTurnsFacts : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    // Code points, not strings: xUnit passes theory strings through UTF-8, which turns a lone surrogate into U+FFFD.
    [Theory]
    [InlineData("hello {0}", 0xFFFE)]
    [InlineData("{0}", 0xFFFF)]
    [InlineData("a{0}b", 0xD800)]
    public void Post_RefusesTextThatIsNotValidUnicode_WithAClearMessage(string format, int badChar)
    {
        var turns = new ChatTurns(_db.Conversations, _db.Images);
        var owner = Guid.NewGuid();

        var error = Assert.Throws<ArgumentException>(() => turns.Post(owner, null, string.Format(format, (char)badChar), []));

        Assert.Contains($"U+{badChar:X4}", error.Message);
        Assert.Contains("not valid Unicode", error.Message);
        Assert.Empty(_db.Conversations.List(owner));
    }
}
