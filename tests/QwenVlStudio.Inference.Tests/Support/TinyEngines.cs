namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>The tiny-model engines the fixtures load, defined once: one thread each, so test classes can run side by side.</summary>
public static class TinyEngines
{
    /// <summary>The engine as the server runs it (caches on), optionally with other options on top.</summary>
    public static QwenVlModel Load(Func<ModelLoadOptions, ModelLoadOptions>? adjust = null) =>
        QwenVlModel.Load(TestPaths.TinyModel, (adjust ?? (o => o))(new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1 }));

    /// <summary>The plain engine: no vision cache, no prefix cache, one sequence per decoder call; the baseline comparisons run against.</summary>
    public static QwenVlModel LoadPlain() => Load(o => o with { VisionCacheBytes = 0, PrefixCacheBytes = 0 });
}
