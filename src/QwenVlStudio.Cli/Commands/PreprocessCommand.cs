using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Numpy;

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

        var preprocessor = QwenVlModel.LoadImagePipeline(modelPath);
        var image = preprocessor.Preprocess(File.ReadAllBytes(imagePath));
        var positions = preprocessor.PositionInputs(image);
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
            image_tokens = image.MergedTokenCount(2),
            out_dir = Path.GetFullPath(outDir),
        }));
        return 0;
    }
}
