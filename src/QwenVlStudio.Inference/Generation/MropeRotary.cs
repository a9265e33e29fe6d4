using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// The fused decoder's rope_cos / rope_sin inputs (docs/fused-package.md): for each token and each frequency
/// d &lt; hd/2, the angle float32(pos[axis(d)]) · inv_freq_d with interleaved MRoPE picking the axis (§6) and
/// inv_freq computed in float32 as HF does (1 / theta^(2d/hd), every step in float32).
/// </summary>
internal sealed class MropeRotary
{
    private readonly float[] _invFreq;
    private readonly int[] _axis; // 0 = T, 1 = H, 2 = W

    public MropeRotary(TextModelConfig text)
    {
        if (text.HeadDim % 2 != 0) throw new ModelPackageException($"head_dim {text.HeadDim} is odd");
        Half = text.HeadDim / 2;
        var section = text.MropeSection;
        if (section.Count != 3) throw new ModelPackageException($"mrope_section has {section.Count} entries; Qwen3-VL has 3 (t, h, w)");
        _invFreq = new float[Half];
        _axis = new int[Half];
        float theta = (float)text.RopeTheta, dim = text.HeadDim;
        for (int d = 0; d < Half; d++)
        {
            // torch: 1.0 / (base ** (arange(0, dim, 2).float() / dim)) in float32.
            float exponent = (2f * d) / dim;
            _invFreq[d] = 1f / MathF.Pow(theta, exponent);
            _axis[d] = d % 3 == 1 && d < 3 * section[1] ? 1 : d % 3 == 2 && d < 3 * section[2] ? 2 : 0;
        }
    }

    /// <summary>hd/2: values per token in rope_cos and rope_sin.</summary>
    public int Half { get; }

    /// <summary>
    /// Writes tokens [start, start + count) of a prompt's positions ([3, S] row-major) to cos/sin at token 0….
    /// </summary>
    public void Prompt(MropePositions positions, int start, int count, Span<float> cos, Span<float> sin)
    {
        int s = positions.SequenceLength;
        if (start < 0 || count < 0 || start + count > s)
            throw new ArgumentOutOfRangeException(nameof(count), $"tokens [{start}, {start + count}) of a {s}-token prompt");
        var values = positions.Values;
        for (int i = 0; i < count; i++)
        {
            int token = start + i;
            for (int d = 0; d < Half; d++)
            {
                float angle = values[_axis[d] * s + token] * _invFreq[d];
                cos[i * Half + d] = MathF.Cos(angle);
                sin[i * Half + d] = MathF.Sin(angle);
            }
        }
    }

    /// <summary>Writes one decode token's values (t = h = w = <paramref name="position"/>) at token slot <paramref name="slot"/>.</summary>
    public void Decode(long position, int slot, Span<float> cos, Span<float> sin)
    {
        float p = position;
        for (int d = 0; d < Half; d++)
        {
            float angle = p * _invFreq[d];
            cos[slot * Half + d] = MathF.Cos(angle);
            sin[slot * Half + d] = MathF.Sin(angle);
        }
    }
}
