using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// A 5×7 pixel font with just the characters of the bench captions and the digits of grounding box numbers, so that
/// pictures carry text without a font library: ImageSharp.Drawing and its fonts are not served here.
/// </summary>
public static class PixelFont
{
    public const int GlyphWidth = 5, GlyphHeight = 7;

    // Each glyph: 7 rows of 5 columns, '#' = ink.
    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['Q'] = [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"],
        ['V'] = ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
        ['L'] = ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
        ['S'] = [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
        ['w'] = [".....", ".....", "#...#", "#...#", "#.#.#", "#.#.#", ".#.#."],
        ['e'] = [".....", ".....", ".###.", "#...#", "#####", "#....", ".###."],
        ['n'] = [".....", ".....", "#.##.", "##..#", "#...#", "#...#", "#...#"],
        ['t'] = ["..#..", "..#..", "#####", "..#..", "..#..", "..#..", "...##"],
        ['u'] = [".....", ".....", "#...#", "#...#", "#...#", "#..##", ".##.#"],
        ['d'] = ["....#", "....#", ".####", "#...#", "#...#", "#...#", ".####"],
        ['i'] = ["..#..", ".....", ".##..", "..#..", "..#..", "..#..", ".###."],
        ['o'] = [".....", ".....", ".###.", "#...#", "#...#", "#...#", ".###."],
        ['#'] = [".#.#.", ".#.#.", "#####", ".#.#.", "#####", ".#.#.", ".#.#."],
        ['0'] = [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
        ['1'] = ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
        ['2'] = [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        ['3'] = ["####.", "....#", "....#", ".###.", "....#", "....#", "####."],
        ['4'] = ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        ['5'] = ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        ['6'] = [".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."],
        ['7'] = ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        ['8'] = [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        ['9'] = [".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."],
    };

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y), each font pixel <paramref name="scale"/>² image pixels; unknown characters are spaces.</summary>
    public static void Draw(Image<Rgba32> image, string text, int x, int y, int scale, Rgba32 ink)
    {
        int penX = x;
        foreach (char c in text)
        {
            if (Glyphs.TryGetValue(c, out var rows))
            {
                for (int gy = 0; gy < GlyphHeight; gy++)
                    for (int gx = 0; gx < GlyphWidth; gx++)
                        if (rows[gy][gx] == '#')
                            Fill(image, penX + gx * scale, y + gy * scale, scale, ink);
            }
            penX += (GlyphWidth + 1) * scale;
        }
    }

    private static void Fill(Image<Rgba32> image, int left, int top, int size, Rgba32 ink)
    {
        for (int py = Math.Max(0, top); py < Math.Min(image.Height, top + size); py++)
            for (int px = Math.Max(0, left); px < Math.Min(image.Width, left + size); px++)
                image[px, py] = ink;
    }
}
