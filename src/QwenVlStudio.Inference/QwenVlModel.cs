using System.Diagnostics;
using System.Runtime.CompilerServices;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Generation.Engine;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference;

/// <summary>
/// A loaded Qwen3-VL package: tokenizer, chat template, image preprocessing, the three ONNX sessions and the
/// engine core (<see cref="EngineLoop"/>: one queue, one loop thread that owns the decoder). Thread-safe: any number
/// of callers may generate at once; the loop decides who runs.
/// </summary>
public sealed class QwenVlModel : IGenerationEngine, IEngineStatistics, IDisposable
{
    private readonly ModelSessions _sessions;
    private readonly IDecodeBatch _batch;
    private readonly EngineLoop _loop;
    private readonly Lazy<TokenVocabulary> _vocabulary;

    private QwenVlModel(ModelPackage package, QwenTokenizer tokenizer, ImagePreprocessor preprocessor, ModelSessions sessions, int contextLength,
        ModelLoadOptions options)
    {
        Package = package;
        Tokenizer = tokenizer;
        ImagePreprocessor = preprocessor;
        _sessions = sessions;
        ContextLength = contextLength;
        LoadOptions = options;
        // Built on the first constrained request only: unconstrained serving never pays for the vocabulary trie.
        _vocabulary = new Lazy<TokenVocabulary>(() => new TokenVocabulary(tokenizer, package.Config.Tokens.Eos));
        VisionCache = new VisionFeatureCache(options.VisionCacheBytes);
        MemoryBudget = new MemoryBudget(options.MemoryBudgetBytes);
        PrefixCache = new PrefixCache(options.PrefixCacheBytes, options.PrefixCacheBytesPerOwner, package.Config.Tokens.ImagePad, options.ShareSystemPromptPrefixes);
        _batch = sessions.Format == GraphFormat.Fused
            ? new KvPoolDecodeBatch(sessions, options.MaxRunningSequences,
                options.KvCapacityTokens > 0 ? Math.Min(options.KvCapacityTokens, contextLength) : contextLength, options.PrefillChunkTokens)
            : new LegacyDecodeBatch(sessions, options.MaxRunningSequences, contextLength);
        _loop = new EngineLoop(_batch, EngineLoopPolicy.From(options), PrefixCache, package.Config.Tokens.Eos, contextLength);
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

    /// <summary>Most sequences fed through one decoder call.</summary>
    public int MaxBatchSize => LoadOptions.MaxBatchSize;

    /// <summary>What the engine loop's decode steps did since load, and the KV copies made when rows regrouped.</summary>
    public BatchCounters BatchCounters
    {
        get
        {
            var (steps, rows) = _loop.Counters;
            var (reshapes, reshapeMs) = _batch is LegacyDecodeBatch legacy ? legacy.Reshapes : (0L, 0.0);
            return new BatchCounters(steps, rows, reshapes, reshapeMs);
        }
    }

    /// <summary>Running and queued requests now.</summary>
    public EngineLoad CurrentLoad => _loop.Load;

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
        options.ThrowIfInvalid();
        var preprocessor = CreatePreprocessor(package, options);
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
    /// and only then runs the vision encoder for each image not in <see cref="VisionCache"/> for the request's owner
    /// (a cache hit is seconds faster, so it is never served from another owner's images; this overload has none).
    /// </summary>
    public PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken = default) =>
        Prepare(messages, owner: null, cancellationToken);

