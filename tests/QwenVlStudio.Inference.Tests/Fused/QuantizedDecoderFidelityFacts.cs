using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>
/// Agreement of the tiny package's quantized fused decoders with the fp32 golden reference, through the engine's
/// KvPoolDecodeBatch (the figures of tools/export/VERIFY.md, printed per case). Teacher-forced: each step is fed the
/// golden token, and its argmax is compared with the golden next id (top-1 agreement); free-running: the decoder's
/// own 16 greedy ids against the golden ones, position by position; max logit error over the three golden logit
/// rows (teacher-forced, so both sides saw the same prefix). Asserts sanity only: finite logits and a loose
/// agreement floor (below).
/// </summary>
public class QuantizedDecoderFidelityFacts(ITestOutputHelper output)
{
    [Theory]
    // The tiny model is a worst case (projections of 16–32 inputs, chaotic random-init logits with top-1/top-2
    // margins far below int4's rounding error): the legacy int8 package agreed on 92.7 % of teacher-forced steps,
    // int4 on 35.4 % (VERIFY.md). A top-1 match on a 151,936-token vocabulary is never chance, so the floors are
    // about half of those figures: a wrong packing, scale or kernel gives ≈ 0 %.
    [InlineData("int8_nbits", "int8", null, 0.45)]  // MatMulNBits bits 8, block 32, accuracy_level 4
    [InlineData("int8_dqmm", "int8", null, 0.45)]   // DynamicQuantizeMatMul, per-channel int8
    [InlineData("int4", "int4", null, 0.15)]        // MatMulNBits bits 4, block 32, accuracy_level 4
    [InlineData("int4", "int4", "int8_dqmm", 0.15)] // int4 decode steps, int8 prompt chunks (decoder_fused_prefill)
    public void QuantizedDecoder_AgreesWithGolden_AboveItsFloor(string variant, string precision, string? prefillVariant, double floor)
    {
        using var package = QuantizedTinyPackage.Create(variant, precision, prefillVariant);
        var loaded = ModelPackage.Load(package.Directory);
        Assert.Equal(precision, loaded.Fused!.Precision);
        using var sessions = new ModelSessions(loaded, new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1, GraphFormat = GraphFormat.Fused });
        Assert.Equal(prefillVariant is not null, sessions.FusedDecoder.HasPrefillGraph);
        variant = prefillVariant is null ? variant : $"{variant}+{prefillVariant} prefill";
        var config = loaded.Config;
        int vocab = config.Text.VocabSize;

        int forcedAgree = 0, freeAgree = 0, total = 0;
        float worstLogit = 0;
        foreach (var name in TestPaths.GoldenCaseNames)
        {
            var golden = GoldenCase.Load(name);
            var expectedIds = golden.GeneratedIds;
            var expectedLogits = golden.Npy("logits_first3.npy").AsFloat32();
            var prompt = FusedGolden.Prompt(golden, sessions);
            using var batch = new KvPoolDecodeBatch(sessions, maxRows: 1, capacityTokens: prompt.Ids.Length + FusedGolden.Steps, 512);

            var (forced, logitError) = TeacherForced(batch, prompt, expectedIds, expectedLogits, config, vocab);
            var (free, _) = FusedGolden.DecodeAlone(batch, prompt, config);
            int freeMatches = expectedIds.Zip(free).Count(p => p.First == p.Second);

            output.WriteLine($"{variant} {name}: teacher-forced top-1 {forced}/{FusedGolden.Steps}, free-running {freeMatches}/{FusedGolden.Steps}, " +
                             $"max logit error (3 steps) {logitError:F4}");
            forcedAgree += forced;
            freeAgree += freeMatches;
            total += FusedGolden.Steps;
            worstLogit = Math.Max(worstLogit, logitError);
        }
        double forcedRate = (double)forcedAgree / total;
        output.WriteLine($"{variant} all cases: teacher-forced top-1 {forcedRate:P1}, free-running {(double)freeAgree / total:P1}, max logit error {worstLogit:F4}");
        Assert.True(float.IsFinite(worstLogit), "a logit is not finite");
        Assert.True(forcedRate >= floor, $"teacher-forced top-1 agreement {forcedRate:P1} is below the floor {floor:P0}");
    }

    [Fact]
    public void QuantizedTinyPackage_Throws_WhenTheVariantDoesNotExist()
    {
        var error = Assert.Throws<FileNotFoundException>(() => QuantizedTinyPackage.Create("int3", "int3"));
        Assert.Contains("int3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FusedPackage_LoadsWithoutTheLegacyVisionEncoder_AndNamesTheMissingGraph_WhenBothAreGone()
    {
        using var package = QuantizedTinyPackage.Create("int4", "int4");
        var onnx = Path.Combine(package.Directory, "onnx");
        File.Delete(Path.Combine(onnx, ModelPackage.VisionGraph + ".onnx"));
        Assert.Equal(ModelPackage.FusedVisionGraph, ModelPackage.Load(package.Directory).VisionGraphFor(GraphFormat.Fused));

        File.Delete(Path.Combine(onnx, ModelPackage.FusedVisionGraph + ".onnx"));
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(package.Directory));
        Assert.Contains(ModelPackage.VisionGraph + ".onnx", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Feeds the golden ids; counts steps whose argmax is the golden next id; max |Δlogit| of the first 3.</summary>
    private static (int Agree, float MaxLogitError) TeacherForced(KvPoolDecodeBatch batch, PreparedPrompt prompt, int[] expectedIds,
        float[] expectedLogits, ModelConfig config, int vocab)
    {
        var row = batch.Join(prompt, null);
        FusedGolden.PrefillAll(batch, row, 512);
        int agree = 0;
        float worst = 0;
        for (int step = 0; step < FusedGolden.Steps; step++)
        {
            var logits = batch.Logits(row).ToArray();
            foreach (var value in logits)
                if (!float.IsFinite(value)) return (agree, float.NaN);
            if (step < 3) worst = Math.Max(worst, FusedGolden.MaxAbsDiff(expectedLogits.AsSpan(step * vocab, vocab), logits));
            if (FusedGolden.Pick(logits, config) == expectedIds[step]) agree++;
            if (step < FusedGolden.Steps - 1) batch.Step([(row, expectedIds[step])]);
        }
        batch.Leave(row);
        return (agree, worst);
    }
}
