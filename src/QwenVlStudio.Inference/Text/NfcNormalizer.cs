using System.Text;
using Microsoft.ML.Tokenizers;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// The tokenizer.json normalizer: Unicode NFC. Lone UTF-16 surrogates cannot be encoded to UTF-8 (and make
/// <see cref="string.Normalize(NormalizationForm)"/> throw), so each one is replaced by U+FFFD first, as a UTF-8
/// encoder would do.
/// </summary>
internal sealed class NfcNormalizer : Normalizer
{
    public static NfcNormalizer Instance { get; } = new();

    public override string Normalize(string original) => ToNfc(original);

    public override string Normalize(ReadOnlySpan<char> original) => ToNfc(original.ToString());

    public static string ToNfc(string text)
    {
        string valid = ReplaceLoneSurrogates(text);
        return valid.IsNormalized(NormalizationForm.FormC) ? valid : valid.Normalize(NormalizationForm.FormC);
    }

    public static string ReplaceLoneSurrogates(string text)
    {
        int firstBad = FirstLoneSurrogate(text);
        if (firstBad < 0)
            return text;

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, firstBad);
        for (int i = firstBad; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return builder.ToString();
    }

    private static int FirstLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
                continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else
                return i;
        }
        return -1;
    }
}
