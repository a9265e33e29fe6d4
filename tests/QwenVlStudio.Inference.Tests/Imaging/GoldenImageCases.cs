using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Numpy;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>Which golden image files each golden case was built from (model-package.md §9), in prompt order.</summary>
internal static class GoldenImageCases
{
    public static readonly IReadOnlyDictionary<string, string[]> ImagesByCase = new Dictionary<string, string[]>
    {
        ["case1_image_describe"] = ["image1_640x480.png"],
        ["case2_tall_ocr_zh"] = ["image2_300x1000.png"],
        ["case3_tiny_two_turn"] = ["image3_64x64.png"],
        ["case5_two_images"] = ["image1_640x480.png", "image3_64x64.png"],
        ["case6_exact_size"] = ["image4_256x192.png"],
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in ImagesByCase.Keys)
            data.Add(name);
        return data;
    }

    public static ImagePreprocessorOptions TinyOptions() =>
        ImagePreprocessorOptions.FromPreprocessorConfig(Path.Combine(TestPaths.TinyModel, "preprocessor_config.json"));

    public static byte[] ReadImage(string fileName) => File.ReadAllBytes(Path.Combine(TestPaths.Golden, fileName));

    public static NpyArray ReadCaseArray(string caseName, string file) =>
        NpyFile.Read(Path.Combine(TestPaths.GoldenCase(caseName), file));

    /// <summary>The (t, h, w) grid of each image of a case, from image_grid_thw.npy.</summary>
    public static (int T, int H, int W)[] Grids(string caseName)
    {
        var grid = ReadCaseArray(caseName, "image_grid_thw.npy").AsInt64();
        return Enumerable.Range(0, grid.Length / 3)
            .Select(i => ((int)grid[3 * i], (int)grid[3 * i + 1], (int)grid[3 * i + 2]))
            .ToArray();
    }
}
