using System.Diagnostics;
using System.Runtime.CompilerServices;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference;

/// <summary>
/// A loaded Qwen3-VL package: tokenizer, chat template, image preprocessing and the three ONNX sessions.
/// Thread-safe: several conversations may generate at once (the host's scheduler bounds how many).
/// </summary>
public sealed class QwenVlModel : IGenerationEngine, IEngineStatistics, IDisposable
{
    private readonly ModelSessions _sessions;
    private readonly BatchingLoop? _batching;

    private QwenVlModel(ModelPackage package, QwenTokenizer tokenizer, ImagePreprocessor preprocessor, ModelSessions sessions, int contextLength,
        ModelLoadOptions options)
    {
        Package = package;
        Tokenizer = tokenizer;
        ImagePreprocessor = preprocessor;
        _sessions = sessions;
        ContextLength = contextLength;
        LoadOptions = options;
        VisionCache = new VisionFeatureCache(options.VisionCacheBytes);
        MemoryBudget = new MemoryBudget(options.MemoryBudgetBytes);
        PrefixCache = new PrefixCache(options.PrefixCacheBytes, options.PrefixCacheBytesPerOwner, package.Config.Tokens.ImagePad, options.ShareSystemPromptPrefixes);
        if (options.MaxBatchSize > 1)
            _batching = new BatchingLoop(sessions, PrefixCache, options.MaxBatchSize, contextLength);
    }

    public ModelPackage Package { get; }
    public QwenTokenizer Tokenizer { get; }
    public ImagePreprocessor ImagePreprocessor { get; }
    public string ModelName => Package.Name;
    public int ContextLength { get; }

    /// <summary>Vision features of images seen recently: a repeated image skips the vision encoder.</summary>
    public VisionFeatureCache VisionCache { get; }

    /// <summary>KV caches of finished answers: the next turn of a conversation prefills only its new tokens.</summary>
    public PrefixCache PrefixCache { get; }

    /// <summary>What the running requests' estimated memory may add up to (<see cref="ModelLoadOptions.MemoryBudgetBytes"/>).</summary>
    public MemoryBudget MemoryBudget { get; }

    /// <summary>Sequences decoded together in one decoder call; 1 = each request runs its own decode loop.</summary>
    public int MaxBatchSize => _batching?.MaxBatchSize ?? 1;

    /// <summary>What the batching loop did since load (zeros without batching).</summary>
    public BatchCounters BatchCounters => _batching?.Counters ?? BatchCounters.None;

    public EngineStatistics Statistics
    {
        get
        {
            var batch = BatchCounters;
            return new EngineStatistics(VisionCache.Stats, PrefixCache.Stats, PrefixCache.ReusedTokens, MaxBatchSize, batch.DecoderCalls, batch.Rows);
        }
    }

    /// <summary>What the model was loaded with (thread counts, caches, batch size).</summary>
    public ModelLoadOptions LoadOptions { get; }

    public static QwenVlModel Load(string packageDir, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        var package = ModelPackage.Load(packageDir);
        var tokenizer = QwenTokenizer.Load(package.Directory);
        CheckTokenizerAgreesWithConfig(tokenizer, package.Config);
        var preprocessor = CreatePreprocessor(package, options);
        if (options.MaxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxBatchSize must be ≥ 1");
        var sessions = new ModelSessions(package, options);
        int max = package.Config.Text.MaxPositionEmbeddings;
        int context = options.MaxContextTokens > 0 ? Math.Min(options.MaxContextTokens, max) : max;
        return new QwenVlModel(package, tokenizer, preprocessor, sessions, context, options);
    }

    public static QwenTokenizer LoadTokenizer(string packageDir) => QwenTokenizer.Load(ModelPackage.Load(packageDir).Directory);

    public static ImagePreprocessor LoadImagePreprocessor(string packageDir, ModelLoadOptions? options = null) =>
        CreatePreprocessor(ModelPackage.Load(packageDir), options ?? new ModelLoadOptions());

    /// <summary>The vision graph's position inputs for one preprocessed image (§4).</summary>
    public static VisionPositionInputs VisionInputs(PreprocessedImage image, ModelConfig config) =>
        VisionPositions.Compute(image.GridH, image.GridW, config.Vision.SpatialMergeSize, config.Vision.NumPositionEmbeddings);

    /// <summary>
    /// Formats and tokenizes the conversation and preprocesses its images, checks the prompt fits the context,
    /// and only then runs the vision encoder for each image not in <see cref="VisionCache"/> for
    /// <paramref name="owner"/> (a cache hit is seconds faster, so it is never served from another owner's images).
    /// </summary>
    public PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken = default) =>
        Prepare(messages, owner: null, cancellationToken);

