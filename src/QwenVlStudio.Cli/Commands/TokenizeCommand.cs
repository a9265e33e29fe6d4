using System.Text.Json;
using QwenVlStudio.Inference;

namespace QwenVlStudio.Cli.Commands;

/// <summary>qwenvl tokenize: the ids of a text, as the engine's tokenizer produces them.</summary>
internal static class TokenizeCommand
{
    public const string Usage = "qwenvl tokenize [--model DIR] --text TEXT";

    public static int Run(CliArguments args, TextWriter stdout)
    {
        var modelPath = ModelLocator.Resolve(args.Value("model"));
        var text = args.Required("text");
        args.RejectUnknown();
        var tokenizer = QwenVlModel.LoadTokenizer(modelPath);
        stdout.WriteLine(JsonSerializer.Serialize(new { ids = tokenizer.Encode(text) }, CliJson.Options));
        return 0;
    }
}
