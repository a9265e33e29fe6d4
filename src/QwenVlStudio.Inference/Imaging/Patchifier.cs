namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Cuts a resized image (sides multiples of patch·merge) into the vision encoder's patch rows (model-package.md §2):
/// rows ordered by merge block (bh, bw) then position inside the block (mh, mw); inside a row, channel-major, then
/// temporal copy, then pixel row and column of the patch.
/// </summary>
internal static class Patchifier
{
    public static PreprocessedImage Patchify(RgbImage image, PixelNormalizer normalizer, int patchSize, int temporalPatchSize, int mergeSize)
    {
        int unit = patchSize * mergeSize;
        if (image.Width % unit != 0 || image.Height % unit != 0)
            throw new ArgumentException($"image {image.Width}×{image.Height} is not a multiple of {unit} on both sides");

        int gridH = image.Height / patchSize;
        int gridW = image.Width / patchSize;
        int patchArea = patchSize * patchSize;
        int channelBlock = temporalPatchSize * patchArea;
        int rowLength = 3 * channelBlock;
        var values = new float[checked((long)gridH * gridW * rowLength)];
        var r = normalizer.Table(0);
        var g = normalizer.Table(1);
        var b = normalizer.Table(2);
        var pixels = image.Pixels;
        int imageRowLength = image.Width * 3;

        int n = 0;
        for (int bh = 0; bh < gridH / mergeSize; bh++)
        for (int bw = 0; bw < gridW / mergeSize; bw++)
        for (int mh = 0; mh < mergeSize; mh++)
        for (int mw = 0; mw < mergeSize; mw++, n++)
        {
            int top = (bh * mergeSize + mh) * patchSize;
            int left = (bw * mergeSize + mw) * patchSize;
            var row = values.AsSpan(n * rowLength, rowLength);
            // Fill temporal copy 0 of every channel, then duplicate it: a still image repeats in time.
            for (int py = 0; py < patchSize; py++)
            {
                int src = (top + py) * imageRowLength + left * 3;
                int dst = py * patchSize;
                for (int px = 0; px < patchSize; px++, src += 3)
                {
                    row[dst + px] = r[pixels[src]];
                    row[channelBlock + dst + px] = g[pixels[src + 1]];
                    row[2 * channelBlock + dst + px] = b[pixels[src + 2]];
                }
            }
            for (int c = 0; c < 3; c++)
            {
                var first = row.Slice(c * channelBlock, patchArea);
                for (int t = 1; t < temporalPatchSize; t++)
                    first.CopyTo(row.Slice(c * channelBlock + t * patchArea, patchArea));
            }
        }
        return new PreprocessedImage(values, 1, gridH, gridW, rowLength);
    }
}