    /// <inheritdoc cref="Prepare(IReadOnlyList{ChatMessage}, CancellationToken)"/>
    public PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages, string? owner, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) throw new InvalidPromptException("the conversation has no messages");
        var config = Package.Config;
        int merge = config.Vision.SpatialMergeSize;
        var images = messages.SelectMany(m => m.Images).Select(Preprocess).ToList();
        var ids = PromptTokens.Build(Tokenizer, messages, images.Select(i => i.MergedTokenCount(merge)).ToList());
        if (ids.Length >= ContextLength)
            throw new InvalidPromptException(
                $"the prompt is {ids.Length} tokens (text and images) but the context holds {ContextLength}; shorten the conversation or use fewer or smaller images");
        var positions = MropePositions.Compute(ids, images.Select(i => (i.GridT, i.GridH, i.GridW)).ToList(), config.Tokens.ImagePad, merge);

        var visionStart = Stopwatch.GetTimestamp();
        var features = new List<VisionFeatures>(images.Count);
        var keys = new List<ImageKey>(images.Count);
        int cached = 0;
        foreach (var image in images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = ImageKey.Of(image);
            features.Add(VisionCache.GetOrAdd(owner, key, () => EncodeImage(image), out bool hit));
            keys.Add(key);
            if (hit) cached++;
        }
        double visionMs = images.Count > 0 ? Stopwatch.GetElapsedTime(visionStart).TotalMilliseconds : 0;
        return new PreparedPrompt(ids, features, positions, visionMs)
        {
            ImageKeys = keys,
            CachedImages = cached,
            SystemPrefixLength = messages[0].Role == ChatRole.System ? SystemTurnLength(ids) : 0,
        };
    }

    /// <summary>
    /// The first turn's length: through its <c>&lt;|im_end|&gt;</c> and the newline token after it. Message text can
    /// no longer spell <c>&lt;|im_end|&gt;</c> (it is tokenized as plain text), so the first one ends the turn.
    /// </summary>
    private int SystemTurnLength(int[] ids)
    {
        int end = Array.IndexOf(ids, Tokenizer.ImEnd);
        return end < 0 || end + 2 > ids.Length ? 0 : end + 2;
    }

    /// <summary>Runs the vision encoder on one preprocessed image.</summary>
    public VisionFeatures EncodeImage(PreprocessedImage image)
    {
        if (image.PatchRowLength != Package.Config.Vision.PatchRowLength)
            throw new ImageRejectedException($"the image has patch rows of {image.PatchRowLength} values; this model needs {Package.Config.Vision.PatchRowLength}");
        var inputs = VisionInputs(image, Package.Config);
        return _sessions.Vision.Encode(image.PixelValues, image.NumPatches, inputs.PosEmbedIdx, inputs.PosEmbedWeight, inputs.RotaryPosIds);
    }

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        CancellationToken cancellationToken = default) => GenerateAsync(messages, options, RequestContext.Default, cancellationToken);

    public async IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        RequestContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ValidateOptions(options);
        ArgumentNullException.ThrowIfNull(context);
        var start = Stopwatch.GetTimestamp();
        var prompt = await Task.Run(() => Prepare(messages, context.Owner, cancellationToken), cancellationToken).ConfigureAwait(false);
        await foreach (var e in Generate(prompt, options, context, start, cancellationToken).ConfigureAwait(false))
            yield return e;
    }

    /// <summary>Generates from an already prepared prompt (tests feed the reference's own inputs this way).</summary>
    public IAsyncEnumerable<GenerationEvent> GenerateAsync(PreparedPrompt prompt, GenerationOptions options, CancellationToken cancellationToken = default) =>
        GenerateAsync(prompt, options, RequestContext.Default, cancellationToken);

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(PreparedPrompt prompt, GenerationOptions options, RequestContext context,
        CancellationToken cancellationToken = default)
    {
        ValidateOptions(options);
        ArgumentNullException.ThrowIfNull(context);
        return Generate(prompt, options, context, Stopwatch.GetTimestamp(), cancellationToken);
    }

    private IAsyncEnumerable<GenerationEvent> Generate(PreparedPrompt prompt, GenerationOptions options, RequestContext context, long start,
        CancellationToken cancellationToken)
    {
        if (prompt.Ids.Length >= ContextLength)
            throw new InvalidPromptException($"the prompt is {prompt.Ids.Length} tokens but the context holds {ContextLength}");
        var text = new DetokenizerStream(Tokenizer.CreateDetokenizer(skipSpecialTokens: true));
        var request = new SequenceRequest(prompt, options, text, context, start);
        long bytes = MemoryEstimate.Bytes(Package.Config.Text, prompt.Ids.Length, options.MaxNewTokens, prompt.Images.Sum(i => i.SizeInBytes));
        return Admitted(bytes, () => _batching is null
            ? GenerationLoop.RunAsync(_sessions, request, ContextLength, PrefixCache, cancellationToken)
            : _batching.RunAsync(request, cancellationToken), cancellationToken);
    }

    /// <summary>Runs <paramref name="run"/> holding a reservation of its estimated memory for as long as it streams.</summary>
    private async IAsyncEnumerable<GenerationEvent> Admitted(long bytes, Func<IAsyncEnumerable<GenerationEvent>> run,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lease = MemoryBudget.Reserve(bytes);
        await foreach (var e in run().WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return e;
    }

    private PreprocessedImage Preprocess(ImageContent image) =>
        image.Preprocessed ?? ImagePreprocessor.Preprocess(image.Encoded ?? throw new ImageRejectedException("an image part has no data"));

    private static void ValidateOptions(GenerationOptions options)
    {
        if (options.MaxNewTokens < 0) throw new InvalidPromptException("max_new_tokens must be ≥ 0");
        if (options.MinNewTokens < 0 || options.MinNewTokens > options.MaxNewTokens)
            throw new InvalidPromptException("min_new_tokens must be between 0 and max_new_tokens");
        if (options.DoSample && !(options.Temperature > 0))
            throw new InvalidPromptException("temperature must be > 0 when sampling");
        if (!(options.TopP > 0 && options.TopP <= 1)) throw new InvalidPromptException("top_p must be in (0, 1]");
        if (options.TopK < 0) throw new InvalidPromptException("top_k must be ≥ 0");
        if (!(options.RepetitionPenalty > 0)) throw new InvalidPromptException("repetition_penalty must be > 0");
    }

    private static ImagePreprocessor CreatePreprocessor(ModelPackage package, ModelLoadOptions options)
    {
        var settings = ImagePreprocessorOptions.FromPreprocessorConfig(package.PreprocessorConfigPath);
        if (options.MinImagePixels is int min) settings = settings with { MinPixels = min };
        if (options.MaxImagePixels is int max) settings = settings with { MaxPixels = max };
        var vision = package.Config.Vision;
        if (settings.PatchSize != vision.PatchSize || settings.MergeSize != vision.SpatialMergeSize || settings.TemporalPatchSize != vision.TemporalPatchSize)
            throw new ModelPackageException("preprocessor_config.json's patch/merge/temporal sizes differ from config.json's vision_config");
        return new ImagePreprocessor(settings);
    }

    private static void CheckTokenizerAgreesWithConfig(QwenTokenizer tokenizer, ModelConfig config)
    {
        var t = config.Tokens;
        if (tokenizer.ImagePad != t.ImagePad || tokenizer.VisionStart != t.VisionStart || tokenizer.VisionEnd != t.VisionEnd)
            throw new ModelPackageException(
                $"tokenizer.json's <|image_pad|>/<|vision_start|>/<|vision_end|> ids ({tokenizer.ImagePad}/{tokenizer.VisionStart}/{tokenizer.VisionEnd}) differ from config.json's ({t.ImagePad}/{t.VisionStart}/{t.VisionEnd})");
        if (tokenizer.VocabSize > config.Text.VocabSize)
            throw new ModelPackageException($"the tokenizer has {tokenizer.VocabSize} tokens but the model's vocabulary is {config.Text.VocabSize}");
    }

    public void Dispose()
    {
        _batching?.Dispose();
        PrefixCache.Dispose();
        _sessions.Dispose();
    }

    private sealed class DetokenizerStream(IncrementalDetokenizer detokenizer) : ITokenTextStream
    {
        public string Append(int tokenId) => detokenizer.Append(tokenId);

        public string Flush() => detokenizer.Flush();
    }
}
