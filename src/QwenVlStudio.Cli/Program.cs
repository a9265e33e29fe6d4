using QwenVlStudio.Cli;
using QwenVlStudio.Cli.Commands;
using QwenVlStudio.Inference;

// qwenvl: the engine from the command line. Errors are one line on stderr and a non-zero exit code.
const string Usage = "usage:\n  " + GenerateCommand.Usage + "\n  " + TokenizeCommand.Usage + "\n  " + PreprocessCommand.Usage
    + "\n  " + MakeWeightsCommand.Usage + "\n  " + BenchCommand.Usage + "\n  " + DecodeBenchCommand.Usage;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var rest = args.Skip(1);
    return args[0] switch
    {
        "generate" => await GenerateCommand.RunAsync(new CliArguments(rest, GenerateCommand.Flags), Console.Out, cancel.Token),
        "tokenize" => TokenizeCommand.Run(new CliArguments(rest, new HashSet<string>()), Console.Out),
        "preprocess" => PreprocessCommand.Run(new CliArguments(rest, new HashSet<string>()), Console.Out),
        "bench" => await BenchCommand.RunAsync(new CliArguments(rest, new HashSet<string>()), Console.Out, cancel.Token),
        "bench-decode" => DecodeBenchCommand.Run(new CliArguments(rest, new HashSet<string>()), Console.Out),
        "make-weights" => MakeWeightsCommand.Run(new CliArguments(rest, new HashSet<string>()), Console.Out, cancel.Token),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"qwenvl: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (QwenVlException e)
{
    Console.Error.WriteLine($"qwenvl: {e.Message}");
    return 1;
}
catch (IOException e)
{
    Console.Error.WriteLine($"qwenvl: {e.Message}");
    return 1;
}
