using QwenVlStudio.Inference.Tests.Support;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Tests.Text;

/// <summary>The embedded package's tokenizer, loaded once for all text tests (the file is 11 MB).</summary>
internal static class TinyTokenizer
{
    private static readonly Lazy<QwenTokenizer> Shared = new(() => QwenTokenizer.Load(TestPaths.TinyModel));

    public static QwenTokenizer Instance => Shared.Value;
}
