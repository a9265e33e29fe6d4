using System.Text.Json;
using QwenVlStudio.Inference.Numpy;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>One folder of models/qwen3-vl-tiny/golden: the reference's tensors for one conversation.</summary>
public sealed class GoldenCase
{
    private GoldenCase(string name)
    {
        Name = name;
        Folder = TestPaths.GoldenCase(name);
        Json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "case.json"))).RootElement;
    }

    public string Name { get; }
    public string Folder { get; }
    public JsonElement Json { get; }

    public static GoldenCase Load(string name) => new(name);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in TestPaths.GoldenCaseNames) data.Add(name);
        return data;
    }

    public NpyArray Npy(string file) => NpyFile.Read(Path.Combine(Folder, file));

    public bool Has(string file) => File.Exists(Path.Combine(Folder, file));

    public int[] InputIds => Array.ConvertAll(Npy("input_ids.npy").AsInt64(), v => checked((int)v));

    public int[] GeneratedIds => Array.ConvertAll(Npy("generated_ids.npy").AsInt64(), v => checked((int)v));

    /// <summary>(t, h, w) per image; empty for text-only cases.</summary>
    public IReadOnlyList<(int T, int H, int W)> ImageGrids
    {
        get
        {
            if (!Has("image_grid_thw.npy")) return [];
            var grid = Npy("image_grid_thw.npy").AsInt64();
            return Enumerable.Range(0, grid.Length / 3)
                .Select(i => ((int)grid[3 * i], (int)grid[3 * i + 1], (int)grid[3 * i + 2])).ToList();
        }
    }

    /// <summary>Golden pixel_values split per image (rows t·h·w each).</summary>
    public IReadOnlyList<float[]> PixelValuesPerImage(int rowLength)
    {
        if (!Has("pixel_values.npy")) return [];
        var all = Npy("pixel_values.npy").AsFloat32();
        var result = new List<float[]>();
        int offset = 0;
        foreach (var (t, h, w) in ImageGrids)
        {
            int n = t * h * w * rowLength;
            result.Add(all.AsSpan(offset, n).ToArray());
            offset += n;
        }
        return result;
    }
}
