using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>rope_cos / rope_sin follow the contract's interleaved-MRoPE axis rule and float32 inv_freq.</summary>
public class MropeRotaryFacts
{
    private static TextModelConfig Config(int headDim, int[] section) => new()
    {
        HiddenSize = 16, NumLayers = 1, NumAttentionHeads = 1, NumKeyValueHeads = 1, HeadDim = headDim, VocabSize = 10,
        MaxPositionEmbeddings = 1000, MropeSection = section, RopeTheta = 5_000_000,
    };

    [Fact]
    public void Prompt_PicksTheAxisOfEachFrequency_AsInterleavedMrope()
    {
        // 2B shape: hd 128, section (24, 20, 20). One image token at (t, h, w) = (3, 5, 9).
        var rope = new MropeRotary(Config(128, [24, 20, 20]));
        var positions = new MropePositions([3, 5, 9], 1, 0);
        var cos = new float[64];
        var sin = new float[64];

        rope.Prompt(positions, 0, 1, cos, sin);

        for (int d = 0; d < 64; d++)
        {
            int pos = d % 3 == 1 && d < 60 ? 5 : d % 3 == 2 && d < 60 ? 9 : 3;
            float inv = 1f / MathF.Pow(5_000_000f, 2f * d / 128f);
            Assert.Equal(MathF.Cos(pos * inv), cos[d]);
            Assert.Equal(MathF.Sin(pos * inv), sin[d]);
        }
    }

    [Fact]
    public void Decode_UsesOnePositionOnAllAxes_AtItsSlot()
    {
        var rope = new MropeRotary(Config(8, [2, 1, 1]));
        var cos = new float[3 * 4];
        var sin = new float[3 * 4];

        rope.Decode(41, slot: 2, cos, sin);

        Assert.All(cos.AsSpan(0, 8).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(MathF.Cos(41f), cos[8]); // d = 0: inv_freq 1
        Assert.Equal(MathF.Sin(41f * (1f / MathF.Pow(5_000_000f, 2f * 3 / 8f))), sin[11]);
    }
}
