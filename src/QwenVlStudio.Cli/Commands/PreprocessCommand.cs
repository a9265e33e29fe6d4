using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Numpy;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Cli.Commands;

/// <summary>qwenvl preprocess: writes pixel_values and the vision position tensors of one image as .npy files.</summary>
internal static class PreprocessCommand
{
    public const string Usage = "qwenvl preprocess [--model DIR] --image PATH --out DIR";

    public static int Run(CliArguments args, TextWriter stdout)
    {
        var modelPath = ModelLocator.Resolve(args.Value("model"));
        var imagePath = args.Required("image");
        var outDir = args.Required("out");
        args.RejectUnknown();
        if (!File.Exists(imagePath)) throw new UsageException($"image '{imagePath}' does not exist");

        var package = ModelPackage.Load(modelPath);
        var image = QwenVlModel.LoadImagePreprocessor(modelPath).Preprocess(File.ReadAllBytes(imagePath));
        var positions = QwenVlModel.VisionInputs(image, package.Config);
        Directory.CreateDirectory(outDir);
        int n = image.NumPatches;
        NpyFile.Write(Path.Combine(outDir, "pixel_values.npy"), image.PixelValues, n, image.PatchRowLength);
        NpyFile.Write(Path.Combine(outDir, "image_grid_thw.npy"), new long[] { image.GridT, image.GridH, image.GridW }, 1, 3);
        NpyFile.Write(Path.Combine(outDir, "vision_pos_embed_idx.npy"), positions.PosEmbedIdx, 4, n);
        NpyFile.Write(Path.Combine(outDir, "vision_pos_embed_weight.npy"), positions.PosEmbedWeight, 4, n);
        NpyFile.Write(Path.Combine(outDir, "vision_rotary_pos_ids.npy"), positions.RotaryPosIds, n, 2);
        stdout.WriteLine(JsonSerializer.Serialize(new
        {
            grid_thw = new[] { image.GridT, image.GridH, image.GridW },
            num_patches = n,
            image_tokens = image.MergedTokenCount(package.Config.Vision.SpatialMergeSize),
            out_dir = Path.GetFullPath(outDir),
        }, CliJson.Options));
        return 0;
    }
}
