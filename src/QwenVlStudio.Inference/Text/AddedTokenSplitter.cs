using System.Buffers;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// Cuts raw text at every occurrence of an added token, the first step of HF tokenizers' encoding: scanning left to
/// right, the leftmost occurrence wins and, among tokens starting there, the longest.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly SearchValues<string> _anyToken;
    private readonly AddedToken[] _longestFirst;

    public AddedTokenSplitter(IReadOnlyCollection<AddedToken> tokens)
    {
        _longestFirst = [.. tokens.OrderByDescending(t => t.Content.Length)];
        _anyToken = SearchValues.Create([.. tokens.Select(t => t.Content)], StringComparison.Ordinal);
    }

    /// <summary>A piece of the input: plain text (<see cref="Token"/> null) or one added token.</summary>
    public readonly record struct Segment(int Start, int Length, AddedToken? Token);

    public List<Segment> Split(string text)
    {
        var segments = new List<Segment>();
        int position = 0;
        while (position < text.Length)
        {
            int found = _longestFirst.Length == 0 ? -1 : text.AsSpan(position).IndexOfAny(_anyToken);
            if (found < 0)
            {
                segments.Add(new Segment(position, text.Length - position, null));
                break;
            }

            int start = position + found;
            if (found > 0)
                segments.Add(new Segment(position, found, null));
            var token = LongestAt(text.AsSpan(start));
            segments.Add(new Segment(start, token.Content.Length, token));
            position = start + token.Content.Length;
        }
        return segments;
    }

    private AddedToken LongestAt(ReadOnlySpan<char> text)
    {
        foreach (var token in _longestFirst)
        {
            if (text.StartsWith(token.Content, StringComparison.Ordinal))
                return token;
        }
        throw new InvalidOperationException("SearchValues reported a match that no added token starts");
    }
}