    /// <inheritdoc cref="Prepare(IReadOnlyList{ChatMessage}, CancellationToken)"/>
    public PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages, string? owner, CancellationToken cancellationToken = default) =>
        EncodeVision(Plan(messages), owner, cancellationToken);

    /// <summary>Tokens, preprocessed images and positions of the conversation: everything before the vision encoder.</summary>
    /// <exception cref="ContextLengthExceededException">The prompt does not fit the context.</exception>
    private PromptPlan Plan(IReadOnlyList<ChatMessage> messages)
    {
        if (messages.Count == 0) throw new InvalidPromptException("the conversation has no messages");
        var config = Package.Config;
        int merge = config.Vision.SpatialMergeSize;
        var images = messages.SelectMany(m => m.Images).Select(Preprocess).ToList();
        var ids = PromptTokens.Build(Tokenizer, messages, images.Select(i => i.MergedTokenCount(merge)).ToList());
        CheckFits(ids.Length);
        var positions = MropePositions.Compute(ids, images.Select(i => (i.GridT, i.GridH, i.GridW)).ToList(), config.Tokens.ImagePad, merge);
        return new PromptPlan(ids, images, positions, messages[0].Role == ChatRole.System);
    }

    /// <summary>Vision features of the plan's images (from the cache, or the encoder): the prompt the decoder takes.</summary>
    private PreparedPrompt EncodeVision(PromptPlan plan, string? owner, CancellationToken cancellationToken)
    {
        var visionStart = Stopwatch.GetTimestamp();
        var features = new List<VisionFeatures>(plan.Images.Count);
        var keys = new List<ImageKey>(plan.Images.Count);
        int cached = 0;
        foreach (var image in plan.Images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = ImageKey.Of(image);
            features.Add(VisionCache.GetOrAdd(owner, key, () => EncodeImage(image), out bool hit));
            keys.Add(key);
            if (hit) cached++;
        }
        double visionMs = plan.Images.Count > 0 ? Stopwatch.GetElapsedTime(visionStart).TotalMilliseconds : 0;
        return new PreparedPrompt(plan.Ids, features, plan.Positions, visionMs)
        {
            ImageKeys = keys,
            CachedImages = cached,
            SystemPrefixLength = plan.SystemTurn ? SystemTurnLength(plan.Ids) : 0,
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

    private void CheckFits(int promptTokens)
    {
        if (promptTokens >= ContextLength)
            throw new ContextLengthExceededException(promptTokens, ContextLength,
                $"the prompt is {promptTokens} tokens (text and images) but the context holds {ContextLength}; shorten the conversation or use fewer or smaller images");
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

    /// <summary>
    /// Tokenizes and preprocesses on the caller's thread (bad input throws before anything is queued), then queues
    /// the request; once admitted, its images are encoded off the engine loop's thread and it is prefilled and
    /// decoded by the loop. The stream starts with the queue's Queued / Started events.
    /// </summary>
    public async IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        RequestContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GenerationOptionsValidator.Validate(options);
        ArgumentNullException.ThrowIfNull(context);
        var start = Stopwatch.GetTimestamp();
        // Decoding and resizing a large image takes a while: not on the caller's (perhaps a request's) thread.
        var plan = await Task.Run(() => Plan(messages), cancellationToken).ConfigureAwait(false);
        var submission = new EngineSubmission(options, NewTextStream(), context, start, null, ct => EncodeVision(plan, context.Owner, ct))
        {
            Constraint = StartConstraint(options),
        };
        long bytes = MemoryEstimate.Bytes(Package.Config.Text, plan.Ids.Length, options.MaxNewTokens, ImageFeatureBytes(plan));
        await foreach (var e in Admitted(bytes, () => _loop.RunAsync(submission, cancellationToken), cancellationToken).ConfigureAwait(false))
            yield return e;
    }

    /// <summary>Generates from an already prepared prompt (tests feed the reference's own inputs this way).</summary>
    public IAsyncEnumerable<GenerationEvent> GenerateAsync(PreparedPrompt prompt, GenerationOptions options, CancellationToken cancellationToken = default) =>
        GenerateAsync(prompt, options, RequestContext.Default, cancellationToken);

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(PreparedPrompt prompt, GenerationOptions options, RequestContext context,
        CancellationToken cancellationToken = default)
    {
        GenerationOptionsValidator.Validate(options);
        ArgumentNullException.ThrowIfNull(context);
        CheckFits(prompt.Ids.Length);
        var submission = EngineSubmission.Ready(prompt, options, NewTextStream(), context, Stopwatch.GetTimestamp()) with { Constraint = StartConstraint(options) };
        long bytes = MemoryEstimate.Bytes(Package.Config.Text, prompt.Ids.Length, options.MaxNewTokens, prompt.Images.Sum(i => i.SizeInBytes));
        return Admitted(bytes, () => _loop.RunAsync(submission, cancellationToken), cancellationToken);
    }

    /// <summary>This request's own cursor through its JSON constraint; the vocabulary trie is built on first use.</summary>
    private ConstraintCursor? StartConstraint(GenerationOptions options) => options.Constraint?.Start(_vocabulary.Value);

    private DetokenizerStream NewTextStream() => new(Tokenizer.CreateDetokenizer(skipSpecialTokens: true));

    /// <summary>Bytes the plan's image and DeepStack features will take (known before the encoder runs).</summary>
    private long ImageFeatureBytes(PromptPlan plan)
    {
        long tokens = plan.Ids.Count(id => id == Package.Config.Tokens.ImagePad);
        return tokens * Package.Config.Text.HiddenSize * (1 + Package.Config.Vision.DeepstackCount) * sizeof(float);
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
        _loop.Dispose(); // joins the loop thread and frees the batch's KV
        PrefixCache.Dispose();
        _sessions.Dispose();
    }

    private sealed class DetokenizerStream(IncrementalDetokenizer detokenizer) : ITokenTextStream
    {
        public string Append(int tokenId) => detokenizer.Append(tokenId);

        public string Flush() => detokenizer.Flush();
    }
}
