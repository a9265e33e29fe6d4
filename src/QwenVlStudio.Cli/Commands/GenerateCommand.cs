using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Cli.Commands;

/// <summary>qwenvl generate: one answer to a prompt (with images) or a messages file, streamed or as JSON.</summary>
internal static class GenerateCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "greedy", "json" };

    public const string Usage =
        "qwenvl generate [--model DIR] (--prompt TEXT [--image PATH]... [--system TEXT] | --messages FILE.json)\n" +
        "                [--max-new-tokens N] [--min-new-tokens N] [--greedy | --temperature T --top-p P --top-k K --seed S]\n" +
        "                [--repetition-penalty R] [--stop TEXT]... [--threads N] [--json]";

    public static async Task<int> RunAsync(CliArguments args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var modelPath = ModelLocator.Resolve(args.Value("model"));
        var messages = ReadConversation(args);
        var options = ReadOptions(args);
        int threads = args.Int("threads", 0) ?? 0;
        bool json = args.Flag("json");
        args.RejectUnknown();

        using var model = QwenVlModel.Load(modelPath, new ModelLoadOptions { VisionThreads = threads, DecoderThreads = threads });
        var ids = new List<int>();
        var text = new System.Text.StringBuilder();
        GenerationEvent? last = null;
        await foreach (var e in model.GenerateAsync(messages, options, cancellationToken))
        {
            if (e.IsProgress) continue; // the engine queue's Queued / Started events
            if (e.TokenId is int id) ids.Add(id);
            text.Append(e.TextDelta);
            if (!json && e.TextDelta.Length > 0)
            {
                await stdout.WriteAsync(e.TextDelta);
                await stdout.FlushAsync(cancellationToken);
            }
            last = e;
        }
        var stats = last!.Stats;
        if (json)
        {
            var result = new
            {
                prompt_tokens = stats.PromptTokens,
                generated_ids = ids,
                text = text.ToString(),
                finish_reason = last.FinishReason switch
                {
                    FinishReason.Stop => "stop",
                    FinishReason.Length => "length",
                    _ => "cancelled",
                },
                timings = new
                {
                    vision_ms = stats.VisionMs,
                    prefill_ms = stats.PrefillMs,
                    ttft_ms = stats.TimeToFirstTokenMs,
                    decode_tokens_per_s = stats.DecodeTokensPerSecond,
                },
            };
            await stdout.WriteLineAsync(JsonSerializer.Serialize(result, CliJson.Options));
        }
        else
        {
            await stdout.WriteLineAsync();
        }
        return last.FinishReason == FinishReason.Cancelled ? 130 : 0;
    }

    private static IReadOnlyList<ChatMessage> ReadConversation(CliArguments args)
    {
        var messagesFile = args.Value("messages");
        var prompt = args.Value("prompt");
        var images = args.Values("image");
        var system = args.Value("system");
        if (messagesFile is not null)
        {
            if (prompt is not null || images.Count > 0 || system is not null)
                throw new UsageException("--messages cannot be combined with --prompt, --image or --system");
            return MessagesFile.Load(messagesFile);
        }
        if (prompt is null) throw new UsageException("give --prompt TEXT or --messages FILE.json");
        var conversation = new List<ChatMessage>();
        if (system is not null) conversation.Add(ChatMessage.System(system));
        var imageParts = images.Select(path => File.Exists(path)
            ? ImageContent.FromFile(path)
            : throw new UsageException($"image '{path}' does not exist")).ToArray();
        conversation.Add(ChatMessage.User(prompt, imageParts));
        return conversation;
    }

    private static string CliName(string field) => field switch
    {
        "max_tokens" => "max-new-tokens",
        "min_tokens" => "min-new-tokens",
        "stop" => "stop",
        _ => field.Replace('_', '-'),
    };

    private static GenerationOptions ReadOptions(CliArguments args)
    {
        bool greedy = args.Flag("greedy");
        var temperature = args.Float("temperature");
        var topP = args.Float("top-p");
        var topK = args.Int("top-k", 0);
        var seed = args.Value("seed");
        bool sample = temperature is not null || topP is not null || topK is not null || seed is not null;
        if (greedy && sample)
            throw new UsageException("--greedy cannot be combined with --temperature, --top-p, --top-k or --seed");
        var options = new GenerationOptions
        {
            MaxNewTokens = args.Int("max-new-tokens", 0) ?? 256,
            MinNewTokens = args.Int("min-new-tokens", 0) ?? 0,
            DoSample = sample,
            Temperature = temperature ?? 1f,
            TopP = topP ?? 1f,
            TopK = topK ?? 0,
            RepetitionPenalty = args.Float("repetition-penalty") ?? 1f,
            Seed = seed is null ? null
                : long.TryParse(seed, out var s) ? s : throw new UsageException($"--seed must be an integer, got '{seed}'"),
            StopStrings = args.Values("stop"),
        };
        try
        {
            // The engine's one validator and limits (temperature 0–2, 0 = greedy), named as the CLI spells them.
            GenerationOptionsValidator.Validate(options);
        }
        catch (InvalidGenerationOptionException e)
        {
            throw new UsageException($"--{CliName(e.Field)}: {e.Message}");
        }
        return options;
    }
}
