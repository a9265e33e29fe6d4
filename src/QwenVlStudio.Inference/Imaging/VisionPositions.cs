namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Computes where each patch of a (gh × gw) grid samples the learned G × G position-embedding table (bilinear, corners
/// aligned) and its (row, col) for the 2-D rotary embedding, in the patch order of <see cref="Patchifier"/>.
/// </summary>
public static class VisionPositions
{
    /// <summary>Position inputs for a preprocessed still image (one temporal group, <c>GridT</c> = 1).</summary>
    public static VisionPositionInputs Compute(PreprocessedImage image, int mergeSize, int numPositionEmbeddings)
    {
        if (image.GridT != 1)
            throw new ArgumentException($"a still image has one temporal group, this one has {image.GridT}; call once per group");
        return Compute(image.GridH, image.GridW, mergeSize, numPositionEmbeddings);
    }

    /// <param name="gridH">Patch rows (gh); a multiple of <paramref name="mergeSize"/>.</param>
    /// <param name="gridW">Patch columns (gw); a multiple of <paramref name="mergeSize"/>.</param>
    /// <param name="mergeSize">Spatial merge size m.</param>
    /// <param name="numPositionEmbeddings">Rows of the position table, G² (<c>vision_config.num_position_embeddings</c>).</param>
    public static VisionPositionInputs Compute(int gridH, int gridW, int mergeSize, int numPositionEmbeddings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridH);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridW);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mergeSize);
        if (gridH % mergeSize != 0 || gridW % mergeSize != 0)
            throw new ArgumentException($"grid {gridH}×{gridW} is not a multiple of merge size {mergeSize}");
        int side = (int)Math.Round(Math.Sqrt(numPositionEmbeddings));
        if (side <= 0 || side * side != numPositionEmbeddings)
            throw new ArgumentException($"num_position_embeddings {numPositionEmbeddings} is not a perfect square");

        var rowAxis = AxisSamples.Create(gridH, side);
        var colAxis = AxisSamples.Create(gridW, side);
        int n = gridH * gridW;
        var idx = new long[4 * n];
        var weight = new float[4 * n];
        var rotary = new long[2 * n];

        int p = 0;
        for (int bh = 0; bh < gridH / mergeSize; bh++)
        for (int bw = 0; bw < gridW / mergeSize; bw++)
        for (int mh = 0; mh < mergeSize; mh++)
        for (int mw = 0; mw < mergeSize; mw++, p++)
        {
            int r = bh * mergeSize + mh;
            int c = bw * mergeSize + mw;
            long h0 = rowAxis.Floor[r], h1 = rowAxis.Ceil[r], w0 = colAxis.Floor[c], w1 = colAxis.Ceil[c];
            float dh = rowAxis.Fraction[r], dw = colAxis.Fraction[c];
            idx[p] = h0 * side + w0;
            idx[n + p] = h0 * side + w1;
            idx[2 * n + p] = h1 * side + w0;
            idx[3 * n + p] = h1 * side + w1;
            weight[p] = (1 - dh) * (1 - dw);
            weight[n + p] = (1 - dh) * dw;
            weight[2 * n + p] = dh * (1 - dw);
            weight[3 * n + p] = dh * dw;
            rotary[2 * p] = r;
            rotary[2 * p + 1] = c;
        }
        return new VisionPositionInputs(idx, weight, rotary, n);
    }

    /// <summary>Per grid line: the float32 sample position in the table, its floor, the next line and the fraction.</summary>
    private sealed record AxisSamples(int[] Floor, int[] Ceil, float[] Fraction)
    {
        public static AxisSamples Create(int steps, int side)
        {
            var positions = Linspace(0f, side - 1, steps);
            var floor = new int[steps];
            var ceil = new int[steps];
            var fraction = new float[steps];
            for (int i = 0; i < steps; i++)
            {
                floor[i] = (int)positions[i];
                ceil[i] = Math.Min(floor[i] + 1, side - 1);
                fraction[i] = positions[i] - floor[i];
            }
            return new AxisSamples(floor, ceil, fraction);
        }
    }

    /// <summary>
    /// float32 <c>torch.linspace(start, end, steps)</c>: the first half counts up from start, the second half down
    /// from end, with a float32 step, so both ends are exact.
    /// </summary>
    internal static float[] Linspace(float start, float end, int steps)
    {
        var values = new float[steps];
        if (steps == 1)
        {
            values[0] = start;
            return values;
        }
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++)
            values[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        return values;
    }
}
