using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Numpy;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Tests.Support;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>
/// The quantized linear-layer emitters of tools/export/qvl_export/fused/quant.py, run in ONNX Runtime: one layer
/// (7×80 input, 24 outputs, bias) per kernel, written with its references by `export_fused_vision.py fixtures`.
/// Each quantized output must be within the worst-case quantization error the exporter computed for it
/// (weight rounding + activation rounding, bound_*.npy), and the exactly computable kernel (MatMulNBits with
/// accuracy_level 0) must equal x · dequantized Wᵀ + b, which pins the 4-bit packing.
/// </summary>
public class VisionLinearQuantFacts(ITestOutputHelper output)
{
    private static readonly string Data = Path.Combine(TestPaths.RepoRoot, "tests", "QwenVlStudio.Inference.Tests", "Fused", "VisionLinearData");

    [Fact]
    public void Fp32Linear_EqualsReference()
    {
        var diff = VisionFeatureDiff.Of(Npy("y_fp32.npy"), Run("linear_fp32"));
        Assert.True(diff.Max <= 1e-5f, $"fp32 Gemm max abs diff {diff.Max}");
    }

    [Theory]
    [InlineData("linear_int8", "int8")]                // DynamicQuantizeMatMul, per-channel int8
    [InlineData("linear_int8_blocks", "int8_blocks")]  // MatMulNBits bits 8, accuracy_level 4
    [InlineData("linear_int4_acc4", "int4")]           // MatMulNBits bits 4, accuracy_level 4
    [InlineData("linear_int4_acc0", "int4")]           // MatMulNBits bits 4, fp32 compute
    public void QuantizedLinear_StaysWithinComputedQuantizationError(string graph, string precision)
    {
        var reference = Npy("y_fp32.npy");
        var bound = Npy($"bound_{precision}.npy");
        var actual = Run(graph);

        Assert.Equal(reference.Length, actual.Length);
        double worstRatio = 0;
        float worst = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            float error = Math.Abs(actual[i] - reference[i]);
            worst = Math.Max(worst, error);
            if (bound[i] > 0) worstRatio = Math.Max(worstRatio, error / bound[i]);
            Assert.True(error <= bound[i], $"{graph} output {i}: |{actual[i]} − {reference[i]}| = {error} > bound {bound[i]}");
        }
        output.WriteLine($"{graph}: max abs diff vs fp32 {worst:E3}, max error / bound {worstRatio:F3}");
        // A quantizer that did nothing would pass the bound trivially; the fixture's weights are not on the grid.
        Assert.True(worst > 1e-4f, $"{graph} matched fp32 exactly ({worst}): is it quantized at all?");
    }

    [Theory]
    [InlineData("linear_int4_acc0", "int4")]
    public void ExactNBitsKernel_EqualsDequantizedWeights(string graph, string precision)
    {
        var diff = VisionFeatureDiff.Of(Npy($"y_dequant_{precision}.npy"), Run(graph));
        output.WriteLine($"{graph}: max abs diff vs x·dequant(W)ᵀ {diff.Max:E3}");
        Assert.True(diff.Max <= 1e-5f, $"{graph} differs from the dequantized product by {diff.Max}: packing or scales wrong");
    }

    private static float[] Npy(string file) => NpyFile.Read(Path.Combine(Data, file)).AsFloat32();

    private static float[] Run(string graph)
    {
        var x = NpyFile.Read(Path.Combine(Data, "x.npy"));
        using var session = OnnxSessions.Create(Path.Combine(Data, graph + ".onnx"), 1, false);
        using var input = OrtValue.CreateTensorValueFromMemory(x.AsFloat32(), x.Shape.Select(d => (long)d).ToArray());
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
