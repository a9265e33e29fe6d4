using Microsoft.ML.Tokenizers;

namespace QwenVlStudio.Inference.Text;

/// <summary>Plugs <see cref="QwenPreTokenization"/> into Microsoft.ML.Tokenizers' BPE model.</summary>
internal sealed class QwenPreTokenizer : PreTokenizer
{
    public static QwenPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        QwenPreTokenization.Split(text, pieces);
        return pieces;
    }
}
