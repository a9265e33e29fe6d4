using System.Diagnostics;
using QwenVlStudio.Cli.Bench;
using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Cli.Commands;

/// <summary>
/// qwenvl bench-decode: times <see cref="ImageDecoder.Decode"/> (header check, decode, alpha, EXIF) on fixed files,
/// no model needed. Figures, not pass/fail: it is how a decoder change is compared before and after.
/// </summary>
internal static class DecodeBenchCommand
{
    public const string Usage =
        "qwenvl bench-decode [--files A.jpg,B.png,...] [--images 1024x768,4032x3024] [--runs N] [--save-inputs DIR]\n" +
        "             without --files: the bench pictures of --images as PNG and JPEG (quality 90)";

    public static int Run(CliArguments args, TextWriter stdout)
    {
        var files = args.Value("files")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = (args.Value("images") ?? "1024x768,4032x3024").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int runs = args.Int("runs", 1) ?? 10;
        var saveInputs = args.Value("save-inputs");
        args.RejectUnknown();

        var inputs = files is not null
            ? files.Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f))).ToList()
            : sizes.Select(BenchCommand.ParseSize).SelectMany(s => new[]
            {
                (Name: $"bench_{s.W}x{s.H}.png", Bytes: BenchImages.Png(s.W, s.H)),
                (Name: $"bench_{s.W}x{s.H}.jpg", Bytes: BenchImages.Jpeg(s.W, s.H, quality: 90)),
            }).ToList();
        if (saveInputs is not null)
        {
            Directory.CreateDirectory(saveInputs);
            foreach (var (name, bytes) in inputs)
                File.WriteAllBytes(Path.Combine(saveInputs, name), bytes);
        }

        var decoder = new ImageDecoder(new ImagePreprocessorOptions());
        stdout.WriteLine($"| file | bytes | size | runs | decode ms (min / median) | Mpixel/s (best) |");
        stdout.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, bytes) in inputs)
        {
            var image = decoder.Decode(bytes); // warm-up; also the size shown
            var times = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                var watch = Stopwatch.StartNew();
                decoder.Decode(bytes);
                times[r] = watch.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            double median = times[runs / 2];
            stdout.WriteLine($"| {name} | {bytes.Length:N0} | {image.Width}×{image.Height} | {runs} | {times[0]:F1} / {median:F1} | {(double)image.Width * image.Height / 1e3 / times[0]:F1} |");
        }
        return 0;
    }
}
